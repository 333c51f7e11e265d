package io.decide.sidecar.transport;

import io.decide.sidecar.dispatch.Dispatcher;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.metrics.StructuredLog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Unix domain and TCP listeners and their connections on one non-blocking {@link Selector}, driven by
 * {@link #poll()} from one thread. Each connection reads into its own inbound buffer and answers every complete
 * frame in place through the {@link Dispatcher} into its own outbound buffer, flushed once per read: requests are
 * pipelined, and a connection whose client does not read its responses stops being read (its outbound buffer has no
 * room for another response) without holding up any other connection. A frame that cannot be delimited is answered
 * with MALFORMED_FRAME and that connection is closed.
 */
public final class SocketTransport implements AutoCloseable
{
    /** Longest a response waits in a connection's buffer while later frames of the same read are answered. */
    static final long FLUSH_INTERVAL_NANOS = 20_000;

    private final Dispatcher dispatcher;
    private final SidecarMetrics metrics;
    private final StructuredLog log;
    private final int maxFrameLength;
    private final int outCapacity;
    private final int maxConnections;
    private final Selector selector;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final List<SocketConnection> connections = new ArrayList<>();
    private boolean accepting = true;
    /** Handles each ready key of a select (bound once: the selector hands keys over without a selected-key set). */
    private final Consumer<SelectionKey> onReady = this::onReady;
    /** Work done by the keys of the current select. */
    private int work;

    /**
     * @param dispatcher     answers frames (owned by the polling thread).
     * @param metrics        counters.
     * @param log            structured log.
     * @param maxFrameLength largest request frame accepted.
     * @param outCapacity    outbound buffer bytes per connection (at least twice the largest response).
     * @param maxConnections connections served at once; more are refused.
     * @throws IOException when the selector cannot be opened.
     */
    public SocketTransport(
        final Dispatcher dispatcher,
        final SidecarMetrics metrics,
        final StructuredLog log,
        final int maxFrameLength,
        final int outCapacity,
        final int maxConnections) throws IOException
    {
        if (outCapacity < 2 * dispatcher.maxResponseLength())
        {
            throw new IllegalArgumentException("outbound buffer " + outCapacity + " bytes, expected at least twice " +
                "the largest response (" + dispatcher.maxResponseLength() + ")");
        }
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.log = log;
        this.maxFrameLength = maxFrameLength;
        this.outCapacity = outCapacity;
        this.maxConnections = maxConnections;
        this.selector = Selector.open();
    }

    /**
     * Listen on a Unix domain socket whose file is created with mode 0600 (bound inside a private directory, then
     * renamed into place, so it is never reachable with a wider mode). A stale socket file nobody listens on is
     * replaced; a live one is refused.
     *
     * @param path socket file.
     * @throws IOException when it cannot be bound, or another process listens there.
     */
    public void listenUnix(final Path path) throws IOException
    {
        final Path target = path.toAbsolutePath();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS))
        {
            boolean live = false;
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(target)))
            {
                live = probe.isConnected();
            }
            catch (final IOException ex)
            {
                live = false;
            }
            if (live)
            {
                throw new IOException("another process listens on " + target);
            }
            Files.delete(target);
            log.warn("uds.stale_removed", "path", target);
        }
        final Path privateDir = Files.createTempDirectory(target.getParent(), ".decided-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final Path temporary = privateDir.resolve("s");
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            server.bind(UnixDomainSocketAddress.of(temporary), 256);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            server.close();
            throw ex;
        }
        finally
        {
            Files.deleteIfExists(temporary);
            Files.deleteIfExists(privateDir);
        }
        register(server);
        socketFiles.add(target);
        log.info("listen", "transport", "uds", "path", target, "mode", "0600");
    }

    /**
     * Listen on TCP.
     *
     * @param address address to bind (port 0 picks a free port).
     * @return the bound address.
     * @throws IOException when it cannot be bound.
     */
    public InetSocketAddress listenTcp(final InetSocketAddress address) throws IOException
    {
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(address, 256);
        register(server);
        final InetSocketAddress bound = (InetSocketAddress)server.getLocalAddress();
        log.info("listen", "transport", "tcp", "address", bound.getHostString() + ":" + bound.getPort(),
            "loopback", bound.getAddress().isLoopbackAddress());
        return bound;
    }

    private void register(final ServerSocketChannel server) throws IOException
    {
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        listeners.add(server);
    }

    /**
     * Do whatever I/O is ready, without blocking.
     *
     * @return how much work was done (0 when idle).
     */
    public int poll()
    {
        work = 0;
        try
        {
            // The Consumer form hands each ready key straight over: no selected-key set, whose HashMap node per ready
            // key would allocate on every request.
            if (selector.selectNow(onReady) == 0)
            {
                return 0;
            }
        }
        catch (final IOException ex)
        {
            metrics.onLoopError();
            return 0;
        }
        return work;
    }

    /**
     * Block until I/O is ready or the timeout passes, then do it.
     *
     * @param timeoutMillis most milliseconds to wait.
     * @return how much work was done.
     */
    public int await(final long timeoutMillis)
    {
        work = 0;
        try
        {
            if (selector.select(onReady, timeoutMillis) == 0)
            {
                return 0;
            }
        }
        catch (final IOException ex)
        {
            metrics.onLoopError();
            return 0;
        }
        return work;
    }

    /** Wake a thread blocked in {@link #await}. */
    public void wakeup()
    {
        selector.wakeup();
    }

    private void onReady(final SelectionKey key)
    {
        try
        {
            if (!key.isValid())
            {
                return;
            }
            if (key.isAcceptable())
            {
                accept((ServerSocketChannel)key.channel());
                work++;
                return;
            }
            final SocketConnection connection = (SocketConnection)key.attachment();
            if (key.isWritable())
            {
                work += flush(connection);
            }
            if (key.isValid() && key.isReadable())
            {
                work += read(connection);
            }
        }
        catch (final RuntimeException ex)
        {
            metrics.onLoopError();
            log.error("loop.error", "error", ex);
            if (key.attachment() instanceof SocketConnection connection)
            {
                close(connection, true);
            }
        }
    }

    private void accept(final ServerSocketChannel server)
    {
        final SocketChannel channel;
        try
        {
            channel = server.accept();
            if (channel == null)
            {
                return;
            }
        }
        catch (final IOException ex)
        {
            metrics.onLoopError();
            return;
        }
        try
        {
            if (!accepting || connections.size() >= maxConnections)
            {
                log.warn("connection.refused", "reason", accepting ? "max-connections" : "shutting-down",
                    "limit", maxConnections);
                channel.close();
                return;
            }
            channel.configureBlocking(false);
            final boolean tcp = channel.getLocalAddress() instanceof InetSocketAddress;
            if (tcp)
            {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            final SocketAddress remote = channel.getRemoteAddress();
            final SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            final SocketConnection connection = new SocketConnection(channel, key,
                (tcp ? "tcp:" : "uds:") + remote, Math.max(maxFrameLength, 65536), outCapacity);
            key.attach(connection);
            connections.add(connection);
            metrics.onConnectionOpened();
            log.debug("connection.opened", "peer", connection.peer);
        }
        catch (final IOException ex)
        {
            metrics.onLoopError();
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // already failing
            }
        }
    }

    private int read(final SocketConnection connection)
    {
        final int n;
        try
        {
            n = connection.channel.read(connection.inBytes);
        }
        catch (final IOException ex)
        {
            close(connection, false);
            return 1;
        }
        if (n < 0)
        {
            process(connection);
            flush(connection);
            close(connection, false);
            return 1;
        }
        if (n > 0)
        {
            connection.receivedNanos = System.nanoTime();
            process(connection);
            flush(connection);
        }
        return n > 0 ? 1 : 0;
    }

    /** Answer every complete frame for which the outbound buffer has room. */
    private void process(final SocketConnection connection)
    {
        final int end = connection.inBytes.position();
        int start = connection.inStart;
        final int responseRoom = dispatcher.maxResponseLength();
        long flushedNanos = System.nanoTime();
        while (!connection.closing)
        {
            final int available = end - start;
            final int length = Dispatcher.frameLength(connection.in, start, available, maxFrameLength);
            if (length == Dispatcher.INCOMPLETE)
            {
                break;
            }
            final int outPosition = connection.outBytes.position();
            if (connection.outBytes.capacity() - outPosition < responseRoom)
            {
                backPressure(connection, true);
                break;
            }
            if (length == Dispatcher.MALFORMED)
            {
                final int written = dispatcher.malformed(connection.in, start, available, connection.out, outPosition);
                connection.outBytes.position(outPosition + written);
                connection.closing = true;
                start = end;
                break;
            }
            final int written = dispatcher.dispatch(
                connection.in, start, length, connection.out, outPosition, connection.receivedNanos);
            connection.outBytes.position(outPosition + written);
            start += length;
            final long now = System.nanoTime();
            if (now - flushedNanos > FLUSH_INTERVAL_NANOS)
            {
                flushedNanos = now;
                writeNow(connection);
            }
        }
        if (start == end)
        {
            connection.inBytes.clear();
            connection.inStart = 0;
        }
        else if (connection.inBytes.remaining() < maxFrameLength - (end - start) || start > 0 &&
            connection.inBytes.remaining() == 0)
        {
            connection.in.putBytes(0, connection.in, start, end - start);
            connection.inBytes.position(end - start);
            connection.inStart = 0;
        }
        else
        {
            connection.inStart = start;
        }
    }

    /** Write what the socket takes now, mid-batch, so early answers do not wait for a long batch to finish. */
    private void writeNow(final SocketConnection connection)
    {
        connection.outBytes.flip();
        try
        {
            connection.channel.write(connection.outBytes);
        }
        catch (final IOException ex)
        {
            connection.outBytes.position(connection.outBytes.limit());
        }
        connection.outBytes.compact();
    }

    private int flush(final SocketConnection connection)
    {
        if (!connection.hasPendingOutput())
        {
            if (connection.closing)
            {
                close(connection, true);
            }
            return 0;
        }
        connection.outBytes.flip();
        try
        {
            connection.channel.write(connection.outBytes);
        }
        catch (final IOException ex)
        {
            connection.outBytes.clear();
            close(connection, false);
            return 1;
        }
        connection.outBytes.compact();
        if (connection.closing)
        {
            if (!connection.hasPendingOutput())
            {
                close(connection, true);
            }
            else
            {
                connection.key.interestOps(SelectionKey.OP_WRITE);
            }
            return 1;
        }
        if (connection.hasPendingOutput())
        {
            connection.key.interestOps(connection.key.interestOps() | SelectionKey.OP_WRITE);
        }
        else
        {
            connection.key.interestOps(connection.key.interestOps() & ~SelectionKey.OP_WRITE);
        }
        if (connection.backPressured && connection.outBytes.remaining() >= dispatcher.maxResponseLength())
        {
            backPressure(connection, false);
            process(connection);
            if (connection.hasPendingOutput())
            {
                connection.key.interestOps(connection.key.interestOps() | SelectionKey.OP_WRITE);
            }
        }
        return 1;
    }

    private void backPressure(final SocketConnection connection, final boolean on)
    {
        if (connection.closing || !connection.key.isValid())
        {
            return;
        }
        connection.backPressured = on;
        if (on)
        {
            connection.key.interestOps((connection.key.interestOps() & ~SelectionKey.OP_READ) | SelectionKey.OP_WRITE);
        }
        else
        {
            connection.key.interestOps(connection.key.interestOps() | SelectionKey.OP_READ);
        }
    }

    private void close(final SocketConnection connection, final boolean dropped)
    {
        if (!connections.remove(connection))
        {
            return;
        }
        connection.key.cancel();
        try
        {
            connection.channel.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
        metrics.onConnectionClosed(dropped && connection.closing);
        log.debug("connection.closed", "peer", connection.peer, "dropped", dropped && connection.closing);
    }

    /** Stop accepting connections (existing ones keep being served); listeners are closed. */
    public void stopAccepting()
    {
        accepting = false;
        for (final ServerSocketChannel server : listeners)
        {
            try
            {
                server.close();
            }
            catch (final IOException ignored)
            {
                // closing anyway
            }
        }
        listeners.clear();
        for (final Path file : socketFiles)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ignored)
            {
                // best effort
            }
        }
        socketFiles.clear();
    }

    /** @return whether no connection has unanswered complete frames or unwritten responses. */
    public boolean idle()
    {
        for (int i = 0; i < connections.size(); i++)
        {
            final SocketConnection connection = connections.get(i);
            if (connection.hasPendingOutput())
            {
                return false;
            }
            final int available = connection.inBytes.position() - connection.inStart;
            if (Dispatcher.frameLength(connection.in, connection.inStart, available, maxFrameLength) > 0)
            {
                return false;
            }
        }
        return true;
    }

    /** @return connections open now. */
    public int connectionCount()
    {
        return connections.size();
    }

    /** Close every connection and listener. */
    @Override
    public void close()
    {
        stopAccepting();
        for (final SocketConnection connection : new ArrayList<>(connections))
        {
            close(connection, false);
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }
}
