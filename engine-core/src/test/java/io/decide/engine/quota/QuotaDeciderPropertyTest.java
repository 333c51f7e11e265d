package io.decide.engine.quota;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Invariants of {@link QuotaDecider} on random items. Values, costs and λ are multiples of 1/64 with small
 * magnitudes, so every product and difference is exact in double and the invariants hold exactly (see the class
 * comment of {@link QuotaDecider} on rounding); ties are frequent on this grid, which is what the tie rule needs.
 */
class QuotaDeciderPropertyTest
{
    private static final double GRID = 1.0 / 64;

    private record Item(double[] costs, double[] values)
    {
    }

    private static Item item(final long seed, final int optionCount)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] costs = new double[optionCount];
        final double[] values = new double[optionCount];
        for (int k = 0; k < optionCount; k++)
        {
            costs[k] = random.nextInt(0, 40) * 0.25;
            values[k] = random.nextInt(-640, 640) * GRID * (random.nextInt(4) == 0 ? 0 : 1);
        }
        Arrays.sort(costs);
        return new Item(costs, values);
    }

    @Test
    void chosenCostIsNonIncreasingInLambda()
    {
        qt().withExamples(2000).forAll(longs().all(), integers().between(1, 16), integers().between(0, 2000),
            integers().between(0, 2000)).checkAssert((seed, k, a, b) ->
            {
                final Item item = item(seed, k);
                final QuotaDecider decider = new QuotaDecider(item.costs, 0, 0);
                final double low = Math.min(a, b) * GRID;
                final double high = Math.max(a, b) * GRID;
                final int atLow = decider.choose(item.values, 0, low);
                final int atHigh = decider.choose(item.values, 0, high);
                assertTrue(item.costs[atHigh] <= item.costs[atLow], () -> "cost " + item.costs[atHigh] + " at λ=" +
                    high + " > cost " + item.costs[atLow] + " at λ=" + low + " for " + item);
            });
    }

    @Test
    void choiceIsTheArgmaxWithTiesToTheLowerCost()
    {
        qt().withExamples(2000).forAll(longs().all(), integers().between(1, 16), integers().between(0, 2000))
            .checkAssert((seed, k, a) ->
            {
                final Item item = item(seed, k);
                final double lambda = a * GRID;
                final int chosen = new QuotaDecider(item.costs, lambda, 0).choose(item.values, 0);
                final double best = item.values[chosen] - lambda * item.costs[chosen];
                for (int j = 0; j < k; j++)
                {
                    final double score = item.values[j] - lambda * item.costs[j];
                    assertTrue(score <= best, "option " + j + " scores higher than the chosen " + chosen);
                    if (score == best)
                    {
                        assertTrue(item.costs[chosen] < item.costs[j] || (item.costs[chosen] == item.costs[j] &&
                            chosen <= j), "tie between " + chosen + " and " + j + " not broken to the lower cost");
                    }
                }
            });
    }
}
