package io.decide.sidecar.client;

import io.decide.sidecar.protocol.FrameDescriptor;
import io.decide.sidecar.protocol.ResponseFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.Consumer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** A {@link ClientConnection} over a Unix domain or TCP socket. */
public final class SocketClientConnection implements ClientConnection
{
    private static final int IN_CAPACITY = 1 << 20;
    /** Empty reads spun before a receive blocks in the selector. */
    private static final int SPINS = Integer.getInteger("decide.client.spins", 2000);

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer inBytes = ByteBuffer.allocateDirect(IN_CAPACITY);
    private final UnsafeBuffer in = new UnsafeBuffer(inBytes);
    private final ResponseFlyweight response = new ResponseFlyweight();
    private final Object sendLock = new Object();
    /** Wake-ups need no per-key handling: the channel is read after every select. */
    private static final Consumer<SelectionKey> IGNORE_KEY = key ->
    {
    };
    private int idleSpins = SPINS;
    private final ByteBuffer outBytes = ByteBuffer.allocateDirect(IN_CAPACITY);
    private final UnsafeBuffer out = new UnsafeBuffer(outBytes);

    private SocketClientConnection(final SocketChannel channel) throws IOException
    {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    /**
     * @param path socket file.
     * @return a connection.
     * @throws IOException when it cannot connect.
     */
    public static SocketClientConnection unix(final Path path) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(path));
        return new SocketClientConnection(channel);
    }

    /**
     * @param address daemon address.
     * @return a connection.
     * @throws IOException when it cannot connect.
     */
    public static SocketClientConnection tcp(final InetSocketAddress address) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(address);
        return new SocketClientConnection(channel);
    }

    /**
     * Set how many empty reads a {@link #receive} with a timeout spins before it blocks in the selector (default
     * {@code decide.client.spins}, 2000). 0 blocks at once: on a machine with more runnable threads than cores a
     * receiver that sleeps is woken ahead of spinning threads, while one that spins waits for its turn.
     *
     * @param spins empty reads before blocking, at least 0.
     * @return this connection.
     */
    public SocketClientConnection idleSpins(final int spins)
    {
        if (spins < 0)
        {
            throw new IllegalArgumentException("spins must be >= 0, got " + spins);
        }
        this.idleSpins = spins;
        return this;
    }

    @Override
    public void send(final DirectBuffer frame, final int offset, final int length) throws IOException
    {
        send(frame, offset, length, null);
    }

    @Override
    public void send(final DirectBuffer frame, final int offset, final int length, final ResponseHandler whileBlocked)
        throws IOException
    {
        synchronized (sendLock)
        {
            if (outBytes.capacity() < length)
            {
                throw new IOException("frame of " + length + " bytes exceeds the client's " + outBytes.capacity());
            }
            out.putBytes(0, frame, offset, length);
            outBytes.clear().limit(length);
            while (outBytes.hasRemaining())
            {
                if (channel.write(outBytes) == 0)
                {
                    if (whileBlocked == null || receive(whileBlocked, 0) == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
        }
    }

    /**
     * Send raw bytes as they are (for fuzzing the daemon with malformed frames).
     *
     * @param bytes  bytes.
     * @param offset first byte.
     * @param length count.
     * @throws IOException when the connection fails.
     */
    public void sendRaw(final byte[] bytes, final int offset, final int length) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        synchronized (sendLock)
        {
            while (buffer.hasRemaining())
            {
                if (channel.write(buffer) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }

    @Override
    public int receive(final ResponseHandler handler, final long timeoutMillis) throws IOException
    {
        int handled = dispatch(handler);
        if (handled > 0)
        {
            return handled;
        }
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        int spins = 0;
        while (true)
        {
            final int n = channel.read(inBytes);
            if (n < 0)
            {
                handled = dispatch(handler);
                if (handled > 0)
                {
                    return handled;
                }
                throw new EOFException("daemon closed the connection");
            }
            if (n > 0)
            {
                handled = dispatch(handler);
                if (handled > 0)
                {
                    return handled;
                }
                continue;
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return 0;
            }
            if (++spins < idleSpins)
            {
                Thread.onSpinWait();
            }
            else
            {
                // The Consumer form keeps no selected-key set (whose HashMap node per wake-up would allocate); the
                // channel is read right after.
                selector.select(IGNORE_KEY, Math.max(1, left / 1_000_000));
            }
        }
    }

    private int dispatch(final ResponseHandler handler) throws IOException
    {
        final int end = inBytes.position();
        int start = 0;
        int handled = 0;
        while (end - start >= 4)
        {
            final int length = in.getInt(start, LITTLE_ENDIAN);
            if (length < FrameDescriptor.HEADER_LENGTH || length > IN_CAPACITY)
            {
                throw new IOException("daemon sent a frame of length " + length);
            }
            if (end - start < length)
            {
                break;
            }
            handler.onResponse(response.wrap(in, start));
            handled++;
            start += length;
        }
        if (start > 0)
        {
            in.putBytes(0, in, start, end - start);
            inBytes.position(end - start);
        }
        return handled;
    }

    @Override
    public void close()
    {
        try
        {
            selector.close();
            channel.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }
}
