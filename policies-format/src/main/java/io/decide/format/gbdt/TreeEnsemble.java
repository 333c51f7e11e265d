package io.decide.format.gbdt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gradient-boosted (or random-forest) tree ensemble with every semantic detail a library's prediction depends on:
 * what importers produce, what the GBDT_ENSEMBLE writer lays out, and, through {@link #predictRaw} and
 * {@link #predict}, the reference semantics the engine's fast evaluator must reproduce bit for bit.
 * <p>
 * Raw margin of output group {@code g}, in the ensemble's {@link Precision} (FLOAT32: every operation rounded to
 * float):
 * <pre>
 *   acc = baseScoreAfterTrees ? 0 : baseScore[g]
 *   for each tree t of group g, in order:  acc += leafValue(t, x) * weight(t)
 *   if averageDivisor > 0:                 acc /= averageDivisor
 *   if baseScoreAfterTrees:                acc += baseScore[g]
 * </pre>
 * A leaf is found from the root: a numeric node compares {@code x[feature]} (rounded to float in FLOAT32) with its
 * threshold per {@link SplitComparison}, after applying its {@link MissingRule}; a categorical node follows the
 * ensemble's {@link CategoricalRule}. Outputs are the margins passed through the {@link OutputTransform}.
 */
public final class TreeEnsemble
{
    /** LightGBM's kZeroThreshold: values this close to 0 count as zero for {@link MissingRule#ZERO_DEFAULT}. */
    public static final double ZERO_THRESHOLD = 1e-35f;

    /** 2^31: from here on LightGBM's {@code static_cast<int>} of a category value gives INT_MIN (x86-64). */
    private static final double LIGHTGBM_CATEGORY_LIMIT = 2147483648.0;

    /**
     * XGBoost's {@code OutOfRangeCat()}: categorical inputs at or above 2^24 (where floats stop representing every
     * integer) are invalid and go left, as negative ones do.
     */
    public static final double XGBOOST_CATEGORY_LIMIT = 16777216.0;

    private final int featureCount;
    private final int outputCount;
    private final Precision precision;
    private final SplitComparison comparison;
    private final CategoricalRule categoricalRule;
    private final double[] baseScores;
    private final boolean baseScoreAfterTrees;
    private final int averageDivisor;
    private final OutputTransform transform;
    private final double sigmoidScale;
    private final Tree[] trees;
    private final int[] monotone;
    private final String[] featureNames;
    private final Map<String, String> info;

    private TreeEnsemble(final Builder b)
    {
        this.featureCount = b.featureCount;
        this.outputCount = b.outputCount;
        this.precision = b.precision;
        this.comparison = b.comparison;
        this.categoricalRule = b.categoricalRule;
        this.baseScores = b.baseScores.clone();
        this.baseScoreAfterTrees = b.baseScoreAfterTrees;
        this.averageDivisor = b.averageDivisor;
        this.transform = b.transform;
        this.sigmoidScale = b.sigmoidScale;
        this.trees = b.trees.toArray(new Tree[0]);
        this.monotone = b.monotone == null ? new int[featureCount] : b.monotone.clone();
        this.featureNames = b.featureNames == null ? null : b.featureNames.clone();
        this.info = Map.copyOf(b.info);
        check();
    }

    private void check()
    {
        if (featureCount < 1 || outputCount < 1)
        {
            throw new IllegalArgumentException("feature count " + featureCount + " and output count " + outputCount +
                " must be >= 1");
        }
        if (baseScores.length != outputCount)
        {
            throw new IllegalArgumentException(baseScores.length + " base scores for " + outputCount + " outputs");
        }
        for (final double base : baseScores)
        {
            if (!Double.isFinite(base) || (precision == Precision.FLOAT32 && (double)(float)base != base))
            {
                throw new IllegalArgumentException("base score " + base + " is not finite" +
                    (precision == Precision.FLOAT32 ? " or not a float" : ""));
            }
        }
        if (averageDivisor < 0)
        {
            throw new IllegalArgumentException("average divisor must be >= 0: " + averageDivisor);
        }
        if (transform == OutputTransform.SIGMOID && !(sigmoidScale > 0 && Double.isFinite(sigmoidScale)))
        {
            throw new IllegalArgumentException("sigmoid scale must be finite and > 0: " + sigmoidScale);
        }
        if (trees.length == 0)
        {
            throw new IllegalArgumentException("an ensemble needs at least one tree");
        }
        if (monotone.length != featureCount)
        {
            throw new IllegalArgumentException(monotone.length + " monotone constraints for " + featureCount +
                " features");
        }
        if (featureNames != null && featureNames.length != featureCount)
        {
            throw new IllegalArgumentException(featureNames.length + " feature names for " + featureCount +
                " features");
        }
        for (int t = 0; t < trees.length; t++)
        {
            final Tree tree = trees[t];
            if (tree.group() >= outputCount)
            {
                throw new IllegalArgumentException("tree " + t + " adds to output " + tree.group() + " of " +
                    outputCount);
            }
            if (precision == Precision.FLOAT32 && (double)(float)tree.weight() != tree.weight())
            {
                throw new IllegalArgumentException("tree " + t + ": weight " + tree.weight() + " is not a float");
            }
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (tree.isLeaf(i))
                {
                    if (precision == Precision.FLOAT32 && (double)(float)tree.leafValue(i) != tree.leafValue(i))
                    {
                        throw new IllegalArgumentException("tree " + t + " leaf " + i + ": " + tree.leafValue(i) +
                            " is not a float");
                    }
                    continue;
                }
                if (tree.feature(i) >= featureCount)
                {
                    throw new IllegalArgumentException("tree " + t + " node " + i + " splits on feature " +
                        tree.feature(i) + " of " + featureCount);
                }
                if (tree.categories(i) == null && precision == Precision.FLOAT32 &&
                    (double)(float)tree.threshold(i) != tree.threshold(i))
                {
                    throw new IllegalArgumentException("tree " + t + " node " + i + ": threshold " +
                        tree.threshold(i) + " is not a float");
                }
            }
        }
    }

    /**
     * The same model with other declared monotone constraints (e.g. from a command-line option).
     *
     * @param directions per feature: 1 increasing, -1 decreasing, 0 none.
     * @return a copy.
     */
    public TreeEnsemble withMonotone(final int... directions)
    {
        final Builder b = builder().featureCount(featureCount).outputCount(outputCount).precision(precision)
            .comparison(comparison).categoricalRule(categoricalRule).baseScores(baseScores)
            .baseScoreAfterTrees(baseScoreAfterTrees).averageDivisor(averageDivisor).transform(transform)
            .sigmoidScale(sigmoidScale).monotone(directions);
        for (final Tree tree : trees)
        {
            b.addTree(tree);
        }
        if (featureNames != null)
        {
            b.featureNames(featureNames);
        }
        info.forEach(b::info);
        return b.build();
    }

    /** @return a builder. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return number of input features (width of a row). */
    public int featureCount()
    {
        return featureCount;
    }

    /** @return number of output groups (margins per row). */
    public int outputCount()
    {
        return outputCount;
    }

    /** @return number of values {@link #predict} writes: 1 for ARGMAX, else {@link #outputCount()}. */
    public int transformedCount()
    {
        return transform == OutputTransform.ARGMAX ? 1 : outputCount;
    }

    /** @return arithmetic precision. */
    public Precision precision()
    {
        return precision;
    }

    /** @return numeric split comparison. */
    public SplitComparison comparison()
    {
        return comparison;
    }

    /** @return categorical split rule. */
    public CategoricalRule categoricalRule()
    {
        return categoricalRule;
    }

    /** @return base score per output (a copy). */
    public double[] baseScores()
    {
        return baseScores.clone();
    }

    /** @return whether base scores are added after the trees (and averaging) rather than first. */
    public boolean baseScoreAfterTrees()
    {
        return baseScoreAfterTrees;
    }

    /** @return divisor of the tree sum (random-forest averaging), 0 for none. */
    public int averageDivisor()
    {
        return averageDivisor;
    }

    /** @return output transform. */
    public OutputTransform transform()
    {
        return transform;
    }

    /** @return sigmoid scale (1 unless LightGBM's {@code sigmoid} parameter says otherwise). */
    public double sigmoidScale()
    {
        return sigmoidScale;
    }

    /** @return the trees (do not modify the array). */
    public Tree[] trees()
    {
        return trees;
    }

    /** @return declared monotone direction per feature: 1 increasing, -1 decreasing, 0 none (a copy). */
    public int[] monotone()
    {
        return monotone.clone();
    }

    /** @return feature names, or null when the model has none. */
    public String[] featureNames()
    {
        return featureNames == null ? null : featureNames.clone();
    }

    /** @return provenance (library, objective, source file...) for METADATA. */
    public Map<String, String> info()
    {
        return info;
    }

    /** @return depth of the deepest tree. */
    public int maxDepth()
    {
        int depth = 0;
        for (final Tree tree : trees)
        {
            depth = Math.max(depth, tree.depth());
        }
        return depth;
    }

    /**
     * Index of the leaf a row reaches in a tree: the reference semantics.
     *
     * @param tree the tree.
     * @param row  features, NaN for missing.
     * @return leaf node index.
     */
    public int leafIndex(final Tree tree, final double[] row)
    {
        int node = 0;
        while (!tree.isLeaf(node))
        {
            node = goesLeft(tree, node, row[tree.feature(node)]) ? tree.left(node) : tree.right(node);
        }
        return node;
    }

    private boolean goesLeft(final Tree tree, final int node, final double input)
    {
        final double x = precision == Precision.FLOAT32 ? (double)(float)input : input;
        final int[] categories = tree.categories(node);
        if (categories != null)
        {
            if (categoricalRule == CategoricalRule.XGBOOST)
            {
                if (Double.isNaN(x))
                {
                    return tree.defaultLeft(node);
                }
                if (x < 0 || x >= XGBOOST_CATEGORY_LIMIT)
                {
                    return true;
                }
                return Arrays.binarySearch(categories, (int)x) < 0;
            }
            if (!(x > -1.0 && x < LIGHTGBM_CATEGORY_LIMIT))
            {
                return false;
            }
            return Arrays.binarySearch(categories, (int)x) >= 0;
        }
        double v = x;
        switch (tree.missing(node))
        {
            case NAN_DEFAULT:
                if (Double.isNaN(v))
                {
                    return tree.defaultLeft(node);
                }
                break;
            case ZERO_DEFAULT:
                if (Double.isNaN(v))
                {
                    v = 0.0;
                }
                if (v >= -ZERO_THRESHOLD && v <= ZERO_THRESHOLD)
                {
                    return tree.defaultLeft(node);
                }
                break;
            case NAN_AS_ZERO:
                if (Double.isNaN(v))
                {
                    v = 0.0;
                }
                break;
            default:
                throw new IllegalStateException();
        }
        return comparison == SplitComparison.LESS_THAN ? v < tree.threshold(node) : v <= tree.threshold(node);
    }

    /**
     * Raw margins of one row, per the reference semantics.
     *
     * @param row    features (length {@link #featureCount()}), NaN for missing.
     * @param output margins (length {@link #outputCount()}).
     */
    public void predictRaw(final double[] row, final double[] output)
    {
        final boolean f32 = precision == Precision.FLOAT32;
        for (int g = 0; g < outputCount; g++)
        {
            output[g] = baseScoreAfterTrees ? 0.0 : baseScores[g];
        }
        for (final Tree tree : trees)
        {
            final double leaf = tree.leafValue(leafIndex(tree, row));
            final int g = tree.group();
            if (f32)
            {
                final float contribution = (float)leaf * (float)tree.weight();
                output[g] = (float)output[g] + contribution;
            }
            else
            {
                output[g] += leaf * tree.weight();
            }
        }
        for (int g = 0; g < outputCount; g++)
        {
            double acc = output[g];
            if (averageDivisor > 0)
            {
                acc = f32 ? (float)acc / (float)averageDivisor : acc / averageDivisor;
            }
            if (baseScoreAfterTrees)
            {
                acc = f32 ? (float)acc + (float)baseScores[g] : acc + baseScores[g];
            }
            output[g] = acc;
        }
    }

    /**
     * Transformed outputs of one row (probabilities, rates, or the ARGMAX class index).
     *
     * @param row    features, NaN for missing.
     * @param output {@link #transformedCount()} values.
     */
    public void predict(final double[] row, final double[] output)
    {
        final double[] margins = new double[outputCount];
        predictRaw(row, margins);
        transform(margins, output);
    }

    /**
     * Apply the output transform to margins: computed in double and, in FLOAT32, rounded to float; except FLOAT32
     * SOFTMAX, which takes XGBoost's float steps (see {@code softmaxFloat32}), and the ONNX transforms, computed in
     * float in both precisions (see {@link OutputTransform#ONNX_LOGISTIC}).
     *
     * @param margins raw margins.
     * @param output  transformed values.
     */
    public void transform(final double[] margins, final double[] output)
    {
        final boolean f32 = precision == Precision.FLOAT32;
        switch (transform)
        {
            case IDENTITY:
                System.arraycopy(margins, 0, output, 0, outputCount);
                return;
            case SIGMOID:
                for (int g = 0; g < outputCount; g++)
                {
                    final double p = 1.0 / (1.0 + Math.exp(-sigmoidScale * margins[g]));
                    output[g] = f32 ? (float)p : p;
                }
                return;
            case EXP:
                for (int g = 0; g < outputCount; g++)
                {
                    final double e = Math.exp(margins[g]);
                    output[g] = f32 ? (float)e : e;
                }
                return;
            case SOFTMAX:
            {
                if (f32)
                {
                    softmaxFloat32(margins, output);
                    return;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int g = 0; g < outputCount; g++)
                {
                    max = Math.max(max, margins[g]);
                }
                double sum = 0;
                for (int g = 0; g < outputCount; g++)
                {
                    output[g] = Math.exp(margins[g] - max);
                    sum += output[g];
                }
                for (int g = 0; g < outputCount; g++)
                {
                    output[g] = output[g] / sum;
                }
                return;
            }
            case ONNX_LOGISTIC:
                for (int g = 0; g < outputCount; g++)
                {
                    output[g] = onnxLogistic((float)margins[g]);
                }
                return;
            case ONNX_SOFTMAX:
            {
                float max = -Float.MAX_VALUE;
                for (int g = 0; g < outputCount; g++)
                {
                    if ((float)margins[g] > max)
                    {
                        max = (float)margins[g];
                    }
                }
                float sum = 0f;
                for (int g = 0; g < outputCount; g++)
                {
                    final float e = expf((float)margins[g] - max);
                    output[g] = e;
                    sum += e;
                }
                for (int g = 0; g < outputCount; g++)
                {
                    output[g] = (float)output[g] / sum;
                }
                return;
            }
            case ARGMAX:
            {
                int best = 0;
                for (int g = 1; g < outputCount; g++)
                {
                    if (margins[g] > margins[best])
                    {
                        best = g;
                    }
                }
                output[0] = best;
                return;
            }
            default:
                throw new IllegalStateException(transform.name());
        }
    }

    /**
     * Softmax in float steps, as XGBoost's {@code common::Softmax} computes it: the largest margin, each margin's
     * float difference from it, exp of that rounded to float, the sum of those in double, each divided by the sum
     * rounded to float. (Computing in double and rounding once differs from XGBoost by up to 6 ulps for small
     * probabilities: the float subtraction's error is amplified by exp.)
     */
    private void softmaxFloat32(final double[] margins, final double[] output)
    {
        float max = (float)margins[0];
        for (int g = 1; g < outputCount; g++)
        {
            max = Math.max(max, (float)margins[g]);
        }
        double sum = 0;
        for (int g = 0; g < outputCount; g++)
        {
            final float e = (float)Math.exp((float)margins[g] - max);
            output[g] = e;
            sum += e;
        }
        final float total = (float)sum;
        for (int g = 0; g < outputCount; g++)
        {
            output[g] = (float)output[g] / total;
        }
    }

    /**
     * ONNX Runtime's logistic of a float margin, as {@link OutputTransform#ONNX_LOGISTIC} defines it.
     *
     * @param x margin.
     * @return {@code x < 0 ? 1 - v : v} with {@code v = 1 / (1 + expf(-|x|))}, all in float.
     */
    public static float onnxLogistic(final float x)
    {
        final float v = 1f / (1f + expf(-Math.abs(x)));
        return x < 0 ? 1f - v : v;
    }

    /**
     * The float exponential the ONNX transforms use: correctly rounded (up to a double rounding that needs the
     * double result within one double ulp of a float midpoint).
     *
     * @param x argument.
     * @return {@code (float) StrictMath.exp(x)}.
     */
    public static float expf(final float x)
    {
        return (float)StrictMath.exp(x);
    }

    /** Collects an ensemble's parameters and trees; {@link #build()} checks everything. */
    public static final class Builder
    {
        private int featureCount;
        private int outputCount = 1;
        private Precision precision = Precision.FLOAT64;
        private SplitComparison comparison = SplitComparison.LESS_EQUAL;
        private CategoricalRule categoricalRule = CategoricalRule.LIGHTGBM;
        private double[] baseScores = {0.0};
        private boolean baseScoreAfterTrees;
        private int averageDivisor;
        private OutputTransform transform = OutputTransform.IDENTITY;
        private double sigmoidScale = 1.0;
        private final List<Tree> trees = new ArrayList<>();
        private int[] monotone;
        private String[] featureNames;
        private final Map<String, String> info = new LinkedHashMap<>();

        private Builder()
        {
        }

        /**
         * @param count number of input features.
         * @return this.
         */
        public Builder featureCount(final int count)
        {
            this.featureCount = count;
            return this;
        }

        /**
         * @param count number of output groups.
         * @return this.
         */
        public Builder outputCount(final int count)
        {
            this.outputCount = count;
            return this;
        }

        /**
         * @param value arithmetic precision.
         * @return this.
         */
        public Builder precision(final Precision value)
        {
            this.precision = value;
            return this;
        }

        /**
         * @param value numeric split comparison.
         * @return this.
         */
        public Builder comparison(final SplitComparison value)
        {
            this.comparison = value;
            return this;
        }

        /**
         * @param value categorical split rule.
         * @return this.
         */
        public Builder categoricalRule(final CategoricalRule value)
        {
            this.categoricalRule = value;
            return this;
        }

        /**
         * @param scores base score per output, in margin space.
         * @return this.
         */
        public Builder baseScores(final double... scores)
        {
            this.baseScores = scores.clone();
            return this;
        }

        /**
         * @param after add base scores after the trees and averaging (ONNX) instead of first (XGBoost).
         * @return this.
         */
        public Builder baseScoreAfterTrees(final boolean after)
        {
            this.baseScoreAfterTrees = after;
            return this;
        }

        /**
         * @param divisor divide each output's tree sum by this (random-forest averaging); 0 for none.
         * @return this.
         */
        public Builder averageDivisor(final int divisor)
        {
            this.averageDivisor = divisor;
            return this;
        }

        /**
         * @param value output transform.
         * @return this.
         */
        public Builder transform(final OutputTransform value)
        {
            this.transform = value;
            return this;
        }

        /**
         * @param scale sigmoid scale.
         * @return this.
         */
        public Builder sigmoidScale(final double scale)
        {
            this.sigmoidScale = scale;
            return this;
        }

        /**
         * @param tree next tree, in the library's summation order.
         * @return this.
         */
        public Builder addTree(final Tree tree)
        {
            trees.add(tree);
            return this;
        }

        /**
         * @param directions per feature: 1 increasing, -1 decreasing, 0 none.
         * @return this.
         */
        public Builder monotone(final int... directions)
        {
            this.monotone = directions.clone();
            return this;
        }

        /**
         * @param names feature names in index order.
         * @return this.
         */
        public Builder featureNames(final String... names)
        {
            this.featureNames = names.clone();
            return this;
        }

        /**
         * @param key   provenance key, e.g. "library", "objective".
         * @param value its value.
         * @return this.
         */
        public Builder info(final String key, final String value)
        {
            info.put(key, value);
            return this;
        }

        /** @return the checked ensemble. */
        public TreeEnsemble build()
        {
            return new TreeEnsemble(this);
        }
    }
}
