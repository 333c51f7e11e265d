package io.decide.engine.gbdt;

import io.decide.format.gbdt.CategoricalRule;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.testsupport.AllocationAssert;
import io.decide.testsupport.RandomEnsembles;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Deep, sparse trees (LightGBM's shape: a few dozen leaves, depth far above {@link GbdtEvaluator#MAX_PADDED_DEPTH})
 * go to the bitvector scorer when they have at most {@link GbdtEvaluator#MAX_SCORER_LEAVES} leaves and to the compact
 * walk otherwise; both must equal the reference semantics bit for bit, mixed with padded blocks, in tree order.
 */
class GbdtScorerTest
{
    @Test
    void deepSparseTreesAreScoredExactly()
    {
        long rows = 0;
        boolean sawScorer = false;
        boolean sawCompact = false;
        boolean sawPadded = false;
        for (int seed = 0; seed < 60; seed++)
        {
            final Random random = new Random(1000 + seed);
            final TreeEnsemble ensemble = deepEnsemble(random, random.nextInt(2) == 0 ? 1 : 1 + random.nextInt(3));
            final GbdtEvaluator evaluator = new GbdtEvaluator(ensemble);
            final int[] kinds = evaluator.blockKindCounts();
            sawPadded |= kinds[0] > 0;
            sawCompact |= kinds[1] > 0;
            sawScorer |= kinds[3] > 0;
            final GbdtContext context = evaluator.newContext();
            final double[] expected = new double[ensemble.outputCount()];
            final double[] actual = new double[ensemble.outputCount()];
            for (final double[] row : RandomEnsembles.rows(random, ensemble, 300))
            {
                ensemble.predictRaw(row, expected);
                evaluator.predictRaw(row, actual, context);
                for (int g = 0; g < expected.length; g++)
                {
                    assertEquals(Double.doubleToLongBits(expected[g]), Double.doubleToLongBits(actual[g]),
                        "seed " + seed + " output " + g + ": reference " + expected[g] + ", evaluator " + actual[g]);
                }
                rows++;
            }
        }
        assertTrue(sawScorer && sawCompact && sawPadded, "scorer, compact and padded blocks all exercised");
        assertTrue(rows >= 60 * 300, "rows checked: " + rows);
    }

    @Test
    void lightGbmShapedTreesUseTheScorerWithoutAllocating()
    {
        final Random random = new Random(31);
        final TreeEnsemble.Builder builder = baseBuilder(random, 1, Precision.FLOAT64);
        for (int t = 0; t < 41; t++)
        {
            builder.addTree(randomTree(random, 0, 31, 0.9, false));
        }
        final TreeEnsemble ensemble = builder.build();
        assertTrue(ensemble.maxDepth() > GbdtEvaluator.MAX_PADDED_DEPTH, "depth " + ensemble.maxDepth());
        final GbdtEvaluator evaluator = new GbdtEvaluator(ensemble);
        final int[] kinds = evaluator.blockKindCounts();
        assertEquals(11, kinds[3], "every block scored by bitvectors (41 trees, the last block partial)");
        final GbdtContext context = evaluator.newContext();
        final double[][] rows = RandomEnsembles.rows(random, ensemble, 64);
        final double[] expected = new double[1];
        final double[] out = new double[1];
        for (final double[] row : rows)
        {
            ensemble.predictRaw(row, expected);
            evaluator.predictRaw(row, out, context);
            assertEquals(Double.doubleToLongBits(expected[0]), Double.doubleToLongBits(out[0]));
        }
        final int[] next = {0};
        AllocationAssert.assertZeroAllocation("GBDT scorer single row", 20_000, 20_000,
            () -> evaluator.predictRaw(rows[next[0]++ & 63], out, context));
    }

    /** Trees of up to 100 leaves and depth up to 20 over a few features, some shallow complete trees between them. */
    private static TreeEnsemble deepEnsemble(final Random random, final int outputs)
    {
        final Precision precision = random.nextBoolean() ? Precision.FLOAT32 : Precision.FLOAT64;
        final TreeEnsemble.Builder builder = baseBuilder(random, outputs, precision);
        final int trees = 1 + random.nextInt(30);
        for (int t = 0; t < trees; t++)
        {
            final boolean shallowBlock = (t / GbdtEvaluator.BLOCK) % 3 == 2;
            final int leaves = shallowBlock ? 1 + random.nextInt(6) :
                random.nextInt(4) == 0 ? 65 + random.nextInt(40) : 1 + random.nextInt(64);
            builder.addTree(randomTree(random, t % outputs, leaves, shallowBlock ? 0.0 : random.nextInt(3) == 0 ? 0.5 : 0.9,
                precision == Precision.FLOAT32));
        }
        return builder.build();
    }

    private static TreeEnsemble.Builder baseBuilder(final Random random, final int outputs, final Precision precision)
    {
        final double[] base = new double[outputs];
        for (int g = 0; g < outputs; g++)
        {
            base[g] = precision == Precision.FLOAT32 ? (float)random.nextGaussian() : random.nextGaussian();
        }
        return TreeEnsemble.builder()
            .featureCount(8)
            .outputCount(outputs)
            .precision(precision)
            .comparison(random.nextBoolean() ? SplitComparison.LESS_THAN : SplitComparison.LESS_EQUAL)
            .categoricalRule(CategoricalRule.LIGHTGBM)
            .baseScores(base);
    }

    /**
     * A random binary tree over 8 features with exactly {@code leaves} leaves, grown by splitting a random leaf,
     * preferring the deepest ({@code skew} of the time) so trees get deep and sparse; thresholds are quarters (and
     * +inf), exact in float and double, so the row probes hit them.
     */
    private static Tree randomTree(
        final Random random, final int group, final int leaves, final double skew, final boolean f32)
    {
        final List<int[]> children = new ArrayList<>();
        final List<Integer> depth = new ArrayList<>();
        children.add(new int[]{-1, -1});
        depth.add(0);
        final List<Integer> open = new ArrayList<>(List.of(0));
        while (open.size() < leaves)
        {
            int pick = random.nextInt(open.size());
            if (random.nextDouble() < skew)
            {
                for (int i = 0; i < open.size(); i++)
                {
                    if (depth.get(open.get(i)) > depth.get(open.get(pick)))
                    {
                        pick = i;
                    }
                }
            }
            final int node = open.remove(pick);
            final int d = depth.get(node);
            for (int c = 0; c < 2; c++)
            {
                children.get(node)[c] = children.size();
                open.add(children.size());
                children.add(new int[]{-1, -1});
                depth.add(d + 1);
            }
        }
        final int n = children.size();
        final int[] left = new int[n];
        final int[] right = new int[n];
        final int[] feature = new int[n];
        final double[] threshold = new double[n];
        final boolean[] defaultLeft = new boolean[n];
        final MissingRule[] missing = new MissingRule[n];
        final int[][] categories = new int[n][];
        final double[] leaf = new double[n];
        for (int i = 0; i < n; i++)
        {
            left[i] = children.get(i)[0];
            right[i] = children.get(i)[1];
            if (left[i] < 0)
            {
                leaf[i] = f32 ? (float)random.nextGaussian() : random.nextGaussian();
                continue;
            }
            feature[i] = random.nextInt(8);
            threshold[i] = random.nextInt(10) == 0 ? Double.POSITIVE_INFINITY : Math.rint(random.nextGaussian() * 8) / 4;
            defaultLeft[i] = random.nextBoolean();
            final int rule = random.nextInt(6);
            missing[i] = rule == 4 ? MissingRule.ZERO_DEFAULT : rule == 5 ? MissingRule.NAN_AS_ZERO :
                MissingRule.NAN_DEFAULT;
        }
        return new Tree(group, 1.0, left, right, feature, threshold, defaultLeft, missing, categories, leaf);
    }
}
