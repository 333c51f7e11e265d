package io.decide.engine.adslot;

import io.decide.format.gbdt.CategoricalRule;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;

import java.util.Arrays;

/**
 * The action trees of an {@link ActionSplitModel} evaluated for all of a policy's patterns in one walk per tree.
 * <p>
 * The patterns differ only in the ad-count feature {@code c} and the mask feature {@code c + 1}, and those values
 * are fixed by the policy, so each split on them sends a fixed set of patterns right: that set is computed at load,
 * one bit per pattern in a {@code long} (hence at most {@link #MAX_PATTERNS} patterns). A request walks each action
 * tree once carrying the set of patterns still on the path: a split on any other feature sends the whole set one
 * way (decided on the request's row), a split on {@code c} or {@code c + 1} divides it, and a leaf gives its
 * contribution to every pattern of the set that reaches it. So a tree costs one path plus its action-split fan-out
 * per request instead of one full evaluation per pattern.
 * <p>
 * Every split decision (load-time pattern splits and request-time row splits) is the reference rule of
 * {@link TreeEnsemble#leafIndex} (precision rounding, missing rules, comparison, both categorical rules), and a leaf
 * holds the contribution as {@code GbdtEvaluator} computes it ({@code (float)leaf·(float)weight} in FLOAT32,
 * {@code leaf·weight} in FLOAT64, a zero made +0 as a derived per-tree output starts at +0), so each pattern gets
 * exactly the value the per-pattern path gets; {@code ActionSplitModelTest} checks both paths against the whole
 * model.
 * <p>
 * Nodes are stored pre-order over all action trees (a left child follows its parent), no per-request allocation:
 * the walk's pending branches go on a stack in the caller's {@link ActionSplitModel.Context}.
 */
final class PatternTrees
{
    /** Most patterns the bit sets can hold. */
    static final int MAX_PATTERNS = Long.SIZE;

    private static final int KIND_LEAF = 0;
    private static final int KIND_NAN_DEFAULT = 1;
    private static final int KIND_ZERO_DEFAULT = 2;
    private static final int KIND_NAN_AS_ZERO = 3;
    private static final int KIND_CATEGORICAL = 4;
    private static final int KIND_PATTERN = 5;
    /** 2^31: from here on LightGBM's int conversion of a category gives INT_MIN, in no set. */
    private static final double LIGHTGBM_CATEGORY_LIMIT = 2147483648.0;

    private final boolean float32;
    private final boolean lessThan;
    private final boolean xgboostCategories;
    private final int[] treeRoot;
    private final int[] kind;
    private final int[] feature;
    private final double[] threshold;
    private final boolean[] defaultLeft;
    private final int[][] categories;
    private final int[] right;
    private final long[] rightPatterns;
    private final double[] leaf;
    private final int maxNodes;

    /**
     * @param model       the whole model (for its precision, comparison and categorical rule).
     * @param actionTrees the action trees, in the order of {@link ActionSplitModel}'s action part.
     * @param c           index of the ad-count feature; {@code c + 1} is the mask.
     * @param adCounts    each pattern's ad count.
     * @param masks       each pattern's mask.
     * @param patterns    number of patterns, at most {@link #MAX_PATTERNS}.
     */
    PatternTrees(
        final TreeEnsemble model, final Tree[] actionTrees, final int c, final int[] adCounts, final int[] masks,
        final int patterns)
    {
        if (patterns > MAX_PATTERNS)
        {
            throw new IllegalArgumentException(patterns + " patterns: at most " + MAX_PATTERNS);
        }
        float32 = model.precision() == Precision.FLOAT32;
        lessThan = model.comparison() == SplitComparison.LESS_THAN;
        xgboostCategories = model.categoricalRule() == CategoricalRule.XGBOOST;
        int total = 0;
        int most = 1;
        for (final Tree tree : actionTrees)
        {
            total += tree.nodeCount();
            most = Math.max(most, tree.nodeCount());
        }
        maxNodes = most;
        treeRoot = new int[actionTrees.length];
        kind = new int[total];
        feature = new int[total];
        threshold = new double[total];
        defaultLeft = new boolean[total];
        categories = new int[total][];
        right = new int[total];
        rightPatterns = new long[total];
        leaf = new double[total];
        final int[] stack = new int[most];
        final int[] parentOfRight = new int[most];
        int at = 0;
        for (int k = 0; k < actionTrees.length; k++)
        {
            final Tree tree = actionTrees[k];
            treeRoot[k] = at;
            int top = 0;
            stack[top] = 0;
            parentOfRight[top++] = -1;
            while (top > 0)
            {
                top--;
                final int node = stack[top];
                final int parent = parentOfRight[top];
                final int i = at++;
                if (parent >= 0)
                {
                    right[parent] = i;
                }
                if (tree.isLeaf(node))
                {
                    kind[i] = KIND_LEAF;
                    leaf[i] = contribution(tree, node);
                    continue;
                }
                feature[i] = tree.feature(node);
                threshold[i] = tree.threshold(node);
                defaultLeft[i] = tree.defaultLeft(node);
                categories[i] = tree.categories(node);
                kind[i] = categories[i] != null ? KIND_CATEGORICAL :
                    tree.missing(node) == MissingRule.ZERO_DEFAULT ? KIND_ZERO_DEFAULT :
                        tree.missing(node) == MissingRule.NAN_AS_ZERO ? KIND_NAN_AS_ZERO : KIND_NAN_DEFAULT;
                if (feature[i] == c || feature[i] == c + 1)
                {
                    long set = 0;
                    for (int p = 0; p < patterns; p++)
                    {
                        final double x = feature[i] == c ? adCounts[p] : masks[p];
                        if (!goesLeft(i, x))
                        {
                            set |= 1L << p;
                        }
                    }
                    rightPatterns[i] = set;
                    kind[i] = KIND_PATTERN;
                }
                stack[top] = tree.right(node);
                parentOfRight[top++] = i;
                stack[top] = tree.left(node);
                parentOfRight[top++] = -1;
            }
        }
    }

    /** @return the most nodes of one tree (the walk's stack never holds more). */
    int maxNodes()
    {
        return maxNodes;
    }

    /**
     * Every action tree's contribution for every pattern of {@code start}.
     *
     * @param row       the request's row (features {@code c}, {@code c + 1} are not read).
     * @param start     the patterns to evaluate, bit p for pattern p.
     * @param out       receives tree k's contribution for pattern p at {@code p * treeCount + k}; other patterns'
     *                  entries are left as they were.
     * @param nodeStack scratch of {@link #maxNodes()} ints.
     * @param setStack  scratch of {@link #maxNodes()} longs.
     */
    void evaluate(final double[] row, final long start, final double[] out, final int[] nodeStack,
        final long[] setStack)
    {
        final int trees = treeRoot.length;
        final int[] kinds = kind;
        final int[] rights = right;
        final long[] patternRight = rightPatterns;
        final int[] features = feature;
        final double[] leaves = leaf;
        for (int k = 0; k < trees; k++)
        {
            int top = 0;
            int i = treeRoot[k];
            long set = start;
            while (true)
            {
                final int nodeKind = kinds[i];
                if (nodeKind == KIND_LEAF)
                {
                    final double v = leaves[i];
                    long s = set;
                    while (s != 0)
                    {
                        out[Long.numberOfTrailingZeros(s) * trees + k] = v;
                        s &= s - 1;
                    }
                    if (top == 0)
                    {
                        break;
                    }
                    top--;
                    i = nodeStack[top];
                    set = setStack[top];
                }
                else if (nodeKind == KIND_PATTERN)
                {
                    final long toRight = set & patternRight[i];
                    final long toLeft = set & ~patternRight[i];
                    if (toLeft == 0)
                    {
                        i = rights[i];
                    }
                    else
                    {
                        if (toRight != 0)
                        {
                            nodeStack[top] = rights[i];
                            setStack[top] = toRight;
                            top++;
                        }
                        i = i + 1;
                        set = toLeft;
                    }
                }
                else
                {
                    i = goesLeft(i, row[features[i]]) ? i + 1 : rights[i];
                }
            }
        }
    }

    /** The reference split rule ({@link TreeEnsemble#leafIndex}) at compiled node {@code i}. */
    private boolean goesLeft(final int i, final double input)
    {
        final double x = float32 ? (double)(float)input : input;
        double v = x;
        switch (kind[i])
        {
            case KIND_CATEGORICAL:
                return categoricalLeft(i, x);
            case KIND_ZERO_DEFAULT:
                if (v != v)
                {
                    v = 0.0;
                }
                if (v >= -TreeEnsemble.ZERO_THRESHOLD && v <= TreeEnsemble.ZERO_THRESHOLD)
                {
                    return defaultLeft[i];
                }
                break;
            case KIND_NAN_AS_ZERO:
                if (v != v)
                {
                    v = 0.0;
                }
                break;
            default:
                if (v != v)
                {
                    return defaultLeft[i];
                }
                break;
        }
        return lessThan ? v < threshold[i] : v <= threshold[i];
    }

    private boolean categoricalLeft(final int i, final double x)
    {
        final int[] set = categories[i];
        if (xgboostCategories)
        {
            if (x != x)
            {
                return defaultLeft[i];
            }
            if (x < 0 || x >= TreeEnsemble.XGBOOST_CATEGORY_LIMIT)
            {
                return true;
            }
            return Arrays.binarySearch(set, (int)x) < 0;
        }
        if (!(x > -1.0 && x < LIGHTGBM_CATEGORY_LIMIT))
        {
            return false;
        }
        return Arrays.binarySearch(set, (int)x) >= 0;
    }

    private double contribution(final Tree tree, final int node)
    {
        if (float32)
        {
            return (double)(0f + (float)tree.leafValue(node) * (float)tree.weight());
        }
        return 0.0 + tree.leafValue(node) * tree.weight();
    }
}
