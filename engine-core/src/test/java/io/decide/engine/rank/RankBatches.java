package io.decide.engine.rank;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/** Random candidate batches and the reference ranking (a full sort) for the ranking tests. */
final class RankBatches
{
    /** A batch in an off-heap buffer and the same numbers on heap. */
    record Batch(UnsafeBuffer buffer, int offset, int n, int q, double[] ecpm, double[] pQuality)
    {
    }

    private RankBatches()
    {
    }

    /**
     * Values on a grid of 1/8 with few distinct levels, so equal total values (ties) are common.
     */
    static Batch random(final long seed, final int n, final int q, final int offset, final boolean coarse)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] ecpm = new double[n];
        final double[] p = new double[n * q];
        for (int i = 0; i < n; i++)
        {
            ecpm[i] = coarse ? random.nextInt(0, 8) / 8.0 : random.nextDouble() * 10;
            for (int j = 0; j < q; j++)
            {
                p[i * q + j] = coarse ? random.nextInt(0, 4) / 8.0 : random.nextDouble() * 0.2;
            }
        }
        return write(ecpm, p, n, q, offset);
    }

    static Batch write(final double[] ecpm, final double[] p, final int n, final int q, final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(
            (int)(offset + CandidateBatchDescriptor.batchLength(n, q))));
        final CandidateBatchWriter writer = new CandidateBatchWriter().wrap(buffer, offset).header(n, q);
        for (int i = 0; i < n; i++)
        {
            writer.ecpm(i, ecpm[i]);
            for (int j = 0; j < q; j++)
            {
                writer.pQuality(i, j, p[i * q + j]);
            }
        }
        return new Batch(buffer, offset, n, q, ecpm, p);
    }

    /** The first min(k, n) indices of a full stable sort by total value descending (ties: lower index first). */
    static int[] reference(final Ranker ranker, final Batch batch, final double[] scalars, final int k)
    {
        final double[] values = new double[batch.n()];
        final Integer[] order = new Integer[batch.n()];
        for (int i = 0; i < batch.n(); i++)
        {
            values[i] = ranker.totalValue(batch.ecpm()[i], batch.pQuality(), i * batch.q(), scalars, batch.q());
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -values[i]).thenComparingInt(i -> i));
        final int m = Math.max(0, Math.min(k, batch.n()));
        final int[] top = new int[m];
        for (int i = 0; i < m; i++)
        {
            top[i] = order[i];
        }
        return top;
    }
}
