package io.decide.format.gbdt;

import io.decide.format.SectionContext;
import io.decide.format.SectionValidator;
import org.agrona.DirectBuffer;

import static io.decide.format.gbdt.GbdtDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Reads a GBDT_ENSEMBLE section back into a {@link TreeEnsemble}, checking every count, offset, code, reserved
 * byte, tree shape and value on the way: reading is validating, so the section validator is this reader.
 */
public final class GbdtSectionReader implements SectionValidator
{
    private static final MissingRule[] MISSING_RULES = MissingRule.values();

    /** Thrown with the offset (relative to the section) of the first bad field. */
    public static final class BadSectionException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        private final int relativeOffset;

        BadSectionException(final int relativeOffset, final String reason)
        {
            super(reason);
            this.relativeOffset = relativeOffset;
        }

        /** @return offset of the problem, relative to the section start. */
        public int relativeOffset()
        {
            return relativeOffset;
        }
    }

    @Override
    public void validate(
        final DirectBuffer buffer, final int offset, final int length, final int sectionVersion,
        final SectionContext context)
    {
        try
        {
            context.decoded(read(buffer, offset, length));
        }
        catch (final BadSectionException ex)
        {
            throw context.fail(ex.relativeOffset(), ex.getMessage());
        }
    }

    /**
     * Decode a section.
     *
     * @param buffer artifact bytes.
     * @param offset file offset of the section.
     * @param length section length.
     * @return the ensemble.
     * @throws BadSectionException naming the relative offset and reason of the first problem.
     */
    public static TreeEnsemble read(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            throw new BadSectionException(0, "section is " + length + " bytes, expected at least " + HEADER_LENGTH);
        }
        final long features = u32(buffer, offset + FEATURE_COUNT_OFFSET);
        final long outputs = u32(buffer, offset + OUTPUT_COUNT_OFFSET);
        final long treeCount = u32(buffer, offset + TREE_COUNT_OFFSET);
        final long nodeCount = u32(buffer, offset + NODE_COUNT_OFFSET);
        final long categoryCount = u32(buffer, offset + CATEGORY_COUNT_OFFSET);
        check(features >= 1 && features <= MAX_FEATURES, FEATURE_COUNT_OFFSET, "feature count " + features);
        check(outputs >= 1 && outputs <= MAX_OUTPUTS, OUTPUT_COUNT_OFFSET, "output count " + outputs);
        check(treeCount >= 1 && treeCount <= MAX_TREES, TREE_COUNT_OFFSET, "tree count " + treeCount);
        check(nodeCount >= treeCount && nodeCount <= MAX_NODES, NODE_COUNT_OFFSET, "node count " + nodeCount);
        check(categoryCount <= MAX_NODES, CATEGORY_COUNT_OFFSET, "category count " + categoryCount);
        final Precision precision = code(Precision.values(), buffer, offset, PRECISION_OFFSET, "precision");
        final SplitComparison comparison =
            code(SplitComparison.values(), buffer, offset, COMPARISON_OFFSET, "comparison");
        final CategoricalRule categoricalRule =
            code(CategoricalRule.values(), buffer, offset, CATEGORICAL_RULE_OFFSET, "categorical rule");
        final OutputTransform transform = code(OutputTransform.values(), buffer, offset, TRANSFORM_OFFSET, "transform");
        final int flags = buffer.getInt(offset + FLAGS_OFFSET, LITTLE_ENDIAN);
        check((flags & ~FLAG_BASE_SCORE_AFTER_TREES) == 0, FLAGS_OFFSET, "unknown flags 0x" + Integer.toHexString(flags));
        final long averageDivisor = u32(buffer, offset + AVERAGE_DIVISOR_OFFSET);
        check(averageDivisor <= Integer.MAX_VALUE, AVERAGE_DIVISOR_OFFSET, "average divisor " + averageDivisor);
        for (int i = RESERVED_OFFSET; i < HEADER_LENGTH; i++)
        {
            check(buffer.getByte(offset + i) == 0, i, "reserved header byte must be 0");
        }
        final long treeTable = treeTableOffset(outputs, features);
        final long nodes = treeTable + TREE_ENTRY_LENGTH * treeCount;
        final long categories = nodes + NODE_LENGTH * nodeCount;
        final long expected = categories + align8(4 * categoryCount);
        check(expected == length, NODE_COUNT_OFFSET, "counts imply a " + expected + "-byte section, it has " + length);

        final TreeEnsemble.Builder builder = TreeEnsemble.builder()
            .featureCount((int)features)
            .outputCount((int)outputs)
            .precision(precision)
            .comparison(comparison)
            .categoricalRule(categoricalRule)
            .baseScoreAfterTrees((flags & FLAG_BASE_SCORE_AFTER_TREES) != 0)
            .averageDivisor((int)averageDivisor)
            .transform(transform)
            .sigmoidScale(buffer.getDouble(offset + SIGMOID_SCALE_OFFSET, LITTLE_ENDIAN));
        final double[] base = new double[(int)outputs];
        for (int g = 0; g < outputs; g++)
        {
            base[g] = buffer.getDouble(offset + HEADER_LENGTH + 8 * g, LITTLE_ENDIAN);
        }
        builder.baseScores(base);
        final int monotoneAt = (int)monotoneOffset(outputs);
        final int[] monotone = new int[(int)features];
        for (int f = 0; f < features; f++)
        {
            monotone[f] = buffer.getByte(offset + monotoneAt + f);
            check(monotone[f] >= -1 && monotone[f] <= 1, monotoneAt + f, "monotone direction " + monotone[f]);
        }
        for (long p = monotoneAt + features; p < treeTable; p++)
        {
            check(buffer.getByte(offset + (int)p) == 0, (int)p, "padding must be 0");
        }
        builder.monotone(monotone);

        long nextNode = 0;
        for (int t = 0; t < treeCount; t++)
        {
            final int entry = (int)treeTable + t * TREE_ENTRY_LENGTH;
            final long first = u32(buffer, offset + entry + TREE_FIRST_NODE_OFFSET);
            final long count = u32(buffer, offset + entry + TREE_NODE_COUNT_OFFSET);
            final long group = u32(buffer, offset + entry + TREE_GROUP_OFFSET);
            check(first == nextNode && count >= 1 && first + count <= nodeCount, entry,
                "tree " + t + ": nodes [" + first + ", " + (first + count) + "), expected to start at " + nextNode +
                " within " + nodeCount + " nodes");
            check(group < outputs, entry + TREE_GROUP_OFFSET, "tree " + t + ": group " + group + " of " + outputs);
            check(buffer.getInt(offset + entry + TREE_RESERVED_OFFSET, LITTLE_ENDIAN) == 0,
                entry + TREE_RESERVED_OFFSET, "tree " + t + ": reserved field must be 0");
            nextNode = first + count;
            builder.addTree(readTree(buffer, offset, t, (int)first, (int)count, (int)group,
                buffer.getDouble(offset + entry + TREE_WEIGHT_OFFSET, LITTLE_ENDIAN), (int)nodes, (int)categories,
                (int)categoryCount));
        }
        check(nextNode == nodeCount, NODE_COUNT_OFFSET, "trees hold " + nextNode + " nodes, header says " + nodeCount);
        for (long p = categories + 4 * categoryCount; p < length; p++)
        {
            check(buffer.getByte(offset + (int)p) == 0, (int)p, "padding must be 0");
        }
        try
        {
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadSectionException(0, ex.getMessage());
        }
    }

    private static Tree readTree(
        final DirectBuffer buffer, final int offset, final int t, final int first, final int count, final int group,
        final double weight, final int nodes, final int categories, final int categoryCount)
    {
        final int[] left = new int[count];
        final int[] right = new int[count];
        final int[] feature = new int[count];
        final double[] threshold = new double[count];
        final boolean[] defaultLeft = new boolean[count];
        final MissingRule[] missing = new MissingRule[count];
        final int[][] cats = new int[count][];
        final double[] leaf = new double[count];
        for (int i = 0; i < count; i++)
        {
            final int at = nodes + (first + i) * NODE_LENGTH;
            left[i] = buffer.getInt(offset + at + NODE_LEFT_OFFSET, LITTLE_ENDIAN);
            right[i] = buffer.getInt(offset + at + NODE_RIGHT_OFFSET, LITTLE_ENDIAN);
            feature[i] = buffer.getInt(offset + at + NODE_FEATURE_OFFSET, LITTLE_ENDIAN);
            final int flags = buffer.getByte(offset + at + NODE_FLAGS_OFFSET) & 0xFF;
            if (buffer.getByte(offset + at + NODE_FLAGS_OFFSET + 1) != 0 ||
                buffer.getShort(offset + at + NODE_FLAGS_OFFSET + 2, LITTLE_ENDIAN) != 0)
            {
                throw new BadSectionException(at + NODE_FLAGS_OFFSET, where(t, i) + ": reserved bytes must be 0");
            }
            final double value = buffer.getDouble(offset + at + NODE_VALUE_OFFSET, LITTLE_ENDIAN);
            if (left[i] < 0 || right[i] < 0)
            {
                if (left[i] != -1 || right[i] != -1 || feature[i] != 0 || flags != 0)
                {
                    throw new BadSectionException(at,
                        where(t, i) + ": a leaf has left = right = -1, feature 0 and no flags");
                }
                leaf[i] = value;
                continue;
            }
            if ((flags & ~0x0F) != 0)
            {
                throw new BadSectionException(at + NODE_FLAGS_OFFSET,
                    where(t, i) + ": unknown flags 0x" + Integer.toHexString(flags));
            }
            defaultLeft[i] = (flags & NODE_FLAG_DEFAULT_LEFT) != 0;
            final int rule = (flags >> NODE_MISSING_SHIFT) & NODE_MISSING_MASK;
            if ((flags & NODE_FLAG_CATEGORICAL) != 0)
            {
                if (rule != 0)
                {
                    throw new BadSectionException(at + NODE_FLAGS_OFFSET,
                        where(t, i) + ": a categorical split has no missing rule");
                }
                final long start = u32(buffer, offset + at + NODE_VALUE_OFFSET);
                final long size = u32(buffer, offset + at + NODE_VALUE_OFFSET + 4);
                if (start + size > categoryCount)
                {
                    throw new BadSectionException(at + NODE_VALUE_OFFSET, where(t, i) + ": categories [" + start +
                        ", " + (start + size) + ") outside the " + categoryCount + "-entry pool");
                }
                cats[i] = new int[(int)size];
                for (int c = 0; c < size; c++)
                {
                    cats[i][c] = buffer.getInt(offset + categories + 4 * (int)(start + c), LITTLE_ENDIAN);
                }
            }
            else
            {
                if (rule >= MISSING_RULES.length)
                {
                    throw new BadSectionException(at + NODE_FLAGS_OFFSET, where(t, i) + ": missing rule " + rule);
                }
                missing[i] = MISSING_RULES[rule];
                threshold[i] = value;
            }
        }
        try
        {
            return Tree.adopt(group, weight, left, right, feature, threshold, defaultLeft, missing, cats, leaf);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadSectionException(nodes + first * NODE_LENGTH, "tree " + t + ": " + ex.getMessage());
        }
    }

    private static String where(final int tree, final int node)
    {
        return "tree " + tree + " node " + node;
    }

    private static <E extends Enum<E>> E code(
        final E[] values, final DirectBuffer buffer, final int offset, final int field, final String what)
    {
        final int code = buffer.getByte(offset + field) & 0xFF;
        check(code < values.length, field, "unknown " + what + " code " + code);
        return values[code];
    }

    private static long u32(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    private static void check(final boolean condition, final int relativeOffset, final String reason)
    {
        if (!condition)
        {
            throw new BadSectionException(relativeOffset, reason);
        }
    }
}
