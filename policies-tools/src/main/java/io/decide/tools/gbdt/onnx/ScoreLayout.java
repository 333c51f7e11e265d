package io.decide.tools.gbdt.onnx;

import io.decide.format.gbdt.OutputTransform;
import io.decide.tools.gbdt.ModelImportException;

import java.util.Map;

/**
 * How ONNX Runtime turns per-output tree sums into its output tensor, as ensemble groups: which ONNX output's
 * weights each group sums, with which sign, which base value it adds after the trees, and the transform.
 * <p>
 * ORT's rules (1.22, {@code tree_ensemble_aggregator.h} and {@code ml_common.h}, checked by
 * {@code OnnxRuntimeSemanticsTest}): an output with more than one column writes {@code has_score ? score : 0}
 * per column, where {@code has_score} is set only when a reached leaf has a weight for that column, so the base
 * value of a column no reached leaf feeds is dropped. A single-target regressor applies no LOGISTIC or SOFTMAX.
 * A two-label classifier has the special cases listed on {@link #classifier}.
 *
 * @param groups         one entry per ensemble output, in ORT's column order.
 * @param transform      the ensemble transform.
 * @param averageDivisor AVERAGE divisor, 0 for SUM.
 */
record ScoreLayout(Group[] groups, OutputTransform transform, int averageDivisor)
{
    /**
     * One ensemble output.
     *
     * @param source   the ONNX target or class whose leaf weights it sums.
     * @param sign     1, -1 (negated weights), or 0 (no trees: the output is its base value).
     * @param base     added after the trees (and averaging).
     * @param lastLeaf value of one more single-leaf tree added after all others, NaN for none.
     */
    record Group(int source, int sign, double base, double lastLeaf)
    {
        static Group of(final int source, final int sign, final double base)
        {
            return new Group(source, sign, base, Double.NaN);
        }
    }

    /**
     * TreeEnsembleRegressor.
     *
     * @param source        model name, for errors.
     * @param forest        the trees.
     * @param base          base_values (may be empty).
     * @param postTransform checked post_transform.
     * @param aggregate     aggregate_function.
     * @param info          provenance notes, added to.
     * @return the layout.
     */
    static ScoreLayout regressor(
        final String source,
        final OnnxForest forest,
        final double[] base,
        final String postTransform,
        final String aggregate,
        final Map<String, String> info)
    {
        final int divisor;
        switch (aggregate)
        {
            case "SUM":
                divisor = 0;
                break;
            case "AVERAGE":
                divisor = forest.treeCount();
                break;
            case "MIN":
            case "MAX":
                throw new ModelImportException(source, "attribute aggregate_function", aggregate + " is not " +
                    "supported (SUM, AVERAGE)");
            default:
                throw new ModelImportException(source, "attribute aggregate_function", "unknown '" + aggregate +
                    "' (ONNX Runtime would read it as MAX)");
        }
        info.put("onnx.aggregate_function", aggregate);
        final int targets = forest.outputs();
        if (targets == 1)
        {
            if (base.length > 1)
            {
                throw new ModelImportException(source, "attribute base_values", base.length + " values for 1 target " +
                    "(ONNX Runtime would ignore them)");
            }
            if (!"NONE".equals(postTransform))
            {
                info.put("onnx.post_transform.applied", "NONE: ONNX Runtime applies no " + postTransform + " to a " +
                    "single-target regressor");
            }
            return new ScoreLayout(new Group[]{Group.of(0, 1, base.length == 1 ? base[0] : 0.0)},
                OutputTransform.IDENTITY, divisor);
        }
        if (base.length != 0 && base.length != targets)
        {
            throw new ModelImportException(source, "attribute base_values", base.length + " values for " + targets +
                " targets (ONNX Runtime would ignore them)");
        }
        final Group[] groups = new Group[targets];
        for (int t = 0; t < targets; t++)
        {
            final double b = base.length == 0 ? 0.0 : base[t];
            groups[t] = Group.of(t, 1, fedBase(source, forest, t, b, "target", info));
        }
        return new ScoreLayout(groups, transform(postTransform), divisor);
    }

    /**
     * TreeEnsembleClassifier (ORT has no aggregate_function for it: always a sum). With three or more labels each
     * class is a column: {@code base + sum}. With two labels, where {@code s0}, {@code s1} are the class sums and
     * {@code b} the base values, ORT 1.22 writes:
     * <pre>
     *   class 1 never weighted, 0 or 1 base value, s = s0 + b[0]:
     *     one label weighted and no weight negative   [1 - s, s]             (post_transform ignored)
     *     otherwise (or no base value)                [-s, s], with LOGISTIC [logistic(-s), logistic(s)]
     *     with 1 base value and both labels weighted  refused: ORT writes only the first column
     *   class 1 never weighted, 2 base values         [s0 + b[0], 0]         (then post_transform)
     *   class 1 weighted on every row, 0 or 1 base    [s0 (+ b[0]), s1]      (then post_transform)
     *   class 1 weighted on every row, 2 base values  refused: ORT outputs [-(b[1] + s0), b[1] + s0]
     *   class 1 weighted on some rows only            refused: ORT's layout changes row by row
     * </pre>
     *
     * @param source        model name, for errors.
     * @param forest        the trees.
     * @param columns       the raw attributes (ORT's binary checks look at every class weight, on leaves or not).
     * @param base          base_values (may be empty).
     * @param postTransform checked post_transform.
     * @param info          provenance notes, added to.
     * @return the layout.
     */
    static ScoreLayout classifier(
        final String source,
        final OnnxForest forest,
        final OnnxForest.Columns columns,
        final double[] base,
        final String postTransform,
        final Map<String, String> info)
    {
        final int classes = forest.outputs();
        if (classes > 2)
        {
            if (base.length != 0 && base.length != classes)
            {
                throw new ModelImportException(source, "attribute base_values", base.length + " values for " +
                    classes + " classes");
            }
            final Group[] groups = new Group[classes];
            for (int c = 0; c < classes; c++)
            {
                groups[c] = Group.of(c, 1, base.length == 0 ? 0.0 : base[c]);
            }
            return new ScoreLayout(groups, transform(postTransform), 0);
        }
        if (base.length > 2)
        {
            throw new ModelImportException(source, "attribute base_values", base.length + " values for 2 classes");
        }
        final long[] ids = columns.weightOutputs();
        boolean oneLabel = ids.length > 0;
        for (final long id : ids)
        {
            oneLabel &= id == ids[0];
        }
        boolean noneNegative = true;
        for (final double weight : columns.weights() == null ? new double[0] : columns.weights())
        {
            noneNegative &= !(weight < 0);
        }
        final OnnxForest.Coverage second = forest.coverage(1);
        if (second == OnnxForest.Coverage.PARTIAL)
        {
            throw new ModelImportException(source, "class 1", "weighted on some leaves only: ONNX Runtime then " +
                "switches between its one-column and two-column binary outputs row by row");
        }
        if (second == OnnxForest.Coverage.ALWAYS && base.length == 2)
        {
            throw new ModelImportException(source, "attribute base_values", "2 values with class 1 weighted: ONNX " +
                "Runtime then outputs [-(base_values[1] + s0), base_values[1] + s0] and ignores class 1's trees");
        }
        final double b0 = base.length >= 1 ? fedBase(source, forest, 0, base[0], "class", info) : 0.0;
        if (second == OnnxForest.Coverage.ALWAYS)
        {
            info.put("onnx.binary", "two columns [s0" + (base.length == 1 ? " + base" : "") + ", s1]");
            return new ScoreLayout(new Group[]{Group.of(0, 1, b0), Group.of(1, 1, 0.0)}, transform(postTransform), 0);
        }
        if (base.length == 2)
        {
            if (base[1] != 0)
            {
                info.put("onnx.base_values.dropped", "base_values[1] = " + base[1] + ": class 1 has no weight and " +
                    "ONNX Runtime writes 0 for it");
            }
            info.put("onnx.binary", "two columns [s0 + base, 0]");
            return new ScoreLayout(new Group[]{Group.of(0, 1, b0), Group.of(1, 0, 0.0)}, transform(postTransform), 0);
        }
        if (oneLabel && noneNegative)
        {
            if (!"NONE".equals(postTransform))
            {
                info.put("onnx.post_transform.applied", "NONE: with one weighted label and no negative weight ONNX " +
                    "Runtime outputs [1 - s, s] and applies no " + postTransform);
            }
            info.put("onnx.binary", "one column s, output [1 - s, s]");
            final double last = b0 == 0 ? Double.NaN : b0;
            return new ScoreLayout(new Group[]{new Group(0, -1, 1.0, -last), new Group(0, 1, 0.0, last)},
                OutputTransform.IDENTITY, 0);
        }
        if (!oneLabel && base.length == 1)
        {
            throw new ModelImportException(source, "attribute class_ids", "both labels have weights, class 1 none on " +
                "leaves, and one base value: ONNX Runtime then writes only the first output column");
        }
        if ("SOFTMAX".equals(postTransform))
        {
            info.put("onnx.post_transform.applied", "NONE: ONNX Runtime outputs [-s, s] for one score column and " +
                "applies no SOFTMAX");
        }
        info.put("onnx.binary", "one column s, output " + ("LOGISTIC".equals(postTransform) ?
            "[logistic(-s), logistic(s)]" : "[-s, s]"));
        return new ScoreLayout(new Group[]{Group.of(0, -1, -b0), Group.of(0, 1, b0)},
            "LOGISTIC".equals(postTransform) ? OutputTransform.ONNX_LOGISTIC : OutputTransform.IDENTITY, 0);
    }

    /**
     * The base value ORT effectively adds to a column: dropped when no leaf feeds it; refused when only some do.
     */
    private static double fedBase(
        final String source,
        final OnnxForest forest,
        final int output,
        final double base,
        final String kind,
        final Map<String, String> info)
    {
        if (base == 0)
        {
            return base;
        }
        switch (forest.coverage(output))
        {
            case ALWAYS:
                return base;
            case NEVER:
                info.put("onnx.base_values.dropped." + output, "base_values[" + output + "] = " + base + ": no leaf " +
                    "has a weight for " + kind + " " + output + " and ONNX Runtime writes 0 for it");
                return 0.0;
            default:
                throw new ModelImportException(source, kind + " " + output, "weighted on some leaves only, with " +
                    "base_values[" + output + "] = " + base + ": ONNX Runtime drops the base value on rows that " +
                    "reach no weight for it");
        }
    }

    private static OutputTransform transform(final String postTransform)
    {
        switch (postTransform)
        {
            case "NONE":
                return OutputTransform.IDENTITY;
            case "LOGISTIC":
                return OutputTransform.ONNX_LOGISTIC;
            case "SOFTMAX":
                return OutputTransform.ONNX_SOFTMAX;
            default:
                throw new IllegalStateException(postTransform);
        }
    }
}
