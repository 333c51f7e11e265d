package io.decide.format.gbdt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.decide.format.gbdt.GbdtDescriptor.*;

/** Writes a {@link TreeEnsemble} as a GBDT_ENSEMBLE section (see {@link GbdtDescriptor}). */
public final class GbdtSectionWriter
{
    private GbdtSectionWriter()
    {
    }

    /**
     * @param ensemble the model.
     * @return the section bytes.
     */
    public static byte[] toBytes(final TreeEnsemble ensemble)
    {
        final Tree[] trees = ensemble.trees();
        long nodeCount = 0;
        long categoryCount = 0;
        for (final Tree tree : trees)
        {
            nodeCount += tree.nodeCount();
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (!tree.isLeaf(i) && tree.categories(i) != null)
                {
                    categoryCount += tree.categories(i).length;
                }
            }
        }
        final int features = ensemble.featureCount();
        final int outputs = ensemble.outputCount();
        if (features > MAX_FEATURES || outputs > MAX_OUTPUTS || trees.length > MAX_TREES || nodeCount > MAX_NODES)
        {
            throw new IllegalArgumentException("ensemble too large for GBDT_ENSEMBLE v1");
        }
        final long treeTable = treeTableOffset(outputs, features);
        final long nodes = treeTable + (long)TREE_ENTRY_LENGTH * trees.length;
        final long categories = nodes + NODE_LENGTH * nodeCount;
        final long length = categories + align8(4 * categoryCount);
        final ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(FEATURE_COUNT_OFFSET, features);
        out.putInt(OUTPUT_COUNT_OFFSET, outputs);
        out.putInt(TREE_COUNT_OFFSET, trees.length);
        out.putInt(NODE_COUNT_OFFSET, (int)nodeCount);
        out.put(PRECISION_OFFSET, (byte)ensemble.precision().ordinal());
        out.put(COMPARISON_OFFSET, (byte)ensemble.comparison().ordinal());
        out.put(CATEGORICAL_RULE_OFFSET, (byte)ensemble.categoricalRule().ordinal());
        out.put(TRANSFORM_OFFSET, (byte)ensemble.transform().ordinal());
        out.putInt(FLAGS_OFFSET, ensemble.baseScoreAfterTrees() ? FLAG_BASE_SCORE_AFTER_TREES : 0);
        out.putInt(AVERAGE_DIVISOR_OFFSET, ensemble.averageDivisor());
        out.putInt(CATEGORY_COUNT_OFFSET, (int)categoryCount);
        out.putDouble(SIGMOID_SCALE_OFFSET, ensemble.sigmoidScale());
        final double[] base = ensemble.baseScores();
        for (int g = 0; g < outputs; g++)
        {
            out.putDouble(HEADER_LENGTH + 8 * g, base[g]);
        }
        final int[] monotone = ensemble.monotone();
        final int monotoneAt = (int)monotoneOffset(outputs);
        for (int f = 0; f < features; f++)
        {
            out.put(monotoneAt + f, (byte)monotone[f]);
        }
        int node = 0;
        int category = 0;
        for (int t = 0; t < trees.length; t++)
        {
            final Tree tree = trees[t];
            final int entry = (int)treeTable + t * TREE_ENTRY_LENGTH;
            out.putInt(entry + TREE_FIRST_NODE_OFFSET, node);
            out.putInt(entry + TREE_NODE_COUNT_OFFSET, tree.nodeCount());
            out.putInt(entry + TREE_GROUP_OFFSET, tree.group());
            out.putDouble(entry + TREE_WEIGHT_OFFSET, tree.weight());
            for (int i = 0; i < tree.nodeCount(); i++, node++)
            {
                final int at = (int)nodes + node * NODE_LENGTH;
                if (tree.isLeaf(i))
                {
                    out.putInt(at + NODE_LEFT_OFFSET, -1);
                    out.putInt(at + NODE_RIGHT_OFFSET, -1);
                    out.putDouble(at + NODE_VALUE_OFFSET, tree.leafValue(i));
                    continue;
                }
                out.putInt(at + NODE_LEFT_OFFSET, tree.left(i));
                out.putInt(at + NODE_RIGHT_OFFSET, tree.right(i));
                out.putInt(at + NODE_FEATURE_OFFSET, tree.feature(i));
                int flags = tree.defaultLeft(i) ? NODE_FLAG_DEFAULT_LEFT : 0;
                final int[] cats = tree.categories(i);
                if (cats != null)
                {
                    flags |= NODE_FLAG_CATEGORICAL;
                    out.putInt(at + NODE_VALUE_OFFSET, category);
                    out.putInt(at + NODE_VALUE_OFFSET + 4, cats.length);
                    for (final int c : cats)
                    {
                        out.putInt((int)categories + 4 * category++, c);
                    }
                }
                else
                {
                    flags |= tree.missing(i).ordinal() << NODE_MISSING_SHIFT;
                    out.putDouble(at + NODE_VALUE_OFFSET, tree.threshold(i));
                }
                out.put(at + NODE_FLAGS_OFFSET, (byte)flags);
            }
        }
        return out.array();
    }
}
