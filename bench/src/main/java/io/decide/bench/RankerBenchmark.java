package io.decide.bench;

import io.decide.engine.rank.CandidateBatchDescriptor;
import io.decide.engine.rank.CandidateBatchWriter;
import io.decide.engine.rank.QualityTransform;
import io.decide.engine.rank.RankContext;
import io.decide.engine.rank.Ranker;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Early-stage ranking with personalised scalars: {@link Ranker#topK} selects the top 50 of 500 candidates
 * (Q = 3 quality events, f(CQS) = 1.2·CQS) from an off-heap batch, cycling through 16 batches of random values
 * so the selection path is not memorised. Checks every batch's top 50 against a full sort before timing. Peer in
 * the same run: {@link #fullSortPeer}, the obvious implementation (score into a {@code double[]}, sort boxed indices
 * with a comparator, take the first 50).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RankerBenchmark
{
    static final int BATCHES = 16;
    static final int CANDIDATES = 500;
    static final int QUALITY = 3;
    static final int K = 50;

    private final UnsafeBuffer[] batches = new UnsafeBuffer[BATCHES];
    private final double[] scalars = {1.5, 0.7, 2.0};
    private final int[] out = new int[K];
    private final RankContext context = new RankContext(CANDIDATES);
    private final Ranker ranker = new Ranker(QualityTransform.linear(1.2, 0));
    private final double[] peerValues = new double[CANDIDATES];
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final CandidateBatchWriter writer = new CandidateBatchWriter();
        for (int b = 0; b < BATCHES; b++)
        {
            batches[b] = new UnsafeBuffer(ByteBuffer.allocateDirect(
                (int)CandidateBatchDescriptor.batchLength(CANDIDATES, QUALITY)));
            writer.wrap(batches[b], 0).header(CANDIDATES, QUALITY);
            final double[] values = new double[CANDIDATES];
            final double[] p = new double[QUALITY];
            for (int i = 0; i < CANDIDATES; i++)
            {
                final double ecpm = Math.exp(random.nextDouble() * 4);
                writer.ecpm(i, ecpm);
                for (int q = 0; q < QUALITY; q++)
                {
                    p[q] = random.nextDouble() * 0.5;
                    writer.pQuality(i, q, p[q]);
                }
                values[i] = ranker.totalValue(ecpm, p, 0, scalars, QUALITY);
            }
            final Integer[] order = new Integer[CANDIDATES];
            for (int i = 0; i < CANDIDATES; i++)
            {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -values[i]).thenComparingInt(i -> i));
            BenchArtifacts.check(ranker.topK(batches[b], 0, scalars, K, out, context) == K, "topK returned < K");
            for (int j = 0; j < K; j++)
            {
                BenchArtifacts.check(out[j] == order[j], "Ranker.topK disagrees with a full sort");
            }
        }
    }

    /** @return the best candidate of the next batch's top 50. */
    @Benchmark
    public int top50of500()
    {
        final UnsafeBuffer batch = batches[next++ & (BATCHES - 1)];
        ranker.topK(batch, 0, scalars, K, out, context);
        return out[0];
    }

    /** @return the best candidate of the next batch's top 50, by a full sort (the peer). */
    @Benchmark
    public int fullSortPeer()
    {
        final UnsafeBuffer batch = batches[next++ & (BATCHES - 1)];
        final double[] values = peerValues;
        final double[] p = new double[QUALITY];
        final Integer[] order = new Integer[CANDIDATES];
        for (int i = 0; i < CANDIDATES; i++)
        {
            final int record = CandidateBatchDescriptor.recordOffset(i, QUALITY);
            for (int q = 0; q < QUALITY; q++)
            {
                p[q] = batch.getDouble(record + CandidateBatchDescriptor.P_QUALITY_OFFSET + 8 * q,
                    java.nio.ByteOrder.LITTLE_ENDIAN);
            }
            values[i] = ranker.totalValue(batch.getDouble(record, java.nio.ByteOrder.LITTLE_ENDIAN), p, 0, scalars,
                QUALITY);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -values[i]).thenComparingInt(i -> i));
        for (int j = 0; j < K; j++)
        {
            out[j] = order[j];
        }
        return out[0];
    }
}
