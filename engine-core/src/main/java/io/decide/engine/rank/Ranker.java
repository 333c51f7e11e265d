package io.decide.engine.rank;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.decide.engine.rank.CandidateBatchDescriptor.CANDIDATE_COUNT_OFFSET;
import static io.decide.engine.rank.CandidateBatchDescriptor.HEADER_LENGTH;
import static io.decide.engine.rank.CandidateBatchDescriptor.P_QUALITY_OFFSET;
import static io.decide.engine.rank.CandidateBatchDescriptor.QUALITY_COUNT_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Ranks a candidate batch with personalised quality scalars (PAPERS.md §1, §3). For candidate i:
 * <pre>
 *   CQS_i         = Σ_q scalar_q · pQuality_{i,q}      (q = 0 .. Q−1, summed in q order)
 *   total value_i = eCPM_i − f(CQS_i)                  (f = {@link QualityTransform}, identity by default)
 * </pre>
 * The paper's AdQuality = f(CQS) is a cost here: quality events are negative events (hide, report), their scalars
 * are positive, and a higher CQS lowers the total value. {@link #topK} writes the K candidates with the highest
 * total value into a caller-provided array, best first; equal total values go to the lower candidate index; a NaN
 * total value counts as −∞ (it ranks after every number, ties again by index).
 * <p>
 * Scoring runs one strided pass per quality event (see {@code scoreAll}); selection keeps a bounded heap of K in the
 * output array itself (root = the worst of the current top K; a later candidate enters only when strictly better
 * than the root, since it would lose a tie on index), then sorts it in place: O(N·Q + N log K). Immutable and thread-safe; {@link #topK} allocates nothing, its scratch is the
 * caller's {@link RankContext}. Request faults are return codes, not exceptions.
 */
public final class Ranker
{
    /** The batch has more quality events than scalars were given. */
    public static final int QUALITY_MISMATCH = -1;
    /** The batch has more candidates than the context was sized for. */
    public static final int TOO_MANY_CANDIDATES = -2;
    /** The output array is shorter than min(K, N). */
    public static final int OUTPUT_TOO_SHORT = -3;

    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == LITTLE_ENDIAN;

    private final QualityTransform transform;
    private final double slope;
    private final double intercept;

    /** A ranker with f = identity. */
    public Ranker()
    {
        this(QualityTransform.IDENTITY);
    }

    /**
     * @param transform f in {@code total value = eCPM − f(CQS)}.
     */
    public Ranker(final QualityTransform transform)
    {
        this.transform = transform;
        this.slope = transform.slope();
        this.intercept = transform.intercept();
    }

    /** @return f. */
    public QualityTransform transform()
    {
        return transform;
    }

    /**
     * Select the top K candidates of a batch by total value. The batch header must have been checked once with
     * {@link CandidateBatchFlyweight#validate()} (here only the counts are compared with the arguments).
     *
     * @param buffer  buffer holding the batch ({@link CandidateBatchDescriptor}).
     * @param offset  offset of the batch start.
     * @param scalars the request's quality scalars, at least Q of them ({@code scalars[q]} weights pQuality_q).
     * @param k       how many to select; <= 0 selects none.
     * @param out     receives the selected candidate indices in {@code out[0 .. r)}, best first; length >= min(K, N).
     * @param context the calling thread's scratch; afterwards {@link RankContext#totalValue} has every candidate's
     *                total value.
     * @return r = min(K, N) >= 0, or {@link #QUALITY_MISMATCH}, {@link #TOO_MANY_CANDIDATES},
     *         {@link #OUTPUT_TOO_SHORT}.
     */
    public int topK(
        final DirectBuffer buffer,
        final int offset,
        final double[] scalars,
        final int k,
        final int[] out,
        final RankContext context)
    {
        final int n = buffer.getInt(offset + CANDIDATE_COUNT_OFFSET, LITTLE_ENDIAN);
        final int q = buffer.getInt(offset + QUALITY_COUNT_OFFSET, LITTLE_ENDIAN);
        final double[] values = context.values;
        if (q > scalars.length)
        {
            return QUALITY_MISMATCH;
        }
        if (n > values.length)
        {
            return TOO_MANY_CANDIDATES;
        }
        final int m = Math.min(k, n);
        if (m <= 0)
        {
            scoreAll(buffer, offset, scalars, n, q, values);
            return 0;
        }
        if (out.length < m)
        {
            return OUTPUT_TOO_SHORT;
        }
        scoreAll(buffer, offset, scalars, n, q, values);
        for (int i = 0; i < m; i++)
        {
            out[i] = i;
        }
        for (int i = (m >>> 1) - 1; i >= 0; i--)
        {
            siftDown(out, i, m, values);
        }
        // Every index in the heap is below i, so a candidate equal to the root loses the tie: only v > root enters.
        double threshold = values[out[0]];
        for (int i = m; i < n; i++)
        {
            final double value = values[i];
            if (value > threshold)
            {
                out[0] = i;
                siftDown(out, 0, m, values);
                threshold = values[out[0]];
            }
        }
        for (int end = m - 1; end > 0; end--)
        {
            final int worst = out[0];
            out[0] = out[end];
            out[end] = worst;
            siftDown(out, 0, end, values);
        }
        return m;
    }

    /**
     * Total value of one candidate, computed exactly as {@link #topK} does (same operations, same order); for
     * tests and offline tools.
     *
     * @param ecpm     eCPM.
     * @param pQuality Q predictions starting at {@code pOffset}.
     * @param pOffset  index of pQuality_0.
     * @param scalars  Q scalars.
     * @param q        Q.
     * @return the total value, −∞ when NaN.
     */
    public double totalValue(
        final double ecpm, final double[] pQuality, final int pOffset, final double[] scalars, final int q)
    {
        double cqs = 0.0;
        for (int j = 0; j < q; j++)
        {
            cqs += scalars[j] * pQuality[pOffset + j];
        }
        final double value = ecpm - (slope * cqs + intercept);
        return value != value ? Double.NEGATIVE_INFINITY : value;
    }

    /**
     * Every candidate's total value into {@code values}: CQS is accumulated one quality event at a time over all
     * candidates (a strided pass with the scalar in a register; per candidate the sum is still taken in q order, so
     * the result is bit-identical to {@link #totalValue}), then {@code eCPM − (a·CQS + b)}.
     */
    private void scoreAll(
        final DirectBuffer buffer,
        final int offset,
        final double[] scalars,
        final int n,
        final int q,
        final double[] values)
    {
        final double a = slope;
        final double b = intercept;
        final int stride = CandidateBatchDescriptor.recordLength(q);
        final int first = offset + HEADER_LENGTH;
        for (int i = 0; i < n; i++)
        {
            values[i] = 0.0;
        }
        for (int j = 0; j < q; j++)
        {
            final double scalar = scalars[j];
            int position = first + P_QUALITY_OFFSET + 8 * j;
            for (int i = 0; i < n; i++, position += stride)
            {
                values[i] += scalar * readDouble(buffer, position);
            }
        }
        int position = first;
        for (int i = 0; i < n; i++, position += stride)
        {
            final double value = readDouble(buffer, position) - (a * values[i] + b);
            values[i] = value != value ? Double.NEGATIVE_INFINITY : value;
        }
    }

    /** A little-endian double; the plain (native-order) read when the platform is little-endian. */
    private static double readDouble(final DirectBuffer buffer, final int index)
    {
        return NATIVE_LITTLE_ENDIAN ? buffer.getDouble(index) : buffer.getDouble(index, LITTLE_ENDIAN);
    }

    /**
     * Restore the heap (root = worst) below {@code index} in {@code heap[0 .. size)}. The child choice is written as
     * selects rather than branches (its outcome is random, so a branch would mispredict about half the time) and
     * each value is loaded once.
     */
    private static void siftDown(final int[] heap, final int index, final int size, final double[] values)
    {
        int i = index;
        final int item = heap[i];
        final double itemValue = values[item];
        final int lastParentBound = (size - 1) >>> 1;
        while (i < lastParentBound)
        {
            final int left = 2 * i + 1;
            final int right = left + 1;
            final int l = heap[left];
            final int r = heap[right];
            final double lv = values[l];
            final double rv = values[r];
            final boolean takeRight = rv < lv || (rv == lv && r > l);
            final int child = takeRight ? right : left;
            final int c = takeRight ? r : l;
            final double cv = takeRight ? rv : lv;
            if (!(cv < itemValue || (cv == itemValue && c > item)))
            {
                heap[i] = item;
                return;
            }
            heap[i] = c;
            i = child;
        }
        final int left = 2 * i + 1;
        if (left < size)
        {
            final int l = heap[left];
            final double lv = values[l];
            if (lv < itemValue || (lv == itemValue && l > item))
            {
                heap[i] = l;
                i = left;
            }
        }
        heap[i] = item;
    }
}
