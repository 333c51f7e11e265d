package io.decide.sidecar.protocol;

import io.decide.engine.service.DecisionKind;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Well-formed requests of one kind for one artifact, made up rather than taken from traffic: the load generator's
 * requests and the daemon's warm-up. Non-RANK kinds carry a user id cycling through {@value #USERS} and either
 * {@code width} random dense inputs or an empty sparse row (every feature missing, which fits any artifact); AD_SLOT
 * adds the request id as decision id and the wall-clock time; RANK carries {@code qualities} scalars and a batch of
 * {@code candidates} random candidates. Allocates nothing per request.
 */
public final class SyntheticRequests
{
    /** Distinct user ids the requests cycle through. */
    public static final int USERS = 100_000;

    private final RequestEncoder encoder = new RequestEncoder();
    private final DecisionKind kind;
    private final byte[] name;
    private final int width;
    private final int qualities;
    private final int k;
    private final int timeoutMicros;
    private final double[] row;
    private final double[] scalars;
    private final UnsafeBuffer batch;
    private final int batchLength;
    private final int[] noIndices = new int[0];
    private final SplittableRandom random;

    /**
     * @param kind          decision kind.
     * @param artifact      artifact name (null = empty).
     * @param width         dense inputs per request; 0 sends an empty sparse row.
     * @param candidates    RANK: candidates per batch.
     * @param qualities     RANK: quality events (scalars per candidate).
     * @param k             RANK: how many to return.
     * @param timeoutMicros per-request timeout; 0 = the daemon's default.
     * @param seed          random seed of the inputs.
     */
    public SyntheticRequests(
        final DecisionKind kind,
        final String artifact,
        final int width,
        final int candidates,
        final int qualities,
        final int k,
        final int timeoutMicros,
        final long seed)
    {
        this.kind = kind;
        this.name = artifact == null ? new byte[0] : artifact.getBytes(StandardCharsets.UTF_8);
        this.width = width;
        this.qualities = qualities;
        this.k = k;
        this.timeoutMicros = timeoutMicros;
        this.random = new SplittableRandom(seed);
        this.row = new double[Math.max(1, width)];
        this.scalars = new double[Math.max(1, qualities)];
        for (int q = 0; q < scalars.length; q++)
        {
            scalars[q] = 1 + q;
        }
        this.batchLength = 8 + candidates * 8 * (1 + qualities);
        this.batch = new UnsafeBuffer(ByteBuffer.allocateDirect(batchLength));
        batch.putInt(0, candidates, ByteOrder.LITTLE_ENDIAN);
        batch.putInt(4, qualities, ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < candidates * (1 + qualities); i++)
        {
            batch.putDouble(8 + 8 * i, random.nextDouble(), ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Write request {@code id}.
     *
     * @param frame  destination, large enough for the frame.
     * @param offset frame start (8-aligned).
     * @param id     request id.
     * @return the frame length.
     */
    public int encode(final MutableDirectBuffer frame, final int offset, final long id)
    {
        encoder.begin(frame, offset, id, kind.id()).deadline(timeoutMicros, 0);
        if (kind == DecisionKind.RANK)
        {
            encoder.k(k).name(name).scalars(scalars, qualities).batch(batch, 0, batchLength);
        }
        else
        {
            encoder.userId(id % USERS).name(name);
            if (width > 0)
            {
                for (int i = 0; i < width; i++)
                {
                    row[i] = random.nextDouble();
                }
                encoder.dense(row, width);
            }
            else
            {
                encoder.sparse(noIndices, row, 0);
            }
            if (kind == DecisionKind.AD_SLOT)
            {
                encoder.adSlot(id, System.currentTimeMillis());
            }
        }
        return encoder.finish();
    }
}
