package io.decide.engine.rank;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Top-K equals a full sort's top-K (ARCHITECTURE.md invariant), on random batches with and without frequent ties,
 * any K (0, below, equal and above N), any Q, identity and linear f. Total values are compared bit for bit: the
 * reference computes them with {@link Ranker#totalValue}, which performs the same operations in the same order.
 */
class RankerPropertyTest
{
    @Test
    void topKEqualsTheTopKOfAFullSort()
    {
        qt().withExamples(1500).forAll(longs().all(), integers().between(0, 300), integers().between(0, 320),
            integers().between(0, 5)).checkAssert((seed, n, k, q) ->
            {
                final boolean coarse = (seed & 16) == 0;
                final RankBatches.Batch batch = RankBatches.random(seed, n, q, (int)(seed & 7) * 8, coarse);
                final SplittableRandom random = new SplittableRandom(~seed);
                final double[] scalars = new double[q];
                for (int j = 0; j < q; j++)
                {
                    scalars[j] = coarse ? random.nextInt(0, 4) * 0.5 : random.nextDouble() * 3;
                }
                final Ranker ranker = (seed & 8) == 0 ? new Ranker() :
                    new Ranker(QualityTransform.linear(coarse ? 2 : 1.7, 0.25));
                final int[] out = new int[Math.max(1, k)];
                Arrays.fill(out, -7);
                final RankContext context = new RankContext(n);
                final int r = ranker.topK(batch.buffer(), batch.offset(), scalars, k, out, context);
                final int[] expected = RankBatches.reference(ranker, batch, scalars, k);
                assertEquals(expected.length, r);
                assertArrayEquals(expected, Arrays.copyOf(out, r), () -> "n=" + n + " k=" + k + " q=" + q);
                for (int i = 0; i < n; i++)
                {
                    assertEquals(ranker.totalValue(batch.ecpm()[i], batch.pQuality(), i * q, scalars, q),
                        context.totalValue(i));
                }
            });
    }
}
