package io.decide.sidecar.client;

import io.decide.engine.service.DecisionKind;
import io.decide.sidecar.protocol.RequestEncoder;
import io.decide.sidecar.protocol.ResponseFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A blocking client: one request at a time, the calling thread waits for its response. Not thread-safe (one per
 * thread). Responses are returned as a flyweight over the client's buffer, valid until the next call.
 * <pre>{@code
 * try (DecideClient client = DecideClient.connect("uds:/run/decided.sock"))
 * {
 *     ResponseFlyweight r = client.predict("ctr", features, features.length);
 *     if (r.status() == 0) { double p = r.doubleResult(0); long version = r.artifactVersion(); }
 * }
 * }</pre>
 */
public final class DecideClient implements AutoCloseable
{
    private final ClientConnection connection;
    private final UnsafeBuffer request;
    private final UnsafeBuffer response;
    private final RequestEncoder encoder = new RequestEncoder();
    private final ResponseFlyweight view = new ResponseFlyweight();
    private final Capture capture = new Capture();
    private long timeoutMillis = 5_000;
    private int timeoutMicros;
    private long nextId = 1;

    /**
     * @param connection a connection (owned by the client from now on).
     * @param maxFrame   largest request and response frame.
     */
    public DecideClient(final ClientConnection connection, final int maxFrame)
    {
        this.connection = connection;
        this.request = new UnsafeBuffer(ByteBuffer.allocateDirect(maxFrame));
        this.response = new UnsafeBuffer(ByteBuffer.allocateDirect(maxFrame));
    }

    /**
     * @param target {@code uds:PATH}, {@code tcp:HOST:PORT} or {@code shm:PATH}.
     * @return a connected client.
     * @throws IOException when it cannot connect.
     */
    public static DecideClient connect(final String target) throws IOException
    {
        return new DecideClient(ClientConnection.connect(target), 1 << 20);
    }

    /**
     * @param millis how long a call waits for its response before failing.
     * @return this.
     */
    public DecideClient responseTimeoutMillis(final long millis)
    {
        this.timeoutMillis = millis;
        return this;
    }

    /**
     * @param micros per-request timeout sent to the daemon (0 = the daemon's default).
     * @return this.
     */
    public DecideClient requestTimeoutMicros(final int micros)
    {
        this.timeoutMicros = micros;
        return this;
    }

    /**
     * GBDT prediction with dense features.
     *
     * @param artifact artifact name.
     * @param features feature values.
     * @param count    how many.
     * @return the response.
     * @throws IOException when the call fails.
     */
    public ResponseFlyweight predict(final String artifact, final double[] features, final int count)
        throws IOException
    {
        begin(DecisionKind.GBDT_PREDICT).name(artifact.getBytes(StandardCharsets.UTF_8)).dense(features, count);
        return call();
    }

    /**
     * GBDT prediction with sparse features (missing ones are NaN).
     *
     * @param artifact artifact name.
     * @param indices  feature indices.
     * @param values   feature values.
     * @param count    entries.
     * @return the response.
     * @throws IOException when the call fails.
     */
    public ResponseFlyweight predictSparse(
        final String artifact, final int[] indices, final double[] values, final int count) throws IOException
    {
        begin(DecisionKind.GBDT_PREDICT).name(artifact.getBytes(StandardCharsets.UTF_8)).sparse(indices, values, count);
        return call();
    }

    /**
     * Creative quota k*.
     *
     * @param artifact artifact name.
     * @param values   option values (or the value model's row).
     * @param count    how many.
     * @return the response (k* is {@code intResult(0)}).
     * @throws IOException when the call fails.
     */
    public ResponseFlyweight quota(final String artifact, final double[] values, final int count) throws IOException
    {
        begin(DecisionKind.QUOTA).name(artifact.getBytes(StandardCharsets.UTF_8)).dense(values, count);
        return call();
    }

    /**
     * Top-K ranking with quality scalars.
     *
     * @param scalars     quality scalars.
     * @param scalarCount how many.
     * @param batch       candidate batch.
     * @param offset      batch start.
     * @param length      batch bytes.
     * @param k           how many to return.
     * @return the response (indices are {@code intResult(i)}).
     * @throws IOException when the call fails.
     */
    public ResponseFlyweight rank(
        final double[] scalars, final int scalarCount, final DirectBuffer batch, final int offset, final int length,
        final int k) throws IOException
    {
        begin(DecisionKind.RANK).k(k).name(new byte[0]).scalars(scalars, scalarCount).batch(batch, offset, length);
        return call();
    }

    /**
     * Quality-bid scalars of a user.
     *
     * @param artifact artifact name.
     * @param userId   the user (cohort table key).
     * @param features the sensitivity models' feature row, or none ({@code count} 0: every cohort from the table).
     * @param count    how many features.
     * @return the response (scalar b is {@code doubleResult(b)}, Q = {@code resultCount()}).
     * @throws IOException when the call fails.
     */
    public ResponseFlyweight scalars(final String artifact, final long userId, final double[] features,
        final int count) throws IOException
    {
        begin(DecisionKind.SCALAR).userId(userId).name(artifact.getBytes(StandardCharsets.UTF_8))
            .dense(features, count);
        return call();
    }

    /**
     * Ad-slot pattern of a feed fetch; the daemon reads and updates the user's session state.
     *
     * @param artifact          artifact name.
     * @param decisionRequestId the host's id of the feed fetch (seeds the draw).
     * @param userId            the user.
     * @param nowMillis         request time, epoch milliseconds.
     * @param features          the C context features.
     * @param count             C.
     * @return the response; read its payload with {@link io.decide.sidecar.protocol.AdSlotResponseFlyweight}.
     * @throws IOException when the call fails.
     */
    public ResponseFlyweight adSlot(final String artifact, final long decisionRequestId, final long userId,
        final long nowMillis, final double[] features, final int count) throws IOException
    {
        begin(DecisionKind.AD_SLOT).userId(userId).name(artifact.getBytes(StandardCharsets.UTF_8))
            .dense(features, count).adSlot(decisionRequestId, nowMillis);
        return call();
    }

    /**
     * Send a request frame the caller encoded and wait for its response.
     *
     * @param frame  the frame.
     * @param offset its start.
     * @param length its length.
     * @return the response.
     * @throws IOException when the call fails.
     */
    public ResponseFlyweight call(final DirectBuffer frame, final int offset, final int length) throws IOException
    {
        final long id = frame.getLong(offset + io.decide.sidecar.protocol.FrameDescriptor.REQUEST_ID_OFFSET,
            java.nio.ByteOrder.LITTLE_ENDIAN);
        connection.send(frame, offset, length);
        return await(id);
    }

    private RequestEncoder begin(final DecisionKind kind)
    {
        return encoder.begin(request, 0, nextId++, kind.id()).deadline(timeoutMicros, 0);
    }

    private ResponseFlyweight call() throws IOException
    {
        final int length = encoder.finish();
        connection.send(request, 0, length);
        return await(nextId - 1);
    }

    private ResponseFlyweight await(final long id) throws IOException
    {
        capture.wanted = id;
        capture.found = false;
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!capture.found)
        {
            final long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left < 0)
            {
                throw new IOException("no response to request " + id + " within " + timeoutMillis + " ms");
            }
            connection.receive(capture, Math.max(1, left));
        }
        return view.wrap(response, 0);
    }

    /** @return the underlying connection. */
    public ClientConnection connection()
    {
        return connection;
    }

    @Override
    public void close()
    {
        connection.close();
    }

    private final class Capture implements ResponseHandler
    {
        long wanted;
        boolean found;

        @Override
        public void onResponse(final ResponseFlyweight r)
        {
            if (r.requestId() == wanted || r.requestId() == 0)
            {
                final int length = r.frameLength();
                response.putBytes(0, r.buffer(), r.offset(), Math.min(length, response.capacity()));
                found = true;
            }
        }
    }
}
