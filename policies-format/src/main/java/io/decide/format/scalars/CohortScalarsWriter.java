package io.decide.format.scalars;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static io.decide.format.scalars.CohortScalarsDescriptor.*;

/**
 * Builds the bytes of a COHORT_SCALARS section; see {@link CohortScalarsDescriptor}. Arguments are checked here with
 * the same rules {@link CohortScalarsValidator} applies, so a writer never produces a section the engine refuses
 * (except a model cross-reference, which only the whole artifact can satisfy).
 */
public final class CohortScalarsWriter
{
    private final List<Bid> bids = new ArrayList<>();

    private record Bid(
        int bidId, int direction, int method, double lower, double upper, double defaultScalar,
        double[] boundaries, double[] scalars, int modelOrdinal, int modelOutput, int modelKind)
    {
    }

    /**
     * Add a bid whose cohorts the caller resolves (no sensitivity model).
     *
     * @param bidId         quality bid id, unique in the section.
     * @param direction     {@link CohortScalarsDescriptor#INCREASING} or {@link CohortScalarsDescriptor#DECREASING}.
     * @param method        solve method code ({@code METHOD_*}).
     * @param lower         lower bound l, finite.
     * @param upper         upper bound u, finite, >= l.
     * @param defaultScalar scalar for unknown users, in [l, u].
     * @param boundaries    N-1 strictly ascending finite sensitivity boundaries.
     * @param scalars       N finite scalars in [l, u], monotone in the direction.
     * @return this.
     */
    public CohortScalarsWriter addBid(
        final int bidId, final int direction, final int method, final double lower, final double upper,
        final double defaultScalar, final double[] boundaries, final double[] scalars)
    {
        return addBid(bidId, direction, method, lower, upper, defaultScalar, boundaries, scalars, NO_MODEL, 0);
    }

    /**
     * Add a bid, optionally with a sensitivity model.
     *
     * @param bidId         quality bid id, unique in the section.
     * @param direction     {@link CohortScalarsDescriptor#INCREASING} or {@link CohortScalarsDescriptor#DECREASING}.
     * @param method        solve method code ({@code METHOD_*}).
     * @param lower         lower bound l, finite.
     * @param upper         upper bound u, finite, >= l.
     * @param defaultScalar scalar for unknown users, in [l, u].
     * @param boundaries    N-1 strictly ascending finite sensitivity boundaries.
     * @param scalars       N finite scalars in [l, u], monotone in the direction.
     * @param modelOrdinal  GBDT_ENSEMBLE ordinal giving the sensitivity, or {@link CohortScalarsDescriptor#NO_MODEL}.
     * @param modelOutput   raw margin of that model that is the sensitivity (0 without a model).
     * @return this.
     */
    public CohortScalarsWriter addBid(
        final int bidId, final int direction, final int method, final double lower, final double upper,
        final double defaultScalar, final double[] boundaries, final double[] scalars, final int modelOrdinal,
        final int modelOutput)
    {
        return addBid(bidId, direction, method, lower, upper, defaultScalar, boundaries, scalars, MODEL_GBDT,
            modelOrdinal, modelOutput);
    }

    /**
     * Add a bid, optionally with a sensitivity model of either kind.
     *
     * @param bidId         quality bid id, unique in the section.
     * @param direction     {@link CohortScalarsDescriptor#INCREASING} or {@link CohortScalarsDescriptor#DECREASING}.
     * @param method        solve method code ({@code METHOD_*}).
     * @param lower         lower bound l, finite.
     * @param upper         upper bound u, finite, >= l.
     * @param defaultScalar scalar for unknown users, in [l, u].
     * @param boundaries    N-1 strictly ascending finite sensitivity boundaries.
     * @param scalars       N finite scalars in [l, u], monotone in the direction.
     * @param modelKind     {@link CohortScalarsDescriptor#MODEL_GBDT} or {@link CohortScalarsDescriptor#MODEL_NETWORK}
     *                      (must be {@code MODEL_GBDT} without a model).
     * @param modelOrdinal  ordinal of the model section of that kind, or {@link CohortScalarsDescriptor#NO_MODEL}.
     * @param modelOutput   output of that model that is the sensitivity (0 without a model).
     * @return this.
     */
    public CohortScalarsWriter addBid(
        final int bidId, final int direction, final int method, final double lower, final double upper,
        final double defaultScalar, final double[] boundaries, final double[] scalars, final int modelKind,
        final int modelOrdinal, final int modelOutput)
    {
        if (bids.size() == MAX_BIDS)
        {
            throw new IllegalArgumentException("more than " + MAX_BIDS + " bids");
        }
        for (final Bid bid : bids)
        {
            if (bid.bidId == bidId)
            {
                throw new IllegalArgumentException("bid id " + bidId + " appears twice");
            }
        }
        final int n = scalars.length;
        if (n < 1 || n > MAX_COHORTS)
        {
            throw new IllegalArgumentException("bid " + bidId + ": cohort count " + n + ", expected 1.." + MAX_COHORTS);
        }
        if (boundaries.length != n - 1)
        {
            throw new IllegalArgumentException("bid " + bidId + ": " + boundaries.length + " boundaries for " + n +
                " cohorts, expected " + (n - 1));
        }
        if (direction != INCREASING && direction != DECREASING)
        {
            throw new IllegalArgumentException("bid " + bidId + ": direction " + direction);
        }
        if (method < METHOD_MANUAL || method > METHOD_ILP)
        {
            throw new IllegalArgumentException("bid " + bidId + ": method " + method);
        }
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || upper < lower)
        {
            throw new IllegalArgumentException("bid " + bidId + ": bounds [" + lower + ", " + upper + "]");
        }
        if (!(defaultScalar >= lower && defaultScalar <= upper))
        {
            throw new IllegalArgumentException("bid " + bidId + ": default scalar " + defaultScalar + " outside [" +
                lower + ", " + upper + "]");
        }
        for (int i = 0; i < boundaries.length; i++)
        {
            if (!Double.isFinite(boundaries[i]) || (i > 0 && !(boundaries[i] > boundaries[i - 1])))
            {
                throw new IllegalArgumentException("bid " + bidId + ": boundary " + i + " is " + boundaries[i] +
                    ", expected finite and above the previous one");
            }
        }
        for (int i = 0; i < n; i++)
        {
            final double x = scalars[i];
            if (!(x >= lower && x <= upper))
            {
                throw new IllegalArgumentException("bid " + bidId + ": scalar of cohort " + i + " is " + x +
                    ", expected in [" + lower + ", " + upper + "]");
            }
            if (i > 0 && (direction == INCREASING ? x < scalars[i - 1] : x > scalars[i - 1]))
            {
                throw new IllegalArgumentException("bid " + bidId + ": scalar of cohort " + i + " is " + x +
                    ", not monotone (" + (direction == INCREASING ? "increasing" : "decreasing") + ") after " +
                    scalars[i - 1]);
            }
        }
        if (modelOrdinal < NO_MODEL || modelOutput < 0 || (modelOrdinal == NO_MODEL && modelOutput != 0))
        {
            throw new IllegalArgumentException("bid " + bidId + ": model ordinal " + modelOrdinal + " output " +
                modelOutput);
        }
        if ((modelKind != MODEL_GBDT && modelKind != MODEL_NETWORK) || (modelOrdinal == NO_MODEL && modelKind != 0))
        {
            throw new IllegalArgumentException("bid " + bidId + ": model kind " + modelKind + " with model ordinal " +
                modelOrdinal);
        }
        bids.add(new Bid(bidId, direction, method, lower, upper, defaultScalar, boundaries.clone(), scalars.clone(),
            modelOrdinal, modelOutput, modelKind));
        return this;
    }

    /** @return the section bytes. */
    public byte[] toBytes()
    {
        if (bids.isEmpty())
        {
            throw new IllegalStateException("a COHORT_SCALARS section needs at least one bid");
        }
        final int q = bids.size();
        int length = directoryEnd(q);
        for (final Bid bid : bids)
        {
            length += bidBlockLength(bid.scalars.length);
        }
        final ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(BID_COUNT_OFFSET, q);
        int block = directoryEnd(q);
        for (int b = 0; b < q; b++)
        {
            final Bid bid = bids.get(b);
            final int n = bid.scalars.length;
            out.putInt(directoryEntryOffset(b), block);
            out.putInt(block + BID_ID_OFFSET, bid.bidId);
            out.putInt(block + COHORT_COUNT_OFFSET, n);
            out.put(block + DIRECTION_OFFSET, (byte)bid.direction);
            out.put(block + METHOD_OFFSET, (byte)bid.method);
            out.putInt(block + MODEL_ORDINAL_OFFSET, bid.modelOrdinal);
            out.putInt(block + MODEL_OUTPUT_OFFSET, bid.modelOutput);
            out.putInt(block + MODEL_KIND_OFFSET, bid.modelKind);
            out.putDouble(block + LOWER_OFFSET, bid.lower);
            out.putDouble(block + UPPER_OFFSET, bid.upper);
            out.putDouble(block + DEFAULT_SCALAR_OFFSET, bid.defaultScalar);
            for (int i = 0; i < n - 1; i++)
            {
                out.putDouble(block + boundaryOffset(i), bid.boundaries[i]);
            }
            for (int i = 0; i < n; i++)
            {
                out.putDouble(block + scalarOffset(n, i), bid.scalars[i]);
            }
            block += bidBlockLength(n);
        }
        return out.array();
    }
}
