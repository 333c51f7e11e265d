package io.decide.engine.adslot;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;

/**
 * A single-output joint reward model evaluated once per request for the trees that do not look at the action
 * features (ad count, mask) and once per pattern only for the trees that do, with the same result as evaluating the
 * whole model on each pattern's row.
 * <p>
 * How it stays exact: at load the model's trees are split into two derived ensembles, "context" trees and "action"
 * trees, in which every tree is its own output (base scores 0, no averaging, identity transform), so a derived
 * output is exactly that tree's contribution as the evaluator computes it ({@code (float)leaf·(float)weight} in
 * FLOAT32, {@code leaf·weight} in FLOAT64). The margin is then summed from the contributions in the model's tree
 * order with the model's own arithmetic (start at the base score unless it comes after the trees, add in float for
 * FLOAT32 or double for FLOAT64, then the average divisor and a trailing base score), which is the evaluator's and
 * the library's order (the sum up to the first action tree is kept from {@link #prepare}, since it is the same for
 * every pattern), so the margin is bit-identical to {@link GbdtEvaluator#predictRaw} (up to the sign of a zero
 * contribution, since a derived output starts at +0). {@code ActionSplitModelTest} checks this on random models.
 * Transformed scores apply the model's transform to that margin.
 */
final class ActionSplitModel
{
    private final TreeEnsemble model;
    private final GbdtEvaluator contextTrees;
    private final GbdtEvaluator actionTrees;
    private final int[] contextPositions;
    private final int[] actionPositions;
    private final int firstAction;
    private final int[] actionIndexOf;
    private final boolean float32;
    private final double baseScore;
    private final boolean baseScoreAfterTrees;
    private final int averageDivisor;
    private final int treeCount;
    private final PatternTrees patternTrees;

    private ActionSplitModel(
        final TreeEnsemble model, final int firstActionFeature, final int[] adCounts, final int[] masks,
        final int patterns)
    {
        this.model = model;
        final Tree[] trees = model.trees();
        treeCount = trees.length;
        final boolean[] isAction = new boolean[treeCount];
        final int[] indexInPart = new int[treeCount];
        int actions = 0;
        for (int t = 0; t < treeCount; t++)
        {
            final Tree tree = trees[t];
            for (int i = 0; i < tree.nodeCount() && !isAction[t]; i++)
            {
                isAction[t] = !tree.isLeaf(i) && tree.feature(i) >= firstActionFeature;
            }
            actions += isAction[t] ? 1 : 0;
        }
        final Tree[] contextPart = new Tree[treeCount - actions];
        final Tree[] actionPart = new Tree[actions];
        int c = 0;
        int a = 0;
        for (int t = 0; t < treeCount; t++)
        {
            if (isAction[t])
            {
                indexInPart[t] = a;
                actionPart[a] = regroup(trees[t], a);
                a++;
            }
            else
            {
                indexInPart[t] = c;
                contextPart[c] = regroup(trees[t], c);
                c++;
            }
        }
        contextPositions = new int[contextPart.length];
        actionPositions = new int[actionPart.length];
        int first = treeCount;
        for (int t = treeCount - 1; t >= 0; t--)
        {
            if (isAction[t])
            {
                actionPositions[indexInPart[t]] = t;
                first = t;
            }
            else
            {
                contextPositions[indexInPart[t]] = t;
            }
        }
        firstAction = first;
        actionIndexOf = new int[treeCount];
        for (int t = 0; t < treeCount; t++)
        {
            actionIndexOf[t] = isAction[t] ? indexInPart[t] : -1;
        }
        contextTrees = contextPart.length == 0 ? null : new GbdtEvaluator(perTree(model, contextPart));
        actionTrees = actionPart.length == 0 ? null : new GbdtEvaluator(perTree(model, actionPart));
        float32 = model.precision() == Precision.FLOAT32;
        baseScore = model.baseScores()[0];
        baseScoreAfterTrees = model.baseScoreAfterTrees();
        averageDivisor = model.averageDivisor();
        final Tree[] actionOriginals = new Tree[actionPart.length];
        for (int k = 0; k < actionOriginals.length; k++)
        {
            actionOriginals[k] = trees[actionPositions[k]];
        }
        patternTrees = adCounts == null || actionPart.length == 0 || patterns > PatternTrees.MAX_PATTERNS ? null :
            new PatternTrees(model, actionOriginals, firstActionFeature, adCounts, masks, patterns);
    }

    /**
     * @param model              a model.
     * @param firstActionFeature index of the first action feature (C); features from it on are action features.
     * @return the split model, or null when the model has more than one output (evaluate it whole).
     */
    static ActionSplitModel of(final TreeEnsemble model, final int firstActionFeature)
    {
        return model.outputCount() == 1 ? new ActionSplitModel(model, firstActionFeature, null, null, 0) : null;
    }

    /**
     * A split model that also knows the policy's patterns, so {@link #scoreAll} walks each action tree once for all
     * patterns ({@link PatternTrees}) when there are at most {@link PatternTrees#MAX_PATTERNS} of them.
     *
     * @param model              a model.
     * @param firstActionFeature index of the ad-count feature (C); C + 1 is the mask.
     * @param adCounts           each pattern's ad count.
     * @param masks              each pattern's mask.
     * @param patterns           number of patterns.
     * @return the split model, or null when the model has more than one output (evaluate it whole).
     */
    static ActionSplitModel of(
        final TreeEnsemble model, final int firstActionFeature, final int[] adCounts, final int[] masks,
        final int patterns)
    {
        return model.outputCount() == 1 ?
            new ActionSplitModel(model, firstActionFeature, adCounts, masks, patterns) : null;
    }

    /** @return whether {@link #scoreAll} can walk the action trees once for all patterns. */
    boolean hasPatternTrees()
    {
        return patternTrees != null;
    }

    /** Per-thread scratch. */
    static final class Context
    {
        final GbdtContext contextTrees;
        final GbdtContext actionTrees;
        final double[] contextContributions;
        final double[] actionContributions;
        final double[] margin = new double[1];
        final double[] contributions;
        final double[] patternActions;
        final float[] floatSums;
        final double[] doubleSums;
        final int[] nodeStack;
        final long[] setStack;
        double prefix;
        /** Evaluate action trees pattern by pattern even when pattern trees exist (the previous path). */
        boolean perPattern;

        Context(final ActionSplitModel model, final int patternCount)
        {
            contributions = new double[model.treeCount];
            patternActions = new double[patternCount * Math.max(1, model.actionTreeCount())];
            floatSums = new float[patternCount];
            doubleSums = new double[patternCount];
            contextTrees = model.contextTrees == null ? null : model.contextTrees.newContext();
            actionTrees = model.actionTrees == null ? null : model.actionTrees.newContext();
            contextContributions = new double[model.contextTrees == null ? 0 : model.contextTrees.outputCount()];
            actionContributions = new double[model.actionTrees == null ? 0 : model.actionTrees.outputCount()];
            final int stack = model.patternTrees == null ? 0 : model.patternTrees.maxNodes();
            nodeStack = new int[stack];
            setStack = new long[stack];
        }
    }

    /** @return number of trees that look at the action features. */
    int actionTreeCount()
    {
        return actionTrees == null ? 0 : actionTrees.outputCount();
    }

    /** @return number of trees. */
    int treeCount()
    {
        return treeCount;
    }

    /**
     * Evaluate the context trees on a request's row (action features ignored); once per request.
     *
     * @param row     the row.
     * @param context the thread's scratch.
     */
    void prepare(final double[] row, final Context context)
    {
        final double[] all = context.contributions;
        if (contextTrees != null)
        {
            final double[] fromContext = context.contextContributions;
            contextTrees.predictRaw(row, fromContext, context.contextTrees);
            final int[] positions = contextPositions;
            for (int k = 0; k < positions.length; k++)
            {
                all[positions[k]] = fromContext[k];
            }
        }
        final int first = firstAction;
        if (float32)
        {
            float sum = baseScoreAfterTrees ? 0f : (float)baseScore;
            for (int t = 0; t < first; t++)
            {
                sum += (float)all[t];
            }
            context.prefix = sum;
        }
        else
        {
            double sum = baseScoreAfterTrees ? 0.0 : baseScore;
            for (int t = 0; t < first; t++)
            {
                sum += all[t];
            }
            context.prefix = sum;
        }
    }

    /**
     * The model's output 0 on {@code row} (whose context part must be what {@link #prepare} saw).
     *
     * @param row         the row with the pattern's action features.
     * @param transformed whether to apply the model's transform.
     * @param output      scratch for the transformed value (length >= the model's transformed count).
     * @param context     the thread's scratch, prepared for this request.
     * @return the raw margin or the transformed output 0.
     */
    double score(final double[] row, final boolean transformed, final double[] output, final Context context)
    {
        final double[] all = context.contributions;
        if (actionTrees != null)
        {
            final double[] fromAction = context.actionContributions;
            actionTrees.predictRaw(row, fromAction, context.actionTrees);
            final int[] positions = actionPositions;
            for (int k = 0; k < positions.length; k++)
            {
                all[positions[k]] = fromAction[k];
            }
        }
        final int n = treeCount;
        double value;
        if (float32)
        {
            float sum = (float)context.prefix;
            for (int t = firstAction; t < n; t++)
            {
                sum += (float)all[t];
            }
            value = sum;
            if (averageDivisor > 0)
            {
                value = (float)value / (float)averageDivisor;
            }
            if (baseScoreAfterTrees)
            {
                value = (float)value + (float)baseScore;
            }
        }
        else
        {
            double sum = context.prefix;
            for (int t = firstAction; t < n; t++)
            {
                sum += all[t];
            }
            value = sum;
            if (averageDivisor > 0)
            {
                value = value / averageDivisor;
            }
            if (baseScoreAfterTrees)
            {
                value = value + baseScore;
            }
        }
        if (!transformed)
        {
            return value;
        }
        final double[] margin = context.margin;
        margin[0] = value;
        model.transform(margin, output);
        return output[0];
    }

    /**
     * Output 0 for every pattern at once (after {@link #prepare}): the action trees' contributions for all allowed
     * patterns (one walk per tree over the pattern set when the model was built with the patterns, see
     * {@link PatternTrees}; otherwise a whole evaluation of the action trees per allowed pattern), then the
     * in-order sums of all patterns advanced together, tree by tree, so the patterns' addition chains overlap
     * instead of running one after another; each pattern's sum is still added in the model's order, so the result
     * is {@link #score} bit for bit.
     *
     * @param row         the row; on the per-pattern path features {@code c} and {@code c + 1} are overwritten
     *                    with each pattern's ad count and mask.
     * @param c           index of the ad-count feature.
     * @param adCounts    per pattern (the ones given to {@link #of(TreeEnsemble, int, int[], int[], int)} if any).
     * @param masks       per pattern (likewise).
     * @param allowed     which patterns to score (others get an unspecified value).
     * @param patterns    number of patterns.
     * @param transformed whether to apply the model's transform.
     * @param output      scratch of the model's transformed count.
     * @param scores      receives each pattern's score.
     * @param context     the thread's scratch, prepared for this request.
     */
    void scoreAll(
        final double[] row, final int c, final int[] adCounts, final int[] masks, final boolean[] allowed,
        final int patterns, final boolean transformed, final double[] output, final double[] scores,
        final Context context)
    {
        final int actions = actionTrees == null ? 0 : actionTrees.outputCount();
        final double[] perPattern = context.patternActions;
        if (actions > 0 && patternTrees != null && !context.perPattern)
        {
            long start = 0;
            for (int p = 0; p < patterns; p++)
            {
                start |= allowed[p] ? 1L << p : 0L;
            }
            patternTrees.evaluate(row, start, perPattern, context.nodeStack, context.setStack);
        }
        else if (actions > 0)
        {
            final double[] fromAction = context.actionContributions;
            for (int p = 0; p < patterns; p++)
            {
                if (allowed[p])
                {
                    row[c] = adCounts[p];
                    row[c + 1] = masks[p];
                    actionTrees.predictRaw(row, fromAction, context.actionTrees);
                    System.arraycopy(fromAction, 0, perPattern, p * actions, actions);
                }
            }
        }
        final double[] all = context.contributions;
        final int[] actionIndex = actionIndexOf;
        final int n = treeCount;
        if (float32)
        {
            final float[] sums = context.floatSums;
            final float start = (float)context.prefix;
            for (int p = 0; p < patterns; p++)
            {
                sums[p] = start;
            }
            for (int t = firstAction; t < n; t++)
            {
                final int k = actionIndex[t];
                if (k < 0)
                {
                    final float v = (float)all[t];
                    for (int p = 0; p < patterns; p++)
                    {
                        sums[p] += v;
                    }
                }
                else
                {
                    for (int p = 0, at = k; p < patterns; p++, at += actions)
                    {
                        sums[p] += (float)perPattern[at];
                    }
                }
            }
            for (int p = 0; p < patterns; p++)
            {
                double value = sums[p];
                if (averageDivisor > 0)
                {
                    value = (float)value / (float)averageDivisor;
                }
                if (baseScoreAfterTrees)
                {
                    value = (float)value + (float)baseScore;
                }
                scores[p] = finish(value, transformed, output, context);
            }
        }
        else
        {
            final double[] sums = context.doubleSums;
            final double start = context.prefix;
            for (int p = 0; p < patterns; p++)
            {
                sums[p] = start;
            }
            for (int t = firstAction; t < n; t++)
            {
                final int k = actionIndex[t];
                if (k < 0)
                {
                    final double v = all[t];
                    for (int p = 0; p < patterns; p++)
                    {
                        sums[p] += v;
                    }
                }
                else
                {
                    for (int p = 0, at = k; p < patterns; p++, at += actions)
                    {
                        sums[p] += perPattern[at];
                    }
                }
            }
            for (int p = 0; p < patterns; p++)
            {
                double value = sums[p];
                if (averageDivisor > 0)
                {
                    value = value / averageDivisor;
                }
                if (baseScoreAfterTrees)
                {
                    value = value + baseScore;
                }
                scores[p] = finish(value, transformed, output, context);
            }
        }
    }

    private double finish(final double value, final boolean transformed, final double[] output, final Context context)
    {
        if (!transformed)
        {
            return value;
        }
        final double[] margin = context.margin;
        margin[0] = value;
        model.transform(margin, output);
        return output[0];
    }

    private static Tree regroup(final Tree tree, final int group)
    {
        final int n = tree.nodeCount();
        final int[] left = new int[n];
        final int[] right = new int[n];
        final int[] feature = new int[n];
        final double[] threshold = new double[n];
        final boolean[] defaultLeft = new boolean[n];
        final io.decide.format.gbdt.MissingRule[] missing = new io.decide.format.gbdt.MissingRule[n];
        final int[][] categories = new int[n][];
        final double[] leaf = new double[n];
        for (int i = 0; i < n; i++)
        {
            left[i] = tree.left(i);
            right[i] = tree.right(i);
            feature[i] = tree.feature(i);
            threshold[i] = tree.threshold(i);
            defaultLeft[i] = tree.defaultLeft(i);
            missing[i] = tree.missing(i);
            categories[i] = tree.categories(i);
            leaf[i] = tree.leafValue(i);
        }
        return new Tree(group, tree.weight(), left, right, feature, threshold, defaultLeft, missing, categories, leaf);
    }

    private static TreeEnsemble perTree(final TreeEnsemble model, final Tree[] trees)
    {
        final TreeEnsemble.Builder builder = TreeEnsemble.builder()
            .featureCount(model.featureCount())
            .outputCount(trees.length)
            .precision(model.precision())
            .comparison(model.comparison())
            .categoricalRule(model.categoricalRule())
            .baseScores(new double[trees.length]);
        for (final Tree tree : trees)
        {
            builder.addTree(tree);
        }
        return builder.build();
    }
}
