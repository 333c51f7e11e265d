package io.decide.format.gbdt;

/**
 * Layout of a GBDT_ENSEMBLE section (layout version 1): a {@link TreeEnsemble} stored field for field, so the
 * reader rebuilds exactly the model the importer produced. The engine compiles it at load into its own traversal
 * structures (see {@code io.decide.engine.gbdt.GbdtEvaluator}); that structure can change without a format change.
 * Offsets relative to the section start; all regions 8-byte aligned.
 * <pre>
 *  Header, 64 bytes:
 *   0  featureCount u32          4  outputCount u32          8  treeCount u32         12  nodeCount u32 (all trees)
 *  16  precision u8  17 comparison u8  18 categoricalRule u8  19 transform u8
 *  20  flags u32 (bit 0: base score after trees)            24  averageDivisor u32    28  categoryCount u32
 *  32  sigmoidScale f64         40..63 reserved = 0
 *  Base scores:        outputCount x f64
 *  Monotone:           featureCount x i8 (-1, 0, 1), zero-padded to a multiple of 8
 *  Tree table:         treeCount x 24 bytes: firstNode u32, nodeCount u32, group u32, reserved u32 = 0, weight f64
 *  Nodes:              nodeCount x 24 bytes, tree-local indices, node 0 of each tree is its root:
 *                        0 left i32 (-1: leaf)   4 right i32 (-1: leaf)   8 feature i32 (0 for leaves)
 *                       12 flags u8: bit 0 default left, bits 1-2 MissingRule code, bit 3 categorical; 3 bytes = 0
 *                       16 value f64: threshold (numeric split), leaf value (leaf), or for a categorical split
 *                          the u32 index of its first category (low half) and the u32 category count (high half)
 *  Categories:         categoryCount x i32, each categorical node's set sorted ascending, zero-padded to 8
 * </pre>
 * Writer: {@link GbdtSectionWriter}; reader and validator: {@link GbdtSectionReader}.
 */
public final class GbdtDescriptor
{
    public static final int VERSION = 1;
    public static final int FEATURE_COUNT_OFFSET = 0;
    public static final int OUTPUT_COUNT_OFFSET = 4;
    public static final int TREE_COUNT_OFFSET = 8;
    public static final int NODE_COUNT_OFFSET = 12;
    public static final int PRECISION_OFFSET = 16;
    public static final int COMPARISON_OFFSET = 17;
    public static final int CATEGORICAL_RULE_OFFSET = 18;
    public static final int TRANSFORM_OFFSET = 19;
    public static final int FLAGS_OFFSET = 20;
    public static final int AVERAGE_DIVISOR_OFFSET = 24;
    public static final int CATEGORY_COUNT_OFFSET = 28;
    public static final int SIGMOID_SCALE_OFFSET = 32;
    public static final int RESERVED_OFFSET = 40;
    public static final int HEADER_LENGTH = 64;

    public static final int FLAG_BASE_SCORE_AFTER_TREES = 1;

    public static final int TREE_FIRST_NODE_OFFSET = 0;
    public static final int TREE_NODE_COUNT_OFFSET = 4;
    public static final int TREE_GROUP_OFFSET = 8;
    public static final int TREE_RESERVED_OFFSET = 12;
    public static final int TREE_WEIGHT_OFFSET = 16;
    public static final int TREE_ENTRY_LENGTH = 24;

    public static final int NODE_LEFT_OFFSET = 0;
    public static final int NODE_RIGHT_OFFSET = 4;
    public static final int NODE_FEATURE_OFFSET = 8;
    public static final int NODE_FLAGS_OFFSET = 12;
    public static final int NODE_VALUE_OFFSET = 16;
    public static final int NODE_LENGTH = 24;

    public static final int NODE_FLAG_DEFAULT_LEFT = 1;
    public static final int NODE_MISSING_SHIFT = 1;
    public static final int NODE_MISSING_MASK = 3;
    public static final int NODE_FLAG_CATEGORICAL = 8;

    /** Limits that keep every size computation inside an int and every count plausible. */
    public static final int MAX_FEATURES = 1 << 24;
    public static final int MAX_OUTPUTS = 1 << 16;
    public static final int MAX_TREES = 1 << 24;
    public static final int MAX_NODES = 1 << 26;

    private GbdtDescriptor()
    {
    }

    /**
     * @param count bytes.
     * @return count rounded up to a multiple of 8.
     */
    public static long align8(final long count)
    {
        return (count + 7) & ~7L;
    }

    /**
     * @param outputCount number of outputs.
     * @return offset of the monotone region.
     */
    public static long monotoneOffset(final long outputCount)
    {
        return HEADER_LENGTH + 8 * outputCount;
    }

    /**
     * @param outputCount  number of outputs.
     * @param featureCount number of features.
     * @return offset of the tree table.
     */
    public static long treeTableOffset(final long outputCount, final long featureCount)
    {
        return monotoneOffset(outputCount) + align8(featureCount);
    }
}
