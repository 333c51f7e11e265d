package io.decide.sidecar.client;

import io.decide.engine.service.DecisionKind;
import io.decide.sidecar.protocol.RequestEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An asynchronous, pipelined client: one thread sends requests with ids of its choosing without waiting, another
 * thread {@link #receive}s responses (in any order) and matches them by id. Sending allocates nothing once an
 * artifact name has been seen.
 */
public final class PipelinedClient implements AutoCloseable
{
    private final ClientConnection connection;
    private final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
    private final RequestEncoder encoder = new RequestEncoder();
    private final Map<String, byte[]> names = new HashMap<>();
    private static final byte[] NO_NAME = new byte[0];

    /**
     * @param connection the connection (owned by this client).
     */
    public PipelinedClient(final ClientConnection connection)
    {
        this.connection = connection;
    }

    /**
     * @param target {@code uds:PATH}, {@code tcp:HOST:PORT} or {@code shm:PATH}.
     * @return a connected client.
     * @throws IOException when it cannot connect.
     */
    public static PipelinedClient connect(final String target) throws IOException
    {
        return new PipelinedClient(ClientConnection.connect(target));
    }

    /**
     * Send a GBDT prediction request.
     *
     * @param requestId     id echoed by the response.
     * @param artifact      artifact name.
     * @param features      dense features.
     * @param count         how many.
     * @param timeoutMicros budget from receipt, 0 = daemon default.
     * @param deadlineNanos absolute {@code System.nanoTime()} deadline, 0 = none.
     * @throws IOException when sending fails.
     */
    public void sendPredict(
        final long requestId, final String artifact, final double[] features, final int count, final int timeoutMicros,
        final long deadlineNanos) throws IOException
    {
        encoder.begin(request, 0, requestId, DecisionKind.GBDT_PREDICT.id()).deadline(timeoutMicros, deadlineNanos)
            .name(name(artifact)).dense(features, count);
        connection.send(request, 0, encoder.finish());
    }

    /**
     * Send a quota request.
     *
     * @param requestId     id.
     * @param artifact      artifact name.
     * @param values        option values.
     * @param count         how many.
     * @param timeoutMicros budget from receipt, 0 = daemon default.
     * @param deadlineNanos absolute deadline, 0 = none.
     * @throws IOException when sending fails.
     */
    public void sendQuota(
        final long requestId, final String artifact, final double[] values, final int count, final int timeoutMicros,
        final long deadlineNanos) throws IOException
    {
        encoder.begin(request, 0, requestId, DecisionKind.QUOTA.id()).deadline(timeoutMicros, deadlineNanos)
            .name(name(artifact)).dense(values, count);
        connection.send(request, 0, encoder.finish());
    }

    /**
     * Send a rank request.
     *
     * @param requestId     id.
     * @param scalars       quality scalars.
     * @param scalarCount   how many.
     * @param batch         candidate batch.
     * @param offset        batch start.
     * @param length        batch bytes.
     * @param k             how many to return.
     * @param timeoutMicros budget from receipt, 0 = daemon default.
     * @param deadlineNanos absolute deadline, 0 = none.
     * @throws IOException when sending fails.
     */
    public void sendRank(
        final long requestId, final double[] scalars, final int scalarCount, final DirectBuffer batch,
        final int offset, final int length, final int k, final int timeoutMicros, final long deadlineNanos)
        throws IOException
    {
        encoder.begin(request, 0, requestId, DecisionKind.RANK.id()).deadline(timeoutMicros, deadlineNanos).k(k)
            .name(NO_NAME).scalars(scalars, scalarCount).batch(batch, offset, length);
        connection.send(request, 0, encoder.finish());
    }

    /**
     * Send a frame the caller encoded.
     *
     * @param frame  frame.
     * @param offset start.
     * @param length length.
     * @throws IOException when sending fails.
     */
    public void send(final DirectBuffer frame, final int offset, final int length) throws IOException
    {
        connection.send(frame, offset, length);
    }

    /**
     * Receive whatever responses have arrived, waiting up to the timeout for the first.
     *
     * @param handler       receives each response.
     * @param timeoutMillis most milliseconds to wait.
     * @return responses handled.
     * @throws IOException when the connection fails.
     */
    public int receive(final ResponseHandler handler, final long timeoutMillis) throws IOException
    {
        return connection.receive(handler, timeoutMillis);
    }

    private byte[] name(final String artifact)
    {
        byte[] bytes = names.get(artifact);
        if (bytes == null)
        {
            bytes = artifact.getBytes(StandardCharsets.UTF_8);
            names.put(artifact, bytes);
        }
        return bytes;
    }

    /** @return the connection. */
    public ClientConnection connection()
    {
        return connection;
    }

    @Override
    public void close()
    {
        connection.close();
    }
}
