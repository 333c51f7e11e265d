package io.decide.tools.gbdt.onnx;

import io.decide.tools.gbdt.ModelImportException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trees of a tree-ensemble node, resolved the way ONNX Runtime resolves them: a tree is a run of consecutive
 * entries with the same {@code nodes_treeids} value and its root is the run's first entry; trees are evaluated
 * and summed in the order of their runs (not by tree id). Leaf weights ({@code target_*} or {@code class_*}) are
 * attached to leaves per output; weights on split nodes are ignored, as ORT ignores them.
 * <p>
 * Refused, because ORT would silently compute something else than the model says: a tree whose entries are not
 * consecutive (ORT evaluates each run as a separate tree), nodes not reachable from the first entry (ORT never
 * visits them), a node reached twice, a leaf with two weights for the same output (ORT adds both, or with a
 * single output uses only the first), a leaf without weight in a single-output model (ORT then adds the leaf's
 * {@code nodes_values} entry), modes EQ/NEQ and unknown modes (ORT reads any unknown mode as NEQ).
 */
final class OnnxForest
{
    /** The {@code nodes_modes} value of a leaf. */
    private static final String LEAF = "LEAF";

    /**
     * One tree: its nodes in depth-first order from the root (index 0), children as local indices.
     *
     * @param treeId    the model's tree id.
     * @param nodeIds   the model's node id per local node.
     * @param mode      split mode per local node, null for leaves.
     * @param feature   split feature per local node.
     * @param threshold split threshold per local node.
     * @param nanTrue   whether NaN goes to the true child, per local node.
     * @param trueChild true child per local node, -1 for leaves.
     * @param falseChild false child per local node, -1 for leaves.
     * @param weights   weight per local node and output (0 where none).
     * @param weighted  whether a leaf has a weight for an output, per local node and output.
     */
    record TreeRun(
        long treeId,
        long[] nodeIds,
        SplitRewrite.Mode[] mode,
        int[] feature,
        double[] threshold,
        boolean[] nanTrue,
        int[] trueChild,
        int[] falseChild,
        double[][] weights,
        boolean[][] weighted)
    {
        int nodeCount()
        {
            return nodeIds.length;
        }

        boolean isLeaf(final int node)
        {
            return mode[node] == null;
        }

        /**
         * @param output output index.
         * @return whether some leaf of this tree has a weight for the output.
         */
        boolean feeds(final int output)
        {
            for (int i = 0; i < nodeIds.length; i++)
            {
                if (weighted[i][output])
                {
                    return true;
                }
            }
            return false;
        }

        /**
         * @param output output index.
         * @return whether every leaf of this tree has a weight for the output.
         */
        boolean feedsEveryLeaf(final int output)
        {
            for (int i = 0; i < nodeIds.length; i++)
            {
                if (isLeaf(i) && !weighted[i][output])
                {
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether every row gets a weight for an output from some leaf it reaches. */
    enum Coverage
    {
        /** No leaf has a weight for the output. */
        NEVER,
        /** Some rows may reach no weighted leaf (conservative: no tree has a weight on every leaf). */
        PARTIAL,
        /** Some tree has a weight on every leaf, so every row gets one. */
        ALWAYS
    }

    private final List<TreeRun> runs;
    private final int outputs;
    private final int ignoredWeights;
    private final int maxFeature;
    private final long maxListedFeature;
    private final int[] modeCounts;

    private OnnxForest(
        final List<TreeRun> runs,
        final int outputs,
        final int ignoredWeights,
        final int maxFeature,
        final long maxListedFeature,
        final int[] modeCounts)
    {
        this.runs = runs;
        this.outputs = outputs;
        this.ignoredWeights = ignoredWeights;
        this.maxFeature = maxFeature;
        this.maxListedFeature = maxListedFeature;
        this.modeCounts = modeCounts;
    }

    /**
     * The node and weight attributes of a tree-ensemble node, as read: one entry per node ({@code nodes_*}), one per
     * weight ({@code target_*} / {@code class_*}); {@code values} and {@code weights} are null when absent.
     */
    record Columns(
        long[] treeIds,
        long[] nodeIds,
        long[] featureIds,
        String[] modes,
        double[] values,
        long[] trueIds,
        long[] falseIds,
        long[] missingTrue,
        long[] weightTreeIds,
        long[] weightNodeIds,
        long[] weightOutputs,
        double[] weights)
    {
    }

    /**
     * Resolve the trees.
     *
     * @param source  model file or description, for errors.
     * @param a       the attributes.
     * @param prefix  weight attribute prefix, {@code target_} or {@code class_}.
     * @param outputs number of targets or classes.
     * @return the forest.
     */
    static OnnxForest resolve(final String source, final Columns a, final String prefix, final int outputs)
    {
        final int n = a.treeIds().length;
        checkLength(source, "nodes_nodeids", a.nodeIds().length, n);
        checkLength(source, "nodes_featureids", a.featureIds().length, n);
        checkLength(source, "nodes_modes", a.modes().length, n);
        checkLength(source, "nodes_values", a.values() == null ? 0 : a.values().length, n);
        checkLength(source, "nodes_truenodeids", a.trueIds().length, n);
        checkLength(source, "nodes_falsenodeids", a.falseIds().length, n);
        if (a.missingTrue().length > n)
        {
            throw new ModelImportException(source, "attribute nodes_missing_value_tracks_true", a.missingTrue().length +
                " entries for " + n + " nodes");
        }
        final int w = a.weightOutputs().length;
        checkLength(source, prefix + "treeids", a.weightTreeIds().length, w);
        checkLength(source, prefix + "nodeids", a.weightNodeIds().length, w);
        checkLength(source, prefix + "weights", a.weights() == null ? 0 : a.weights().length, w);
        if (n == 0)
        {
            throw new ModelImportException(source, "attribute nodes_treeids", "the ensemble has no nodes");
        }

        final Map<Long, Map<Long, Integer>> index = new HashMap<>();
        final List<int[]> runBounds = new ArrayList<>();
        final Map<Long, Integer> runOfTree = new HashMap<>();
        final int[] modeCounts = new int[SplitRewrite.Mode.values().length];
        int maxFeature = -1;
        long maxListedFeature = -1;
        for (int i = 0; i < n; i++)
        {
            final long tree = a.treeIds()[i];
            maxListedFeature = Math.max(maxListedFeature, a.featureIds()[i]);
            if (i == 0 || tree != a.treeIds()[i - 1])
            {
                final Integer previous = runOfTree.put(tree, runBounds.size());
                if (previous != null)
                {
                    throw new ModelImportException(source, "tree " + tree, "its nodes are not consecutive (entries " +
                        runBounds.get(previous)[0] + " and " + i + "): ONNX Runtime would evaluate each run of " +
                        "entries as a separate tree");
                }
                runBounds.add(new int[]{i, n});
                if (runBounds.size() > 1)
                {
                    runBounds.get(runBounds.size() - 2)[1] = i;
                }
            }
            if (index.computeIfAbsent(tree, k -> new HashMap<>()).put(a.nodeIds()[i], i) != null)
            {
                throw new ModelImportException(source, where(tree, a.nodeIds()[i]), "listed twice");
            }
            final String mode = a.modes()[i];
            if (!LEAF.equals(mode))
            {
                final SplitRewrite.Mode parsed = mode(source, tree, a.nodeIds()[i], mode);
                modeCounts[parsed.ordinal()]++;
                final long feature = a.featureIds()[i];
                if (feature < 0 || feature > Integer.MAX_VALUE - 1)
                {
                    throw new ModelImportException(source, where(tree, a.nodeIds()[i]), "feature id " + feature +
                        " out of range");
                }
                maxFeature = Math.max(maxFeature, (int)feature);
                for (final long child : new long[]{a.trueIds()[i], a.falseIds()[i]})
                {
                    if (child < 0 || child >= n)
                    {
                        throw new ModelImportException(source, where(tree, a.nodeIds()[i]), "child id " + child +
                            " outside 0.." + (n - 1) + " (ONNX Runtime refuses ids not below the node count)");
                    }
                }
            }
            final long missing = i < a.missingTrue().length ? a.missingTrue()[i] : 0;
            if (missing != 0 && missing != 1)
            {
                throw new ModelImportException(source, where(tree, a.nodeIds()[i]), "nodes_missing_value_tracks_true " +
                    "is " + missing + ", expected 0 or 1");
            }
        }

        final double[][] nodeWeights = new double[n][];
        final boolean[][] nodeWeighted = new boolean[n][];
        int ignored = 0;
        for (int k = 0; k < w; k++)
        {
            final long tree = a.weightTreeIds()[k];
            final long node = a.weightNodeIds()[k];
            final Map<Long, Integer> nodes = index.get(tree);
            final Integer i = nodes == null ? null : nodes.get(node);
            if (i == null)
            {
                throw new ModelImportException(source, "attribute " + prefix + "nodeids", "weight " + k + " refers to " +
                    "tree " + tree + " node " + node + ", which does not exist");
            }
            final long output = a.weightOutputs()[k];
            if (output < 0 || output >= outputs)
            {
                throw new ModelImportException(source, "attribute " + prefix + "ids", "weight " + k + " (tree " + tree +
                    " node " + node + ") is for output " + output + ", outside 0.." + (outputs - 1));
            }
            final double weight = a.weights()[k];
            if (!Double.isFinite(weight))
            {
                throw new ModelImportException(source, "attribute " + prefix + "weights", "weight " + k + " (tree " +
                    tree + " node " + node + ") is " + weight);
            }
            if (!LEAF.equals(a.modes()[i]))
            {
                ignored++;
                continue;
            }
            if (nodeWeights[i] == null)
            {
                nodeWeights[i] = new double[outputs];
                nodeWeighted[i] = new boolean[outputs];
            }
            if (nodeWeighted[i][(int)output])
            {
                throw new ModelImportException(source, where(tree, node), "two weights for output " + output +
                    " (ONNX Runtime adds both, or with one output uses only the first)");
            }
            nodeWeighted[i][(int)output] = true;
            nodeWeights[i][(int)output] = weight;
        }

        final List<TreeRun> runs = new ArrayList<>(runBounds.size());
        for (final int[] bounds : runBounds)
        {
            runs.add(run(source, a, bounds[0], bounds[1], index.get(a.treeIds()[bounds[0]]), nodeWeights,
                nodeWeighted, outputs));
        }
        return new OnnxForest(runs, outputs, ignored, maxFeature, maxListedFeature, modeCounts);
    }

    private static TreeRun run(
        final String source,
        final Columns a,
        final int from,
        final int to,
        final Map<Long, Integer> byNodeId,
        final double[][] nodeWeights,
        final boolean[][] nodeWeighted,
        final int outputs)
    {
        final long tree = a.treeIds()[from];
        final int size = to - from;
        final int[] local = new int[size];
        Arrays.fill(local, -1);
        final int[] order = new int[size];
        int count = 0;
        final int[] stack = new int[size + 1];
        int top = 0;
        stack[top++] = from;
        local[0] = 0;
        order[count++] = from;
        final int[] trueChild = new int[size];
        final int[] falseChild = new int[size];
        Arrays.fill(trueChild, -1);
        Arrays.fill(falseChild, -1);
        while (top > 0)
        {
            final int i = stack[--top];
            if (LEAF.equals(a.modes()[i]))
            {
                continue;
            }
            final int[] children = new int[2];
            final long[] childIds = {a.trueIds()[i], a.falseIds()[i]};
            for (int c = 0; c < 2; c++)
            {
                final Integer child = byNodeId.get(childIds[c]);
                if (child == null)
                {
                    throw new ModelImportException(source, where(tree, a.nodeIds()[i]), (c == 0 ? "true" : "false") +
                        " child " + childIds[c] + " does not exist in tree " + tree);
                }
                if (local[child - from] >= 0)
                {
                    throw new ModelImportException(source, where(tree, a.nodeIds()[i]), "child " + childIds[c] +
                        " is reached twice (not a tree)");
                }
                local[child - from] = count;
                order[count++] = child;
                children[c] = child;
            }
            trueChild[local[i - from]] = local[children[0] - from];
            falseChild[local[i - from]] = local[children[1] - from];
            stack[top++] = children[1];
            stack[top++] = children[0];
        }
        if (count != size)
        {
            for (int j = 0; j < size; j++)
            {
                if (local[j] < 0)
                {
                    throw new ModelImportException(source, where(tree, a.nodeIds()[from + j]), "not reachable from " +
                        "the tree's first listed node " + a.nodeIds()[from] + " (ONNX Runtime starts each tree at " +
                        "its first listed node), " + (size - count) + " node(s) in all");
                }
            }
        }
        final long[] nodeIds = new long[size];
        final SplitRewrite.Mode[] mode = new SplitRewrite.Mode[size];
        final int[] feature = new int[size];
        final double[] threshold = new double[size];
        final boolean[] nanTrue = new boolean[size];
        final double[][] weights = new double[size][];
        final boolean[][] weighted = new boolean[size][];
        for (int l = 0; l < size; l++)
        {
            final int i = order[l];
            nodeIds[l] = a.nodeIds()[i];
            weights[l] = nodeWeights[i] == null ? new double[outputs] : nodeWeights[i];
            weighted[l] = nodeWeighted[i] == null ? new boolean[outputs] : nodeWeighted[i];
            if (LEAF.equals(a.modes()[i]))
            {
                if (outputs == 1 && nodeWeighted[i] == null)
                {
                    throw new ModelImportException(source, where(tree, nodeIds[l]), "leaf without weight (ONNX " +
                        "Runtime would add its nodes_values entry " + a.values()[i] + ")");
                }
                continue;
            }
            mode[l] = SplitRewrite.Mode.valueOf(a.modes()[i]);
            feature[l] = (int)a.featureIds()[i];
            threshold[l] = a.values()[i];
            nanTrue[l] = i < a.missingTrue().length && a.missingTrue()[i] == 1;
        }
        return new TreeRun(tree, nodeIds, mode, feature, threshold, nanTrue, trueChild, falseChild, weights,
            weighted);
    }

    private static SplitRewrite.Mode mode(final String source, final long tree, final long node, final String mode)
    {
        switch (mode)
        {
            case "BRANCH_LEQ":
            case "BRANCH_LT":
            case "BRANCH_GTE":
            case "BRANCH_GT":
                return SplitRewrite.Mode.valueOf(mode);
            case "BRANCH_EQ":
            case "BRANCH_NEQ":
                throw new ModelImportException(source, where(tree, node), "mode " + mode + " is not supported " +
                    "(equality splits; only BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT and LEAF are)");
            default:
                throw new ModelImportException(source, where(tree, node), "unknown mode '" + mode + "' (ONNX " +
                    "Runtime would read it as BRANCH_NEQ)");
        }
    }

    private static void checkLength(final String source, final String attribute, final int length, final int expected)
    {
        if (length != expected)
        {
            throw new ModelImportException(source, "attribute " + attribute, length + " entries, expected " +
                expected);
        }
    }

    static String where(final long tree, final long node)
    {
        return "tree " + tree + " node " + node;
    }

    /** @return the trees, in ONNX Runtime's evaluation order. */
    List<TreeRun> runs()
    {
        return runs;
    }

    /** @return the number of trees as ONNX Runtime counts them (the AVERAGE divisor). */
    int treeCount()
    {
        return runs.size();
    }

    /** @return weights ORT ignores because they sit on split nodes. */
    int ignoredWeights()
    {
        return ignoredWeights;
    }

    /** @return largest split feature id, -1 when there are no splits. */
    int maxFeature()
    {
        return maxFeature;
    }

    /** @return largest feature id of any node, leaves included (ONNX Runtime checks it against the input width). */
    long maxListedFeature()
    {
        return maxListedFeature;
    }

    /**
     * @param mode a split mode.
     * @return how many splits use it.
     */
    int modeCount(final SplitRewrite.Mode mode)
    {
        return modeCounts[mode.ordinal()];
    }

    /**
     * @param output output index.
     * @return whether every row reaches a weight for it.
     */
    Coverage coverage(final int output)
    {
        boolean any = false;
        for (final TreeRun run : runs)
        {
            if (run.feedsEveryLeaf(output))
            {
                return Coverage.ALWAYS;
            }
            any |= run.feeds(output);
        }
        return any ? Coverage.PARTIAL : Coverage.NEVER;
    }

    /** @return number of outputs. */
    int outputs()
    {
        return outputs;
    }
}
