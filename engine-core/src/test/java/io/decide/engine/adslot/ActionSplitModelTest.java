package io.decide.engine.adslot;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.testsupport.RandomEnsembles;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test of {@link ActionSplitModel} against the whole model in {@link GbdtEvaluator}: on random
 * single-output ensembles covering every semantic detail (both precisions and comparisons, missing rules,
 * categorical splits, DART weights, averaging, base score after trees, every transform) and edge-probing rows,
 * the split evaluation — context trees once, action trees per pattern — gives the same raw margin bit for bit
 * (a zero may differ only in sign) and the same transformed output, for every pattern's action features.
 */
class ActionSplitModelTest
{
    private static final double[][] ACTIONS = {{0, 0}, {1, 2}, {1, 16}, {2, 10}, {2, 20}, {Double.NaN, 3}};

    @Test
    void splitEvaluationEqualsTheWholeModel()
    {
        int actionTrees = 0;
        int contextTrees = 0;
        for (int seed = 0; seed < 300; seed++)
        {
            final Random random = new Random(seed);
            final int features = 3 + random.nextInt(12);
            final TreeEnsemble model = RandomEnsembles.ensemble(random,
                new RandomEnsembles.Shape(features, 1, 1 + random.nextInt(40), 1 + random.nextInt(7),
                    random.nextBoolean(), true));
            final int c = features - 2;
            final ActionSplitModel split = ActionSplitModel.of(model, c);
            actionTrees += split.actionTreeCount();
            contextTrees += split.treeCount() - split.actionTreeCount();
            final ActionSplitModel.Context context = new ActionSplitModel.Context(split, ACTIONS.length);
            final GbdtEvaluator whole = new GbdtEvaluator(model);
            final GbdtContext wholeContext = whole.newContext();
            final double[] expected = new double[1];
            final double[] expectedOut = new double[Math.max(1, model.transformedCount())];
            final double[] out = new double[Math.max(1, model.transformedCount())];
            final int[] counts = new int[ACTIONS.length];
            final int[] masks = new int[ACTIONS.length];
            final boolean[] allowed = new boolean[ACTIONS.length];
            final double[] rawAll = new double[ACTIONS.length];
            final double[] transformedAll = new double[ACTIONS.length];
            for (final double[] original : RandomEnsembles.rows(random, model, 50))
            {
                final double[] row = original.clone();
                split.prepare(row, context);
                for (int p = 0; p < ACTIONS.length; p++)
                {
                    counts[p] = (int)ACTIONS[p][1] % 3;
                    masks[p] = (int)ACTIONS[p][1] + p;
                    allowed[p] = p != 2;
                }
                split.scoreAll(row, c, counts, masks, allowed, ACTIONS.length, false, out, rawAll, context);
                split.scoreAll(row, c, counts, masks, allowed, ACTIONS.length, true, out, transformedAll, context);
                for (int p = 0; p < ACTIONS.length; p++)
                {
                    if (allowed[p])
                    {
                        row[c] = counts[p];
                        row[c + 1] = masks[p];
                        whole.predictRaw(row, expected, wholeContext);
                        assertSame(expected[0], rawAll[p], "seed " + seed + " scoreAll raw, pattern " + p);
                        whole.predict(row, expectedOut, wholeContext);
                        assertSame(expectedOut[0], transformedAll[p], "seed " + seed + " scoreAll transformed");
                    }
                }
                for (final double[] action : ACTIONS)
                {
                    row[c] = action[0];
                    row[c + 1] = action[1];
                    whole.predictRaw(row, expected, wholeContext);
                    final double raw = split.score(row, false, out, context);
                    final String what = "seed " + seed + " action " + action[0] + "/" + action[1];
                    assertSame(expected[0], raw, what + " raw");
                    whole.predict(row, expectedOut, wholeContext);
                    final double transformed = split.score(row, true, out, context);
                    assertSame(expectedOut[0], transformed, what + " transformed");
                }
            }
        }
        assertTrue(actionTrees > 500 && contextTrees > 500, actionTrees + " action and " + contextTrees +
            " context trees: both parts must be exercised");
    }

    @Test
    void patternTreesEqualThePerPatternPathAndTheWholeModel()
    {
        int walked = 0;
        for (int seed = 0; seed < 300; seed++)
        {
            final Random random = new Random(1000 + seed);
            final int features = 3 + random.nextInt(12);
            final TreeEnsemble model = RandomEnsembles.ensemble(random,
                new RandomEnsembles.Shape(features, 1, 1 + random.nextInt(40), 1 + random.nextInt(7),
                    random.nextBoolean(), true));
            final int c = features - 2;
            final int patterns = seed % 10 == 0 ? 64 : 1 + random.nextInt(20);
            final int[] counts = new int[patterns];
            final int[] masks = new int[patterns];
            final double[] thresholds = actionThresholds(model, c);
            for (int p = 0; p < patterns; p++)
            {
                counts[p] = pick(random, thresholds, 4);
                masks[p] = pick(random, thresholds, 70);
            }
            final ActionSplitModel split = ActionSplitModel.of(model, c, counts, masks, patterns);
            assertEquals(split.actionTreeCount() > 0, split.hasPatternTrees());
            walked += split.actionTreeCount();
            final ActionSplitModel.Context context = new ActionSplitModel.Context(split, patterns);
            final GbdtEvaluator whole = new GbdtEvaluator(model);
            final GbdtContext wholeContext = whole.newContext();
            final double[] expected = new double[1];
            final double[] expectedOut = new double[Math.max(1, model.transformedCount())];
            final double[] out = new double[Math.max(1, model.transformedCount())];
            final boolean[] allowed = new boolean[patterns];
            final double[] fast = new double[patterns];
            final double[] slow = new double[patterns];
            for (final double[] original : RandomEnsembles.rows(random, model, 30))
            {
                final double[] row = original.clone();
                for (int p = 0; p < patterns; p++)
                {
                    allowed[p] = random.nextInt(5) != 0;
                }
                split.prepare(row, context);
                for (final boolean transformed : new boolean[] {false, true})
                {
                    context.perPattern = false;
                    split.scoreAll(row, c, counts, masks, allowed, patterns, transformed, out, fast, context);
                    context.perPattern = true;
                    split.scoreAll(row, c, counts, masks, allowed, patterns, transformed, out, slow, context);
                    for (int p = 0; p < patterns; p++)
                    {
                        if (allowed[p])
                        {
                            final String what = "seed " + seed + " pattern " + p + " transformed " + transformed;
                            assertEquals(Double.doubleToLongBits(slow[p]), Double.doubleToLongBits(fast[p]),
                                what + ": pattern trees vs per pattern");
                            row[c] = counts[p];
                            row[c + 1] = masks[p];
                            if (transformed)
                            {
                                whole.predict(row, expectedOut, wholeContext);
                                assertSame(expectedOut[0], fast[p], what);
                            }
                            else
                            {
                                whole.predictRaw(row, expected, wholeContext);
                                assertSame(expected[0], fast[p], what);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(walked > 500, walked + " action trees walked");
    }

    /** Thresholds of splits on the action features, so patterns land on, just below and just above them. */
    private static double[] actionThresholds(final TreeEnsemble model, final int c)
    {
        int n = 0;
        final double[] all = new double[1 + java.util.Arrays.stream(model.trees()).mapToInt(t -> t.nodeCount()).sum()];
        for (final io.decide.format.gbdt.Tree tree : model.trees())
        {
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (!tree.isLeaf(i) && tree.feature(i) >= c && tree.categories(i) == null)
                {
                    all[n++] = tree.threshold(i);
                }
            }
        }
        return java.util.Arrays.copyOf(all, n);
    }

    private static int pick(final Random random, final double[] thresholds, final int bound)
    {
        if (thresholds.length == 0 || random.nextInt(3) == 0)
        {
            return random.nextInt(bound) - 1;
        }
        final double t = thresholds[random.nextInt(thresholds.length)];
        final double clamped = Math.max(-1e6, Math.min(1e6, Double.isNaN(t) ? 0 : t));
        return (int)Math.floor(clamped) + random.nextInt(3) - 1;
    }

    private static void assertSame(final double expected, final double actual, final String what)
    {
        if (expected == 0 && actual == 0)
        {
            return;
        }
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
            () -> what + ": expected " + expected + ", got " + actual);
    }
}
