package io.decide.sidecar.client;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A connection to a daemon over one transport. One thread may {@link #send} while another {@link #receive}s
 * (pipelining: many requests in flight, responses matched by request id, possibly out of order).
 */
public interface ClientConnection extends AutoCloseable
{
    /**
     * Send one request frame (blocks while the transport is full).
     *
     * @param frame  buffer holding the frame.
     * @param offset frame start.
     * @param length frame length.
     * @throws IOException when the connection fails.
     */
    void send(DirectBuffer frame, int offset, int length) throws IOException;

    /**
     * Send one request frame; while the transport is full, keep receiving responses into {@code whileBlocked}, so
     * a single thread that both sends and receives can never deadlock with the daemon (which stops reading a client
     * that does not read its responses).
     *
     * @param frame        buffer holding the frame.
     * @param offset       frame start.
     * @param length       frame length.
     * @param whileBlocked receives responses that arrive while the send waits.
     * @throws IOException when the connection fails.
     */
    void send(DirectBuffer frame, int offset, int length, ResponseHandler whileBlocked) throws IOException;

    /**
     * Wait until at least one response arrives (or the timeout passes), then hand every complete response to the
     * handler.
     *
     * @param handler       receives responses.
     * @param timeoutMillis most milliseconds to wait.
     * @return responses handled (0 on timeout).
     * @throws IOException when the connection fails or the daemon closed it.
     */
    int receive(ResponseHandler handler, long timeoutMillis) throws IOException;

    @Override
    void close();

    /**
     * Connect to a target written {@code uds:PATH}, {@code tcp:HOST:PORT} or {@code shm:PATH}.
     *
     * @param target where the daemon listens.
     * @return the connection.
     * @throws IOException when it cannot connect.
     */
    static ClientConnection connect(final String target) throws IOException
    {
        if (target.startsWith("uds:"))
        {
            return SocketClientConnection.unix(Path.of(target.substring(4)));
        }
        if (target.startsWith("tcp:"))
        {
            final String address = target.substring(4);
            final int colon = address.lastIndexOf(':');
            if (colon <= 0)
            {
                throw new IllegalArgumentException("expected tcp:HOST:PORT, got " + target);
            }
            return SocketClientConnection.tcp(new InetSocketAddress(address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1))));
        }
        if (target.startsWith("shm:"))
        {
            return ShmClientConnection.open(Path.of(target.substring(4)));
        }
        throw new IllegalArgumentException("target " + target + ": expected uds:PATH, tcp:HOST:PORT or shm:PATH");
    }
}
