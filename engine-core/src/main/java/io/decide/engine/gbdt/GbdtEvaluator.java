package io.decide.engine.gbdt;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.SectionType;
import io.decide.format.gbdt.CategoricalRule;
import io.decide.format.gbdt.GbdtSectionReader;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.vectors.VectorEvaluator;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Evaluates a tree ensemble with no allocation, bit-identical to {@link TreeEnsemble#predictRaw} (and so to the
 * library that trained it). Thread-safe; each thread passes its own {@link GbdtContext}.
 * <p>
 * Compiled at load from the GBDT_ENSEMBLE section:
 * <ul>
 *   <li>Inputs are copied once per row into canonical <em>slots</em>, one per (feature, missing rule) pair used by
 *   the model: rounded to float for FLOAT32 models; {@code NaN} or {@code |x| <= 1e-35} turned into NaN for
 *   ZERO_DEFAULT splits; NaN turned into 0 for NAN_AS_ZERO splits. After that every numeric split is the same
 *   test: a NaN slot goes the default direction, anything else goes right iff {@code x >= t'}, where {@code t'} is
 *   the threshold for {@code <} splits and the next representable value above it (NaN above +inf) for {@code <=}
 *   splits.</li>
 *   <li>Blocks of four trees without categorical splits are evaluated four at a time, level by level, branch-free.
 *   Nearly complete trees of depth at most {@link #MAX_PADDED_DEPTH} are padded to complete binary trees (a leaf
 *   above the bottom is copied into every leaf below it) and walked by absolute position in the node array,
 *   {@code a = 2a + (1 - base) + right}, which is {@code base + k} for the tree-relative {@code k = 2k + 1 + right}
 *   without the per-level add of the tree's base; sparser or
 *   deeper ones (padding would more than double their bytes) are walked over compact pre-order nodes whose leaves
 *   loop onto themselves, so every tree takes exactly the block's depth in steps. The comparison is on integers:
 *   each slot has two sortable keys (NaN as the largest key, for nodes whose missing values go right, and as the
 *   smallest, for nodes where they go left), each node selects one and holds the key of {@code t'}, and
 *   {@code right = 1 - (key < t'Key)} is a sign bit (FLOAT32 keys are int-range, so their difference cannot
 *   overflow; FLOAT64 keys use an overflow-safe sign), so no level can mispredict.</li>
 *   <li>Blocks with categorical splits are evaluated by pointer chasing over the same pre-order nodes, with
 *   categorical sets searched in a shared sorted pool.</li>
 *   <li>Leaf values are pre-multiplied by the tree weight in the model's precision, and contributions are summed per
 *   output in tree order, exactly as the reference semantics define.</li>
 * </ul>
 */
public final class GbdtEvaluator
{
    /** Deepest tree padded to a complete binary tree; deeper trees are walked in compact form. */
    public static final int MAX_PADDED_DEPTH = 10;
    /** Trees up to this depth are always padded. */
    static final int ALWAYS_PADDED_DEPTH = 8;
    /** Trees evaluated together in a padded block. */
    static final int BLOCK = 4;
    /** Verification-vector mode: raw margins. */
    public static final int MODE_RAW = 0;
    /** Verification-vector mode: transformed outputs. */
    public static final int MODE_TRANSFORMED = 1;

    private static final int KIND_PLAIN = 0;
    private static final int KIND_ZERO_TO_NAN = 1;
    private static final int KIND_NAN_TO_ZERO = 2;
    private static final int KIND_PADDED = 0;
    private static final int KIND_COMPACT = 1;
    private static final int KIND_POINTER = 2;
    private static final int KIND_SCORER = 3;
    /** Most leaves a tree may have to be evaluated by the bitvector scorer (one long per tree). */
    static final int MAX_SCORER_LEAVES = 64;
    private static final int FLAG_DEFAULT_RIGHT = 1;
    private static final int FLAG_CATEGORICAL = 2;
    /** 2^31: LightGBM's int conversion of a category at or above this gives INT_MIN, which no set holds. */
    private static final double LIGHTGBM_CATEGORY_LIMIT = 2147483648.0;

    private final TreeEnsemble ensemble;
    private final int featureCount;
    private final int outputCount;
    private final boolean float32;
    private final boolean xgboostCategories;
    private final double[] baseScores;
    private final boolean baseScoreAfterTrees;
    private final int averageDivisor;

    private final int[] slotFeature;
    private final int[] slotKind;
    /** FLOAT32 model, every slot plain (no missing-value rewriting) and no pointer block reading slot values. */
    private final boolean plainKeys32;

    private final int[] treeGroup;
    private final int[] blockFirstTree;
    private final int[] blockSize;
    private final int[] blockDepth;
    private final int[] blockKind;
    /** Padded trees: {@code 1 - treeNodeBase}, so a node at absolute position a has children 2a + step + {0, 1}. */
    private final int[] treeStep;
    /** Padded trees: leaf index = absolute position after the last level + this. */
    private final int[] treeLeafShift;
    private final int[] padKeySelect;
    private final long[] padThresholdKey;
    private final long[] padPacked;
    private final double[] padLeaf;
    private final float[] padLeaf32;

    private final int[] treeRoot;
    private final int[] ptrSlot;
    private final double[] ptrValue;
    private final int[] ptrRight;
    private final int[] ptrFlags;
    private final int[] ptrCategoryStart;
    private final int[] ptrCategoryCount;
    private final int[] categoryPool;

    private final long[] compactThreshold;
    private final long[] compactMeta;
    private final double[] compactLeaf;

    private final int scorerTreeCount;
    private final int[] treeScorer;
    private final int[] scorerLeafBase;
    private final int[] scorerSelectStart;
    private final long[] scorerThreshold;
    private final long[] scorerMask;
    private final int[] scorerTree;
    private final double[] scorerLeaf;

    /**
     * Compile an ensemble.
     *
     * @param ensemble the model.
     */
    public GbdtEvaluator(final TreeEnsemble ensemble)
    {
        this.ensemble = ensemble;
        this.featureCount = ensemble.featureCount();
        this.outputCount = ensemble.outputCount();
        this.float32 = ensemble.precision() == Precision.FLOAT32;
        this.xgboostCategories = ensemble.categoricalRule() == CategoricalRule.XGBOOST;
        this.baseScores = ensemble.baseScores();
        this.baseScoreAfterTrees = ensemble.baseScoreAfterTrees();
        this.averageDivisor = ensemble.averageDivisor();
        final Tree[] trees = ensemble.trees();
        final int treeCount = trees.length;

        // Slots by (feature, kind), numbered in order of first use; a flat table, features being validated at load.
        final int[] slotOf = new int[4 * Math.max(1, featureCount)];
        Arrays.fill(slotOf, -1);
        final boolean[] categoricalTree = new boolean[treeCount];
        int slotCount = 0;
        for (int t = 0; t < treeCount; t++)
        {
            final Tree tree = trees[t];
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (!tree.isLeaf(i))
                {
                    final int key = slotKey(tree, i);
                    if (slotOf[key] < 0)
                    {
                        slotOf[key] = slotCount++;
                    }
                    categoricalTree[t] |= tree.categories(i) != null;
                }
            }
        }
        if (slotCount == 0)
        {
            slotOf[0] = slotCount++;
        }
        slotFeature = new int[slotCount];
        slotKind = new int[slotCount];
        for (int key = 0; key < slotOf.length; key++)
        {
            if (slotOf[key] >= 0)
            {
                slotFeature[slotOf[key]] = key >>> 2;
                slotKind[slotOf[key]] = key & 3;
            }
        }
        treeGroup = new int[treeCount];
        for (int t = 0; t < treeCount; t++)
        {
            treeGroup[t] = trees[t].group();
        }

        final int blockCount = (treeCount + BLOCK - 1) / BLOCK;
        blockFirstTree = new int[blockCount];
        blockSize = new int[blockCount];
        blockDepth = new int[blockCount];
        blockKind = new int[blockCount];
        final int[] treeNodeBase = new int[treeCount];
        final int[] treeLeafBase = new int[treeCount];
        treeStep = new int[treeCount];
        treeLeafShift = new int[treeCount];
        long padNodes = 0;
        long padLeaves = 0;
        for (int b = 0; b < blockCount; b++)
        {
            final int first = b * BLOCK;
            final int size = Math.min(BLOCK, treeCount - first);
            blockFirstTree[b] = first;
            blockSize[b] = size;
            int depth = 0;
            boolean categorical = false;
            for (int t = first; t < first + size; t++)
            {
                depth = Math.max(depth, trees[t].depth());
                categorical |= categoricalTree[t];
            }
            blockDepth[b] = depth;
            long nodes = 0;
            for (int t = first; t < first + size; t++)
            {
                nodes += trees[t].nodeCount();
            }
            // Padding always pays up to depth 8 (one load per level, measured faster than compact even for sparse
            // trees); up to MAX_PADDED_DEPTH only while the padded block is at most twice the compact one's bytes;
            // sparse deep trees (e.g. LightGBM's 31 leaves at depth 10+) stay compact. Blocks keep model order:
            // contributions are added as each block finishes, so the in-order (bit-exact) sum overlaps traversal.
            final long paddedBytes = (long)size * ((2L << depth) - 1) * (float32 ? 8 : 16);
            final long compactBytes = nodes * 24;
            boolean fewLeaves = true;
            for (int t = first; t < first + size; t++)
            {
                fewLeaves &= (trees[t].nodeCount() + 1) / 2 <= MAX_SCORER_LEAVES;
            }
            blockKind[b] = categorical ? KIND_POINTER :
                depth <= ALWAYS_PADDED_DEPTH || (depth <= MAX_PADDED_DEPTH && paddedBytes <= 2 * compactBytes) ?
                KIND_PADDED : fewLeaves ? KIND_SCORER : KIND_COMPACT;
            if (blockKind[b] == KIND_PADDED)
            {
                for (int t = first; t < first + size; t++)
                {
                    treeNodeBase[t] = (int)padNodes;
                    treeLeafBase[t] = (int)padLeaves;
                    treeStep[t] = 1 - (int)padNodes;
                    // The absolute position stays base + relative position, which ends at 2^depth - 1 + leaf.
                    treeLeafShift[t] = (int)padLeaves - (int)padNodes - ((1 << depth) - 1);
                    padNodes += (1L << depth) - 1;
                    padLeaves += 1L << depth;
                }
            }
        }
        // Pre-order pointer nodes only for the trees that are not padded (pointer, compact and scorer blocks use them).
        treeRoot = new int[treeCount];
        int totalNodes = 0;
        int totalCategories = 0;
        for (int b = 0; b < blockCount; b++)
        {
            for (int t = blockFirstTree[b]; blockKind[b] != KIND_PADDED && t < blockFirstTree[b] + blockSize[b]; t++)
            {
                totalNodes += trees[t].nodeCount();
                for (int i = 0; categoricalTree[t] && i < trees[t].nodeCount(); i++)
                {
                    totalCategories += trees[t].categories(i) == null ? 0 : trees[t].categories(i).length;
                }
            }
        }
        ptrSlot = new int[totalNodes];
        ptrValue = new double[totalNodes];
        ptrRight = new int[totalNodes];
        ptrFlags = new int[totalNodes];
        ptrCategoryStart = new int[totalNodes];
        ptrCategoryCount = new int[totalNodes];
        categoryPool = new int[totalCategories];
        final int[] counters = {0, 0};
        for (int b = 0; b < blockCount; b++)
        {
            for (int t = blockFirstTree[b]; blockKind[b] != KIND_PADDED && t < blockFirstTree[b] + blockSize[b]; t++)
            {
                treeRoot[t] = counters[0];
                compilePointerTree(trees[t], slotOf, counters);
            }
        }
        boolean plain = float32;
        for (final int kind : slotKind)
        {
            plain &= kind == KIND_PLAIN;
        }
        for (final int kind : blockKind)
        {
            plain &= kind != KIND_POINTER;
        }
        plainKeys32 = plain;
        boolean anyCompact = false;
        for (final int kind : blockKind)
        {
            anyCompact |= kind == KIND_COMPACT;
        }
        final int compactNodes = anyCompact ? ptrSlot.length : 0;
        compactThreshold = new long[compactNodes];
        compactMeta = new long[compactNodes];
        compactLeaf = new double[compactNodes];
        compileCompact(compactNodes);

        treeScorer = new int[treeCount];
        int scorerTrees = 0;
        int scorerNodes = 0;
        int scorerLeaves = 0;
        for (int b = 0; b < blockCount; b++)
        {
            for (int t = blockFirstTree[b]; t < blockFirstTree[b] + blockSize[b]; t++)
            {
                treeScorer[t] = -1;
                if (blockKind[b] == KIND_SCORER)
                {
                    treeScorer[t] = scorerTrees++;
                    scorerLeaves += (trees[t].nodeCount() + 1) / 2;
                    scorerNodes += trees[t].nodeCount() / 2;
                }
            }
        }
        scorerTreeCount = scorerTrees;
        scorerLeafBase = new int[scorerTrees];
        scorerSelectStart = new int[scorerTrees == 0 ? 1 : 2 * slotFeature.length + 1];
        scorerThreshold = new long[scorerNodes];
        scorerMask = new long[scorerNodes];
        scorerTree = new int[scorerNodes];
        scorerLeaf = new double[scorerLeaves];
        if (scorerTrees > 0)
        {
            compileScorer(trees);
        }
        padKeySelect = new int[float32 ? 0 : Math.toIntExact(padNodes)];
        padThresholdKey = new long[float32 ? 0 : Math.toIntExact(padNodes)];
        padPacked = new long[float32 ? Math.toIntExact(padNodes) : 0];
        padLeaf = new double[float32 ? 0 : Math.toIntExact(padLeaves)];
        padLeaf32 = new float[float32 ? Math.toIntExact(padLeaves) : 0];
        for (int b = 0; b < blockCount; b++)
        {
            if (blockKind[b] == KIND_PADDED)
            {
                for (int t = blockFirstTree[b]; t < blockFirstTree[b] + blockSize[b]; t++)
                {
                    compilePadded(trees[t], 0, 0, blockDepth[b], treeNodeBase[t], treeLeafBase[t], slotOf);
                }
            }
        }
    }

    /**
     * The evaluator of a GBDT_ENSEMBLE section of a loaded artifact, compiled once and cached with the artifact.
     *
     * @param artifact a loaded artifact.
     * @param ordinal  which GBDT_ENSEMBLE section (0 = first).
     * @return the evaluator.
     * @throws IllegalArgumentException when the artifact has no such section.
     */
    public static GbdtEvaluator of(final LoadedArtifact artifact, final int ordinal)
    {
        final int index = artifact.layout().indexOf(SectionType.GBDT_ENSEMBLE, ordinal);
        if (index < 0)
        {
            throw new IllegalArgumentException(artifact + " has no GBDT_ENSEMBLE #" + ordinal);
        }
        return artifact.attachment(index, GbdtEvaluator.class, a ->
        {
            final Object decoded = a.layout().decoded(index);
            return new GbdtEvaluator(decoded instanceof TreeEnsemble ? (TreeEnsemble)decoded : GbdtSectionReader.read(
                a.buffer(), a.layout().sectionOffset(index), a.layout().sectionLength(index)));
        });
    }

    /**
     * Verification-vector evaluator for GBDT_ENSEMBLE sections ({@link #MODE_RAW} or {@link #MODE_TRANSFORMED}).
     *
     * @param artifact     artifact being loaded.
     * @param sectionIndex table index of the GBDT_ENSEMBLE section.
     * @return an evaluator for replay.
     */
    public static VectorEvaluator verificationEvaluator(final LoadedArtifact artifact, final int sectionIndex)
    {
        final GbdtEvaluator evaluator = of(artifact, artifact.layout().sectionOrdinal(sectionIndex));
        final GbdtContext context = evaluator.newContext();
        return (mode, input, output) ->
        {
            if (input.length != evaluator.featureCount)
            {
                return;
            }
            if (mode == MODE_RAW && output.length == evaluator.outputCount)
            {
                evaluator.predictRaw(input, output, context);
            }
            else if (mode == MODE_TRANSFORMED && output.length == evaluator.transformedCount())
            {
                evaluator.predict(input, output, context);
            }
        };
    }

    /** @return the model this evaluator was compiled from. */
    public TreeEnsemble ensemble()
    {
        return ensemble;
    }

    /** @return number of input features a row holds. */
    public int featureCount()
    {
        return featureCount;
    }

    /** @return number of raw margins per row. */
    public int outputCount()
    {
        return outputCount;
    }

    /** @return number of transformed outputs per row (1 for ARGMAX). */
    public int transformedCount()
    {
        return ensemble.transformedCount();
    }

    /**
     * How many blocks each evaluation strategy got (for tests and diagnostics).
     *
     * @return blocks that are padded, compact, pointer-chased and bitvector-scored, in that order.
     */
    int[] blockKindCounts()
    {
        final int[] counts = new int[4];
        for (final int kind : blockKind)
        {
            counts[kind]++;
        }
        return counts;
    }

    /** @return a new per-thread context. */
    public GbdtContext newContext()
    {
        return new GbdtContext(slotFeature.length, outputCount, scorerTreeCount);
    }

    /**
     * Raw margins of one row.
     *
     * @param row     {@link #featureCount()} values, NaN for missing.
     * @param output  {@link #outputCount()} margins are written here.
     * @param context the calling thread's context.
     */
    public void predictRaw(final double[] row, final double[] output, final GbdtContext context)
    {
        final double[] slots = context.slots;
        final long[] keys = context.keys;
        final int[] features = slotFeature;
        if (plainKeys32)
        {
            for (int s = 0; s < features.length; s++)
            {
                storeKeys32(keys, s, (float)row[features[s]]);
            }
        }
        else
        {
            for (int s = 0; s < slots.length; s++)
            {
                store(slots, keys, s, canonical(row[features[s]], s));
            }
        }
        accumulate(context, output, 0);
    }

    /**
     * Raw margins of one row of floats.
     *
     * @param row     {@link #featureCount()} values, NaN for missing.
     * @param output  margins.
     * @param context the calling thread's context.
     */
    public void predictRaw(final float[] row, final double[] output, final GbdtContext context)
    {
        final double[] slots = context.slots;
        final long[] keys = context.keys;
        final int[] features = slotFeature;
        if (plainKeys32)
        {
            for (int s = 0; s < features.length; s++)
            {
                storeKeys32(keys, s, row[features[s]]);
            }
        }
        else
        {
            for (int s = 0; s < slots.length; s++)
            {
                store(slots, keys, s, canonical(row[features[s]], s));
            }
        }
        accumulate(context, output, 0);
    }

    /**
     * Raw margins of one row held in a buffer as {@link #featureCount()} little-endian doubles.
     *
     * @param buffer  source.
     * @param offset  offset of the row's first double.
     * @param output  margins.
     * @param context the calling thread's context.
     */
    public void predictRaw(
        final DirectBuffer buffer, final int offset, final double[] output, final GbdtContext context)
    {
        final double[] slots = context.slots;
        final long[] keys = context.keys;
        final int[] features = slotFeature;
        for (int s = 0; s < slots.length; s++)
        {
            store(slots, keys, s, canonical(buffer.getDouble(offset + 8 * features[s], ByteOrder.LITTLE_ENDIAN), s));
        }
        accumulate(context, output, 0);
    }

    /**
     * Transformed outputs (probabilities, rates, class index) of one row.
     *
     * @param row     features, NaN for missing.
     * @param output  {@link #transformedCount()} values.
     * @param context the calling thread's context.
     */
    public void predict(final double[] row, final double[] output, final GbdtContext context)
    {
        predictRaw(row, context.margins, context);
        ensemble.transform(context.margins, output);
    }

    /**
     * Raw margins of many rows.
     *
     * @param rows     rowCount x featureCount values, row-major.
     * @param rowCount number of rows.
     * @param output   rowCount x outputCount margins, row-major.
     * @param context  the calling thread's context.
     */
    public void predictRawBatch(final double[] rows, final int rowCount, final double[] output, final GbdtContext context)
    {
        final double[] slots = context.slots;
        final long[] keys = context.keys;
        final int[] features = slotFeature;
        for (int r = 0; r < rowCount; r++)
        {
            final int base = r * featureCount;
            for (int s = 0; s < slots.length; s++)
            {
                store(slots, keys, s, canonical(rows[base + features[s]], s));
            }
            accumulate(context, output, r * outputCount);
        }
    }

    /**
     * Transformed outputs of many rows.
     *
     * @param rows     rowCount x featureCount values, row-major.
     * @param rowCount number of rows.
     * @param output   rowCount x transformedCount values, row-major.
     * @param context  the calling thread's context.
     */
    public void predictBatch(final double[] rows, final int rowCount, final double[] output, final GbdtContext context)
    {
        final double[] slots = context.slots;
        final long[] keys = context.keys;
        final double[] margins = context.margins;
        final int[] features = slotFeature;
        final int width = ensemble.transformedCount();
        final double[] transformed = context.transformed;
        for (int r = 0; r < rowCount; r++)
        {
            final int base = r * featureCount;
            for (int s = 0; s < slots.length; s++)
            {
                store(slots, keys, s, canonical(rows[base + features[s]], s));
            }
            accumulate(context, margins, 0);
            ensemble.transform(margins, transformed);
            System.arraycopy(transformed, 0, output, r * width, width);
        }
    }

    /**
     * Store a canonical slot value, and its two integer keys for the padded trees: {@code 2s} with NaN as the largest
     * key (for nodes whose missing values go right) and {@code 2s + 1} with NaN as the smallest (missing goes left).
     */
    private void store(final double[] slots, final long[] keys, final int s, final double x)
    {
        slots[s] = x;
        if (x != x)
        {
            keys[2 * s] = float32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
            keys[2 * s + 1] = float32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        }
        else
        {
            final long key = float32 ? sortableKey32((float)x) : sortableKey(x);
            keys[2 * s] = key;
            keys[2 * s + 1] = key;
        }
    }

    /**
     * The keys of a plain FLOAT32 slot (see {@link #store}); slot values themselves are not needed, no pointer block
     * reading them.
     */
    private static void storeKeys32(final long[] keys, final int s, final float x)
    {
        final long key = sortableKey32(x);
        final boolean nan = x != x;
        keys[2 * s] = nan ? Integer.MAX_VALUE : key;
        keys[2 * s + 1] = nan ? Integer.MIN_VALUE : key;
    }

    /**
     * The float version of {@link #sortableKey(double)}: an int ordering like the float, strictly between
     * {@code Integer.MIN_VALUE} and {@code Integer.MAX_VALUE}; held in a long, differences of two keys cannot
     * overflow, so {@code key < t} is just the sign of {@code key - t}.
     */
    static long sortableKey32(final float value)
    {
        final int bits = Float.floatToRawIntBits(value + 0.0f);
        return bits ^ ((bits >> 31) & 0x7FFF_FFFF);
    }

    /**
     * A long that orders like the double: {@code a >= b} iff {@code key(a) >= key(b)} for non-NaN values, with
     * -0.0 and +0.0 equal; every key lies strictly between {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}.
     */
    static long sortableKey(final double value)
    {
        final long bits = Double.doubleToRawLongBits(value + 0.0);
        return bits ^ ((bits >> 63) & 0x7FFF_FFFF_FFFF_FFFFL);
    }

    /** 1 when {@code a < b} (signed, overflow-safe), else 0, without a branch. */
    private static int less(final long a, final long b)
    {
        final long d = a - b;
        return (int)((d ^ ((a ^ b) & (d ^ a))) >>> 63);
    }

    private double canonical(final double input, final int slot)
    {
        final double x = float32 ? (double)(float)input : input;
        switch (slotKind[slot])
        {
            case KIND_ZERO_TO_NAN:
                return x != x || (x >= -TreeEnsemble.ZERO_THRESHOLD && x <= TreeEnsemble.ZERO_THRESHOLD) ?
                    Double.NaN : x;
            case KIND_NAN_TO_ZERO:
                return x != x ? 0.0 : x;
            default:
                return x;
        }
    }

    private void accumulate(final GbdtContext context, final double[] output, final int outputOffset)
    {
        if (scorerTreeCount > 0)
        {
            scan(context.keys, context.exits);
        }
        final double[] acc = context.accumulators;
        final double[] quad = context.quad;
        final boolean f32 = float32;
        final int blocks = blockDepth.length;
        if (outputCount == 1)
        {
            // One output: the in-order sum stays in a register (a float for FLOAT32), off the memory path, so its
            // dependent additions overlap the next block's traversal.
            final double start = baseScoreAfterTrees ? 0.0 : baseScores[0];
            if (f32)
            {
                float sum = (float)start;
                final long[] keys = context.keys;
                for (int b = 0; b < blocks; b++)
                {
                    if (blockKind[b] == KIND_PADDED && blockSize[b] == BLOCK)
                    {
                        sum = sumBlock32(blockFirstTree[b], blockDepth[b], keys, sum);
                        continue;
                    }
                    final int size = evaluate(b, context, quad);
                    for (int j = 0; j < size; j++)
                    {
                        sum += (float)quad[j];
                    }
                }
                acc[0] = sum;
            }
            else
            {
                double sum = start;
                for (int b = 0; b < blocks; b++)
                {
                    final int size = evaluate(b, context, quad);
                    for (int j = 0; j < size; j++)
                    {
                        sum += quad[j];
                    }
                }
                acc[0] = sum;
            }
        }
        else
        {
            for (int g = 0; g < outputCount; g++)
            {
                acc[g] = baseScoreAfterTrees ? 0.0 : baseScores[g];
            }
            final int[] groups = treeGroup;
            for (int b = 0; b < blocks; b++)
            {
                final int size = evaluate(b, context, quad);
                final int first = blockFirstTree[b];
                for (int j = 0; j < size; j++)
                {
                    add(acc, groups[first + j], quad[j], f32);
                }
            }
        }
        for (int g = 0; g < outputCount; g++)
        {
            double value = acc[g];
            if (averageDivisor > 0)
            {
                value = f32 ? (double)((float)value / (float)averageDivisor) : value / averageDivisor;
            }
            if (baseScoreAfterTrees)
            {
                value = f32 ? (double)((float)value + (float)baseScores[g]) : value + baseScores[g];
            }
            output[outputOffset + g] = value;
        }
    }

    /** Evaluate block {@code b}: its trees' contributions, in model order, into {@code quad}; returns how many. */
    private int evaluate(final int b, final GbdtContext context, final double[] quad)
    {
        final int first = blockFirstTree[b];
        final int depth = blockDepth[b];
        final int kind = blockKind[b];
        final int size = blockSize[b];
        final long[] keys = context.keys;
        if (kind == KIND_SCORER)
        {
            final long[] exits = context.exits;
            for (int j = 0; j < size; j++)
            {
                final int q = treeScorer[first + j];
                quad[j] = scorerLeaf[scorerLeafBase[q] + Long.numberOfTrailingZeros(exits[q])];
            }
            return size;
        }
        if (size == BLOCK && kind != KIND_POINTER)
        {
            if (kind == KIND_COMPACT)
            {
                evaluateCompact(first, depth, keys, quad, float32);
            }
            else if (float32)
            {
                evaluateBlock32(first, depth, keys, quad);
            }
            else
            {
                evaluateBlock(first, depth, keys, quad);
            }
            return BLOCK;
        }
        final double[] slots = context.slots;
        for (int j = 0; j < size; j++)
        {
            final int t = first + j;
            quad[j] = kind == KIND_POINTER ? pointerLeaf(t, slots) :
                kind == KIND_COMPACT ? compactLeaf(t, depth, keys) :
                float32 ? paddedLeaf32(t, depth, keys) : paddedLeaf(t, depth, keys);
        }
        return size;
    }

    private static void add(final double[] acc, final int group, final double contribution, final boolean f32)
    {
        acc[group] = f32 ? (double)((float)acc[group] + (float)contribution) : acc[group] + contribution;
    }

    private void evaluateBlock(final int first, final int depth, final long[] keys, final double[] quad)
    {
        final int[] select = padKeySelect;
        final long[] threshold = padThresholdKey;
        final int[] step = treeStep;
        final int c0 = step[first];
        final int c1 = step[first + 1];
        final int c2 = step[first + 2];
        final int c3 = step[first + 3];
        int a0 = 1 - c0;
        int a1 = 1 - c1;
        int a2 = 1 - c2;
        int a3 = 1 - c3;
        for (int level = 0; level < depth; level++)
        {
            a0 = 2 * a0 + c0 + 1 - less(keys[select[a0]], threshold[a0]);
            a1 = 2 * a1 + c1 + 1 - less(keys[select[a1]], threshold[a1]);
            a2 = 2 * a2 + c2 + 1 - less(keys[select[a2]], threshold[a2]);
            a3 = 2 * a3 + c3 + 1 - less(keys[select[a3]], threshold[a3]);
        }
        final int[] shift = treeLeafShift;
        quad[0] = padLeaf[a0 + shift[first]];
        quad[1] = padLeaf[a1 + shift[first + 1]];
        quad[2] = padLeaf[a2 + shift[first + 2]];
        quad[3] = padLeaf[a3 + shift[first + 3]];
    }

    /** FLOAT32 blocks: one packed long per node (threshold key minus one high, key selector low), int-range keys. */
    private void evaluateBlock32(final int first, final int depth, final long[] keys, final double[] quad)
    {
        final long[] packed = padPacked;
        final int[] step = treeStep;
        final int c0 = step[first];
        final int c1 = step[first + 1];
        final int c2 = step[first + 2];
        final int c3 = step[first + 3];
        int a0 = 1 - c0;
        int a1 = 1 - c1;
        int a2 = 1 - c2;
        int a3 = 1 - c3;
        for (int level = 0; level < depth; level++)
        {
            final long p0 = packed[a0];
            final long p1 = packed[a1];
            final long p2 = packed[a2];
            final long p3 = packed[a3];
            a0 = 2 * a0 + c0 + (int)(((p0 >> 32) - keys[(int)p0]) >>> 63);
            a1 = 2 * a1 + c1 + (int)(((p1 >> 32) - keys[(int)p1]) >>> 63);
            a2 = 2 * a2 + c2 + (int)(((p2 >> 32) - keys[(int)p2]) >>> 63);
            a3 = 2 * a3 + c3 + (int)(((p3 >> 32) - keys[(int)p3]) >>> 63);
        }
        final int[] shift = treeLeafShift;
        quad[0] = padLeaf32[a0 + shift[first]];
        quad[1] = padLeaf32[a1 + shift[first + 1]];
        quad[2] = padLeaf32[a2 + shift[first + 2]];
        quad[3] = padLeaf32[a3 + shift[first + 3]];
    }

    /**
     * {@link #evaluateBlock32} for one output: the block's four float contributions added to {@code sum} in tree
     * order, with no round trip through memory.
     */
    private float sumBlock32(final int first, final int depth, final long[] keys, final float sum)
    {
        // Positions are absolute indexes into padPacked: the root of tree t is at base(t), and the children of the
        // node at a are at 2a + step(t) + {0, 1} with step(t) = 1 - base(t), which saves an add per level over
        // tree-relative positions.
        final long[] packed = padPacked;
        final int[] step = treeStep;
        final int c0 = step[first];
        final int c1 = step[first + 1];
        final int c2 = step[first + 2];
        final int c3 = step[first + 3];
        int a0 = 1 - c0;
        int a1 = 1 - c1;
        int a2 = 1 - c2;
        int a3 = 1 - c3;
        for (int level = 0; level < depth; level++)
        {
            final long p0 = packed[a0];
            final long p1 = packed[a1];
            final long p2 = packed[a2];
            final long p3 = packed[a3];
            a0 = 2 * a0 + c0 + (int)(((p0 >> 32) - keys[(int)p0]) >>> 63);
            a1 = 2 * a1 + c1 + (int)(((p1 >> 32) - keys[(int)p1]) >>> 63);
            a2 = 2 * a2 + c2 + (int)(((p2 >> 32) - keys[(int)p2]) >>> 63);
            a3 = 2 * a3 + c3 + (int)(((p3 >> 32) - keys[(int)p3]) >>> 63);
        }
        final float[] leaf = padLeaf32;
        final int[] shift = treeLeafShift;
        return sum + leaf[a0 + shift[first]] + leaf[a1 + shift[first + 1]] + leaf[a2 + shift[first + 2]] +
            leaf[a3 + shift[first + 3]];
    }

    private double paddedLeaf32(final int tree, final int depth, final long[] keys)
    {
        final int c = treeStep[tree];
        int a = 1 - c;
        for (int level = 0; level < depth; level++)
        {
            final long p = padPacked[a];
            a = 2 * a + c + (int)(((p >> 32) - keys[(int)p]) >>> 63);
        }
        return padLeaf32[a + treeLeafShift[tree]];
    }

    private double paddedLeaf(final int tree, final int depth, final long[] keys)
    {
        final int c = treeStep[tree];
        int a = 1 - c;
        for (int level = 0; level < depth; level++)
        {
            a = 2 * a + c + 1 - less(keys[padKeySelect[a]], padThresholdKey[a]);
        }
        return padLeaf[a + treeLeafShift[tree]];
    }

    /**
     * Compact blocks: pre-order nodes, left child next, {@code meta} = key selector (high half) and the offset to the
     * right child (low half); a leaf's threshold key is the smallest key and its offset 0, so it loops onto itself
     * and every tree of the block takes exactly the block's depth in branch-free steps.
     */
    private void evaluateCompact(
        final int first, final int depth, final long[] keys, final double[] quad, final boolean f32)
    {
        final long[] threshold = compactThreshold;
        final long[] meta = compactMeta;
        int i0 = treeRoot[first];
        int i1 = treeRoot[first + 1];
        int i2 = treeRoot[first + 2];
        int i3 = treeRoot[first + 3];
        if (f32)
        {
            for (int level = 0; level < depth; level++)
            {
                final long m0 = meta[i0];
                final long m1 = meta[i1];
                final long m2 = meta[i2];
                final long m3 = meta[i3];
                final int r0 = (int)((keys[(int)(m0 >>> 32)] - threshold[i0]) >>> 63) - 1;
                final int r1 = (int)((keys[(int)(m1 >>> 32)] - threshold[i1]) >>> 63) - 1;
                final int r2 = (int)((keys[(int)(m2 >>> 32)] - threshold[i2]) >>> 63) - 1;
                final int r3 = (int)((keys[(int)(m3 >>> 32)] - threshold[i3]) >>> 63) - 1;
                i0 += 1 + (r0 & ((int)m0 - 1));
                i1 += 1 + (r1 & ((int)m1 - 1));
                i2 += 1 + (r2 & ((int)m2 - 1));
                i3 += 1 + (r3 & ((int)m3 - 1));
            }
        }
        else
        {
            for (int level = 0; level < depth; level++)
            {
                final long m0 = meta[i0];
                final long m1 = meta[i1];
                final long m2 = meta[i2];
                final long m3 = meta[i3];
                final int r0 = less(keys[(int)(m0 >>> 32)], threshold[i0]) - 1;
                final int r1 = less(keys[(int)(m1 >>> 32)], threshold[i1]) - 1;
                final int r2 = less(keys[(int)(m2 >>> 32)], threshold[i2]) - 1;
                final int r3 = less(keys[(int)(m3 >>> 32)], threshold[i3]) - 1;
                i0 += 1 + (r0 & ((int)m0 - 1));
                i1 += 1 + (r1 & ((int)m1 - 1));
                i2 += 1 + (r2 & ((int)m2 - 1));
                i3 += 1 + (r3 & ((int)m3 - 1));
            }
        }
        final double[] leaf = compactLeaf;
        quad[0] = leaf[i0];
        quad[1] = leaf[i1];
        quad[2] = leaf[i2];
        quad[3] = leaf[i3];
    }

    private double compactLeaf(final int tree, final int depth, final long[] keys)
    {
        int i = treeRoot[tree];
        for (int level = 0; level < depth; level++)
        {
            final long m = compactMeta[i];
            final int r = (float32 ? (int)((keys[(int)(m >>> 32)] - compactThreshold[i]) >>> 63) :
                less(keys[(int)(m >>> 32)], compactThreshold[i])) - 1;
            i += 1 + (r & ((int)m - 1));
        }
        return compactLeaf[i];
    }

    /** Derive the compact arrays from the pre-order pointer arrays (same node numbering); 0 when no block is compact. */
    private void compileCompact(final int totalNodes)
    {
        for (int i = 0; i < totalNodes; i++)
        {
            if (ptrSlot[i] < 0)
            {
                compactThreshold[i] = float32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
                compactMeta[i] = 0;
                compactLeaf[i] = ptrValue[i];
                continue;
            }
            if ((ptrFlags[i] & FLAG_CATEGORICAL) != 0)
            {
                continue;
            }
            final long select = 2L * ptrSlot[i] + ((ptrFlags[i] & FLAG_DEFAULT_RIGHT) != 0 ? 0 : 1);
            final double right = ptrValue[i];
            compactThreshold[i] = right != right ? (float32 ? Integer.MAX_VALUE : Long.MAX_VALUE) :
                float32 ? sortableKey32((float)right) : sortableKey(right);
            compactMeta[i] = (select << 32) | ((ptrRight[i] - i) & 0xFFFF_FFFFL);
        }
    }

    /**
     * Bitvector scorer (QuickScorer-style): every scorer tree starts with all its leaves possible (bit i = i-th leaf
     * from the left); for each key, the nodes testing it are visited in ascending threshold order while they send
     * the row right ({@code key >= t'}), each clearing the leaves of its left subtree. The exit leaf of a tree is then
     * its lowest set bit: the same leaf a traversal reaches. Cost: the nodes that go right, in sequential reads, with
     * no dependency between trees.
     */
    private void scan(final long[] keys, final long[] exits)
    {
        Arrays.fill(exits, -1L);
        final int[] start = scorerSelectStart;
        final long[] threshold = scorerThreshold;
        final long[] mask = scorerMask;
        final int[] tree = scorerTree;
        final int selects = start.length - 1;
        for (int s = 0; s < selects; s++)
        {
            final long key = keys[s];
            final int end = start[s + 1];
            for (int i = start[s]; i < end && threshold[i] <= key; i++)
            {
                exits[tree[i]] &= mask[i];
            }
        }
    }

    /** Scorer arrays from the pre-order pointer arrays, whose leaves come left to right. */
    private void compileScorer(final Tree[] trees)
    {
        final int selects = scorerSelectStart.length - 1;
        final int[] count = new int[selects + 1];
        int leafBase = 0;
        for (int t = 0; t < trees.length; t++)
        {
            final int q = treeScorer[t];
            if (q < 0)
            {
                continue;
            }
            scorerLeafBase[q] = leafBase;
            final int end = treeRoot[t] + trees[t].nodeCount();
            for (int i = treeRoot[t]; i < end; i++)
            {
                if (ptrSlot[i] < 0)
                {
                    scorerLeaf[leafBase++] = ptrValue[i];
                }
                else
                {
                    count[scorerSelect(i) + 1]++;
                }
            }
        }
        for (int s = 0; s < selects; s++)
        {
            count[s + 1] += count[s];
        }
        System.arraycopy(count, 0, scorerSelectStart, 0, selects + 1);
        final int[] leafBefore = new int[ptrSlot.length + 1];
        for (int t = 0; t < trees.length; t++)
        {
            final int q = treeScorer[t];
            if (q < 0)
            {
                continue;
            }
            final int root = treeRoot[t];
            final int end = root + trees[t].nodeCount();
            int leaves = 0;
            for (int i = root; i < end; i++)
            {
                leafBefore[i] = leaves;
                leaves += ptrSlot[i] < 0 ? 1 : 0;
            }
            leafBefore[end] = leaves;
            for (int i = root; i < end; i++)
            {
                if (ptrSlot[i] >= 0)
                {
                    final int from = leafBefore[i + 1];
                    final int to = leafBefore[ptrRight[i]];
                    final long left = (to - from == 64 ? -1L : (1L << (to - from)) - 1) << from;
                    final int at = count[scorerSelect(i)]++;
                    final double right = ptrValue[i];
                    scorerThreshold[at] = right != right ? (float32 ? Integer.MAX_VALUE : Long.MAX_VALUE) :
                        float32 ? sortableKey32((float)right) : sortableKey(right);
                    scorerMask[at] = ~left;
                    scorerTree[at] = q;
                }
            }
        }
        for (int s = 0; s < selects; s++)
        {
            sortByThreshold(scorerSelectStart[s], scorerSelectStart[s + 1] - 1);
        }
    }

    private int scorerSelect(final int node)
    {
        return 2 * ptrSlot[node] + ((ptrFlags[node] & FLAG_DEFAULT_RIGHT) != 0 ? 0 : 1);
    }

    /** Sort scorer nodes {@code [lo, hi]} by threshold key (order among equal keys does not matter). */
    private void sortByThreshold(final int lo, final int hi)
    {
        int low = lo;
        int high = hi;
        while (high - low > 16)
        {
            final long pivot = scorerThreshold[(low + high) >>> 1];
            int i = low;
            int j = high;
            while (i <= j)
            {
                while (scorerThreshold[i] < pivot)
                {
                    i++;
                }
                while (scorerThreshold[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    swapScorer(i++, j--);
                }
            }
            if (j - low < high - i)
            {
                sortByThreshold(low, j);
                low = i;
            }
            else
            {
                sortByThreshold(i, high);
                high = j;
            }
        }
        for (int i = low + 1; i <= high; i++)
        {
            for (int j = i; j > low && scorerThreshold[j - 1] > scorerThreshold[j]; j--)
            {
                swapScorer(j - 1, j);
            }
        }
    }

    private void swapScorer(final int a, final int b)
    {
        final long threshold = scorerThreshold[a];
        scorerThreshold[a] = scorerThreshold[b];
        scorerThreshold[b] = threshold;
        final long mask = scorerMask[a];
        scorerMask[a] = scorerMask[b];
        scorerMask[b] = mask;
        final int tree = scorerTree[a];
        scorerTree[a] = scorerTree[b];
        scorerTree[b] = tree;
    }

    private double pointerLeaf(final int tree, final double[] slots)
    {
        int i = treeRoot[tree];
        while (true)
        {
            final int s = ptrSlot[i];
            if (s < 0)
            {
                return ptrValue[i];
            }
            final double x = slots[s];
            final int flags = ptrFlags[i];
            final boolean right;
            if ((flags & FLAG_CATEGORICAL) == 0)
            {
                right = x >= ptrValue[i] || (x != x && (flags & FLAG_DEFAULT_RIGHT) != 0);
            }
            else
            {
                right = categoricalRight(i, x, flags);
            }
            i = right ? ptrRight[i] : i + 1;
        }
    }

    private boolean categoricalRight(final int node, final double x, final int flags)
    {
        final int start = ptrCategoryStart[node];
        final int end = start + ptrCategoryCount[node];
        if (xgboostCategories)
        {
            if (x != x)
            {
                return (flags & FLAG_DEFAULT_RIGHT) != 0;
            }
            if (x < 0 || x >= TreeEnsemble.XGBOOST_CATEGORY_LIMIT)
            {
                return false;
            }
            return Arrays.binarySearch(categoryPool, start, end, (int)x) >= 0;
        }
        if (!(x > -1.0 && x < LIGHTGBM_CATEGORY_LIMIT))
        {
            return true;
        }
        return Arrays.binarySearch(categoryPool, start, end, (int)x) < 0;
    }

    private int slotKey(final Tree tree, final int node)
    {
        final int kind;
        if (tree.categories(node) != null)
        {
            kind = KIND_PLAIN;
        }
        else
        {
            final MissingRule rule = tree.missing(node);
            kind = rule == MissingRule.ZERO_DEFAULT ? KIND_ZERO_TO_NAN :
                rule == MissingRule.NAN_AS_ZERO ? KIND_NAN_TO_ZERO : KIND_PLAIN;
        }
        return (tree.feature(node) << 2) | kind;
    }

    /** Threshold t' such that a non-NaN canonical value goes right iff {@code x >= t'}. */
    private double rightThreshold(final double threshold)
    {
        if (ensemble.comparison() == SplitComparison.LESS_THAN)
        {
            return threshold;
        }
        if (threshold == Double.POSITIVE_INFINITY)
        {
            return Double.NaN;
        }
        return float32 ? (double)Math.nextUp((float)threshold) : Math.nextUp(threshold);
    }

    private double contribution(final Tree tree, final int leaf)
    {
        return float32 ? (double)((float)tree.leafValue(leaf) * (float)tree.weight()) :
            tree.leafValue(leaf) * tree.weight();
    }

    private void compilePointerTree(final Tree tree, final int[] slotOf, final int[] counters)
    {
        final int[] stack = new int[tree.nodeCount()];
        final int[] parentSlotForRight = new int[tree.nodeCount()];
        int top = 0;
        stack[top] = 0;
        parentSlotForRight[top++] = -1;
        while (top > 0)
        {
            top--;
            final int node = stack[top];
            final int parent = parentSlotForRight[top];
            final int at = counters[0]++;
            if (parent >= 0)
            {
                ptrRight[parent] = at;
            }
            if (tree.isLeaf(node))
            {
                ptrSlot[at] = -1;
                ptrValue[at] = contribution(tree, node);
                continue;
            }
            ptrSlot[at] = slotOf[slotKey(tree, node)];
            int flags = tree.defaultLeft(node) ? 0 : FLAG_DEFAULT_RIGHT;
            final int[] categories = tree.categories(node);
            if (categories != null)
            {
                flags |= FLAG_CATEGORICAL;
                ptrCategoryStart[at] = counters[1];
                ptrCategoryCount[at] = categories.length;
                System.arraycopy(categories, 0, categoryPool, counters[1], categories.length);
                counters[1] += categories.length;
            }
            else
            {
                ptrValue[at] = rightThreshold(tree.threshold(node));
            }
            ptrFlags[at] = flags;
            // Right is pushed first so the left subtree is laid out right after its parent.
            stack[top] = tree.right(node);
            parentSlotForRight[top++] = at;
            stack[top] = tree.left(node);
            parentSlotForRight[top++] = -1;
        }
    }

    private void compilePadded(
        final Tree tree, final int node, final int k, final int depth, final int nodeBase, final int leafBase,
        final int[] slotOf)
    {
        final int internal = (1 << depth) - 1;
        if (tree.isLeaf(node))
        {
            fillLeaf(k, internal, leafBase, contribution(tree, node));
            return;
        }
        final int select = 2 * slotOf[slotKey(tree, node)] + (tree.defaultLeft(node) ? 1 : 0);
        final double right = rightThreshold(tree.threshold(node));
        if (float32)
        {
            // Stored minus one, so that "key >= threshold" is the sign bit of (stored - key) and the next position
            // is an lea and an add (2a + step + bit) instead of an lea and a subtraction (2k + 2 - bit of key < t).
            final long key = (right != right ? Integer.MAX_VALUE : sortableKey32((float)right)) - 1;
            padPacked[nodeBase + k] = (key << 32) | (select & 0xFFFF_FFFFL);
        }
        else
        {
            padKeySelect[nodeBase + k] = select;
            padThresholdKey[nodeBase + k] = right != right ? Long.MAX_VALUE : sortableKey(right);
        }
        compilePadded(tree, tree.left(node), 2 * k + 1, depth, nodeBase, leafBase, slotOf);
        compilePadded(tree, tree.right(node), 2 * k + 2, depth, nodeBase, leafBase, slotOf);
    }

    /** Every leaf position under complete-tree position k gets the value (internal padding keeps zeros). */
    private void fillLeaf(final int k, final int internal, final int leafBase, final double value)
    {
        if (k >= internal)
        {
            if (float32)
            {
                padLeaf32[leafBase + k - internal] = (float)value;
            }
            else
            {
                padLeaf[leafBase + k - internal] = value;
            }
            return;
        }
        fillLeaf(2 * k + 1, internal, leafBase, value);
        fillLeaf(2 * k + 2, internal, leafBase, value);
    }
}
