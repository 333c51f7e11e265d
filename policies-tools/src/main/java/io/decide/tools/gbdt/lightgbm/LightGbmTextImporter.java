package io.decide.tools.gbdt.lightgbm;

import io.decide.format.gbdt.CategoricalRule;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.OutputTransform;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.ModelImportException;
import io.decide.tools.gbdt.lightgbm.LightGbmModelText.Block;
import io.decide.tools.gbdt.lightgbm.LightGbmModelText.Field;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a LightGBM text model (what {@code saveModelToString} returns and {@code model.txt} holds, versions v2 to
 * v4) into a {@link TreeEnsemble} whose reference semantics give exactly what LightGBM's dense-matrix prediction
 * ({@code LGBM_BoosterPredictForMat}) gives: raw scores bit for bit, in {@link Precision#FLOAT64} with
 * {@code x <= threshold} going left and {@link CategoricalRule#LIGHTGBM} categorical splits.
 * <p>
 * The mapping, each point checked against the library by this package's tests on trained and handcrafted models:
 * <ul>
 *   <li>Tree {@code i} adds to output {@code i % num_tree_per_iteration}, with weight 1: leaf values already carry
 *   the learning rate, DART's normalisation and the boost-from-average bias, so no base score is added.</li>
 *   <li>{@code decision_type}: bit 0 categorical, bit 1 default left, bits 2-3 the missing type: None
 *   ({@link MissingRule#NAN_AS_ZERO}), Zero ({@link MissingRule#ZERO_DEFAULT}), NaN
 *   ({@link MissingRule#NAN_DEFAULT}).</li>
 *   <li>A categorical node's threshold is an index into {@code cat_boundaries}, which delimits its uint32 words of
 *   {@code cat_threshold}; bit {@code c} of the words set means category {@code c} goes left.</li>
 *   <li>LightGBM's dense input path passes every {@code |x| <= kZeroThreshold} to the trees as 0.0 (NaN is kept).
 *   The ensemble's semantics compare the input itself, so a numeric threshold {@code t} in
 *   {@code [-kZeroThreshold, kZeroThreshold)} is imported as the threshold that splits every input the same way:
 *   {@code nextDown(-kZeroThreshold)} when {@code t < 0}, {@code kZeroThreshold} otherwise. LightGBM itself puts
 *   thresholds at exactly {@code -kZeroThreshold}; every other threshold is imported unchanged.</li>
 *   <li>Objectives: regression, regression_l1, huber, fair, quantile, mape, lambdarank, rank_xendcg: identity;
 *   binary: sigmoid scaled by its {@code sigmoid:} parameter; cross_entropy: sigmoid; multiclass: softmax;
 *   multiclassova: per-class sigmoid scaled by {@code sigmoid:}; poisson, gamma, tweedie: exp.</li>
 *   <li>{@code average_output} (boosting=rf): the tree sum is divided by the number of iterations
 *   ({@code trees / num_tree_per_iteration}).</li>
 *   <li>Monotone constraints come from the header's {@code monotone_constraints=} line or, when it is absent, the
 *   parameters section's {@code [monotone_constraints: ...]}.</li>
 * </ul>
 * Refused with a {@link ModelImportException} naming the feature: any other objective (cross_entropy_lambda,
 * custom objectives, the {@code sqrt} output of reg_sqrt), linear trees, and anything malformed.
 */
public final class LightGbmTextImporter
{
    /** Value of the "library" provenance key. */
    public static final String LIBRARY = "lightgbm";

    private static final Set<String> VERSIONS = Set.of("v2", "v3", "v4");
    private static final Set<String> IDENTITY_OBJECTIVES = Set.of(
        "regression", "regression_l1", "huber", "fair", "quantile", "mape", "lambdarank", "rank_xendcg");
    private static final Set<String> EXP_OBJECTIVES = Set.of("poisson", "gamma", "tweedie");
    private static final int CATEGORICAL_MASK = 1;
    private static final int DEFAULT_LEFT_MASK = 2;
    private static final int MAX_CATEGORY_WORDS = 1 << 26;
    private static final double BELOW_NEGATIVE_ZERO_THRESHOLD = Math.nextDown(-TreeEnsemble.ZERO_THRESHOLD);

    private final String source;
    private final LightGbmModelText text;

    private LightGbmTextImporter(final String source, final LightGbmModelText text)
    {
        this.source = source;
        this.text = text;
    }

    /**
     * Read a model file (UTF-8).
     *
     * @param file the model.
     * @return the ensemble, with provenance in {@link TreeEnsemble#info()}.
     * @throws IOException          when the file cannot be read.
     * @throws ModelImportException when the model is malformed or uses what the ensemble cannot represent.
     */
    public static TreeEnsemble read(final Path file) throws IOException
    {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            return read(reader, file.toString());
        }
    }

    /**
     * Read a model from text.
     *
     * @param reader     the model text; read to its end, not closed.
     * @param sourceName what to call the model in messages and provenance.
     * @return the ensemble, with provenance in {@link TreeEnsemble#info()}.
     * @throws IOException          when the reader fails.
     * @throws ModelImportException when the model is malformed or uses what the ensemble cannot represent.
     */
    public static TreeEnsemble read(final Reader reader, final String sourceName) throws IOException
    {
        final BufferedReader lines = reader instanceof BufferedReader ? (BufferedReader)reader :
            new BufferedReader(reader);
        final List<String> all = new ArrayList<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine())
        {
            all.add(line);
        }
        return new LightGbmTextImporter(sourceName, LightGbmModelText.split(sourceName, all)).ensemble();
    }

    private TreeEnsemble ensemble()
    {
        final Block header = text.header();
        final Field version = required(header, "version", "header");
        if (!VERSIONS.contains(version.value()))
        {
            throw fail(version, "model version '" + version.value() + "' is not one of " + VERSIONS);
        }
        final int classCount = intAtLeast(required(header, "num_class", "header"), 1);
        final int groupCount = intAtLeast(required(header, "num_tree_per_iteration", "header"), 1);
        final int featureCount = intAtLeast(required(header, "max_feature_idx", "header"), 0) + 1;
        refuseLinearTrees();

        final TreeEnsemble.Builder builder = TreeEnsemble.builder()
            .featureCount(featureCount)
            .outputCount(groupCount)
            .precision(Precision.FLOAT64)
            .comparison(SplitComparison.LESS_EQUAL)
            .categoricalRule(CategoricalRule.LIGHTGBM)
            .baseScores(new double[groupCount]);
        objective(builder, classCount, groupCount);

        final List<Block> trees = text.trees();
        if (trees.isEmpty())
        {
            throw new ModelImportException(source, "line " + header.line(), "the model has no trees");
        }
        if (trees.size() % groupCount != 0)
        {
            throw new ModelImportException(source, "tree " + (trees.size() - 1), trees.size() + " trees are not " +
                "whole iterations of num_tree_per_iteration=" + groupCount + " (LightGBM would ignore the rest)");
        }
        final Field treeSizes = header.get("tree_sizes");
        if (treeSizes != null && splitList(treeSizes.value(), ' ').length != trees.size())
        {
            throw fail(treeSizes, "lists " + splitList(treeSizes.value(), ' ').length + " tree sizes for " +
                trees.size() + " trees");
        }
        for (int t = 0; t < trees.size(); t++)
        {
            builder.addTree(tree(t, trees.get(t), t % groupCount, featureCount));
        }
        if (header.get("average_output") != null)
        {
            builder.averageDivisor(trees.size() / groupCount);
        }

        final Field names = header.get("feature_names");
        if (names != null)
        {
            final String[] split = splitList(names.value(), ' ');
            if (split.length != featureCount)
            {
                throw fail(names, split.length + " feature names for max_feature_idx=" + (featureCount - 1));
            }
            builder.featureNames(split);
        }
        final int[] monotone = monotone(featureCount);
        if (monotone != null)
        {
            builder.monotone(monotone);
        }

        builder.info("library", LIBRARY)
            .info("version", version.value())
            .info("source", source);
        final Field objective = header.get("objective");
        builder.info("objective", objective.value());
        final Field boosting = text.parameters().get("boosting");
        if (boosting != null)
        {
            builder.info("boosting", boosting.value());
        }
        try
        {
            return builder.build();
        }
        catch (final IllegalArgumentException e)
        {
            throw new ModelImportException(source, "model", e.getMessage(), e);
        }
    }

    private void refuseLinearTrees()
    {
        final Field linear = text.parameters().get("linear_tree");
        if (linear != null && !"0".equals(linear.value()) && !"false".equals(linear.value()))
        {
            throw fail(linear, "linear trees (linear_tree=" + linear.value() + ") are not supported");
        }
        for (int t = 0; t < text.trees().size(); t++)
        {
            final Field isLinear = text.trees().get(t).get("is_linear");
            if (isLinear != null && !"0".equals(isLinear.value()))
            {
                throw fail(isLinear, "tree " + t + ": linear trees (is_linear=" + isLinear.value() +
                    ") are not supported");
            }
        }
    }

    private void objective(final TreeEnsemble.Builder builder, final int classCount, final int groupCount)
    {
        final Field line = text.header().get("objective");
        if (line == null)
        {
            throw new ModelImportException(source, "header", "objective none (no 'objective=' line, as a custom " +
                "objective leaves) is not supported: the output transform is unknown");
        }
        final String[] tokens = splitList(line.value(), ' ');
        if (tokens.length == 0)
        {
            throw fail(line, "empty objective");
        }
        final String name = tokens[0];
        double sigmoid = 1.0;
        int objectiveClasses = -1;
        for (int i = 1; i < tokens.length; i++)
        {
            final String token = tokens[i];
            if ("sqrt".equals(token))
            {
                throw fail(line, "objective '" + line.value() + "': the sqrt output transform (reg_sqrt) is not " +
                    "supported");
            }
            final int colon = token.indexOf(':');
            if (colon < 0)
            {
                throw fail(line, "objective '" + line.value() + "': unknown option '" + token + "'");
            }
            final String key = token.substring(0, colon);
            final String value = token.substring(colon + 1);
            if ("sigmoid".equals(key))
            {
                sigmoid = parseDouble(line, value, "sigmoid");
                if (!(sigmoid > 0 && Double.isFinite(sigmoid)))
                {
                    throw fail(line, "sigmoid scale must be finite and > 0: " + value);
                }
            }
            else if ("num_class".equals(key))
            {
                objectiveClasses = parseInt(line, value, "num_class");
            }
        }
        final boolean multiclass = "multiclass".equals(name) || "multiclassova".equals(name);
        if (multiclass)
        {
            if (objectiveClasses != classCount || groupCount != classCount)
            {
                throw fail(line, "objective " + name + " with num_class:" + objectiveClasses +
                    " disagrees with the header's num_class=" + classCount + ", num_tree_per_iteration=" + groupCount);
            }
        }
        else if (groupCount != 1)
        {
            throw fail(line, "objective " + name + " with num_tree_per_iteration=" + groupCount + " is not supported");
        }
        if (IDENTITY_OBJECTIVES.contains(name))
        {
            builder.transform(OutputTransform.IDENTITY);
        }
        else if (EXP_OBJECTIVES.contains(name))
        {
            builder.transform(OutputTransform.EXP);
        }
        else if ("binary".equals(name) || "multiclassova".equals(name))
        {
            builder.transform(OutputTransform.SIGMOID).sigmoidScale(sigmoid);
        }
        else if ("cross_entropy".equals(name))
        {
            builder.transform(OutputTransform.SIGMOID).sigmoidScale(1.0);
        }
        else if ("multiclass".equals(name))
        {
            builder.transform(OutputTransform.SOFTMAX);
        }
        else
        {
            throw fail(line, "objective " + name + " is not supported");
        }
    }

    private Tree tree(final int t, final Block block, final int group, final int featureCount)
    {
        final String where = "tree " + t;
        final int leaves = intAtLeast(required(block, "num_leaves", where), 1);
        final Field numCat = block.get("num_cat");
        final int catCount = numCat == null ? 0 : intAtLeast(numCat, 0);
        final int splits = leaves - 1;
        final int nodes = splits + leaves;
        final int[] left = new int[nodes];
        final int[] right = new int[nodes];
        final int[] feature = new int[nodes];
        final double[] threshold = new double[nodes];
        final boolean[] defaultLeft = new boolean[nodes];
        final MissingRule[] missing = new MissingRule[nodes];
        final int[][] categories = new int[nodes][];
        final double[] leafValue = new double[nodes];
        Arrays.fill(left, -1);
        Arrays.fill(right, -1);

        final Field leafField = required(block, "leaf_value", where);
        final double[] leafValues = doubles(leafField, leaves);
        for (int k = 0; k < leaves; k++)
        {
            if (!Double.isFinite(leafValues[k]))
            {
                throw fail(leafField, where + " leaf " + k + ": value " + leafValues[k] + " is not finite");
            }
            leafValue[splits + k] = leafValues[k];
        }
        if (splits > 0)
        {
            final Field featureField = required(block, "split_feature", where);
            final Field thresholdField = required(block, "threshold", where);
            final Field decisionField = required(block, "decision_type", where);
            final Field leftField = required(block, "left_child", where);
            final Field rightField = required(block, "right_child", where);
            final int[] splitFeature = ints(featureField, splits);
            final double[] splitThreshold = doubles(thresholdField, splits);
            final int[] decision = ints(decisionField, splits);
            final int[] leftChild = ints(leftField, splits);
            final int[] rightChild = ints(rightField, splits);
            final int[][] catSets = catCount == 0 ? new int[0][] : categorySets(block, where, catCount);
            for (int i = 0; i < splits; i++)
            {
                final String node = where + " node " + i;
                if (splitFeature[i] < 0 || splitFeature[i] >= featureCount)
                {
                    throw fail(featureField, node + ": split feature " + splitFeature[i] + " outside 0.." +
                        (featureCount - 1));
                }
                feature[i] = splitFeature[i];
                left[i] = child(leftField, node, leftChild[i], splits, leaves);
                right[i] = child(rightField, node, rightChild[i], splits, leaves);
                final int type = decision[i];
                if (type < 0 || type > 15 || ((type >> 2) & 3) == 3)
                {
                    throw fail(decisionField, node + ": unknown decision_type " + type);
                }
                if ((type & CATEGORICAL_MASK) != 0)
                {
                    final double index = splitThreshold[i];
                    if (!(index >= 0 && index < catCount && index == Math.floor(index)))
                    {
                        throw fail(thresholdField, node + ": categorical threshold " + index +
                            " is not a category-set index in 0.." + (catCount - 1));
                    }
                    categories[i] = catSets[(int)index];
                    continue;
                }
                final double value = splitThreshold[i];
                if (Double.isNaN(value))
                {
                    throw fail(thresholdField, node + ": threshold is NaN");
                }
                threshold[i] = effectiveThreshold(value);
                defaultLeft[i] = (type & DEFAULT_LEFT_MASK) != 0;
                missing[i] = missingRule(type >> 2);
            }
        }
        else
        {
            for (final String key : new String[]{"split_feature", "threshold", "decision_type", "left_child",
                "right_child"})
            {
                final Field field = block.get(key);
                if (field != null && !field.value().isBlank())
                {
                    throw fail(field, where + ": a single-leaf tree has no splits, found " + key + "=" + field.value());
                }
            }
        }
        try
        {
            return new Tree(group, 1.0, left, right, feature, threshold, defaultLeft, missing, categories, leafValue);
        }
        catch (final IllegalArgumentException e)
        {
            throw new ModelImportException(source, where + " (line " + block.line() + ")", e.getMessage(), e);
        }
    }

    /**
     * The threshold that splits raw inputs as LightGBM splits them after its dense input path has turned every
     * {@code |x| <= kZeroThreshold} into 0.0 (see the class Javadoc).
     *
     * @param threshold threshold in the model text.
     * @return threshold for the ensemble's comparison of the unmodified input.
     */
    static double effectiveThreshold(final double threshold)
    {
        if (threshold >= TreeEnsemble.ZERO_THRESHOLD || threshold < -TreeEnsemble.ZERO_THRESHOLD)
        {
            return threshold;
        }
        return threshold < 0.0 ? BELOW_NEGATIVE_ZERO_THRESHOLD : TreeEnsemble.ZERO_THRESHOLD;
    }

    private static MissingRule missingRule(final int missingType)
    {
        switch (missingType)
        {
            case 0:
                return MissingRule.NAN_AS_ZERO;
            case 1:
                return MissingRule.ZERO_DEFAULT;
            case 2:
                return MissingRule.NAN_DEFAULT;
            default:
                throw new IllegalArgumentException("missing type " + missingType);
        }
    }

    private int child(final Field field, final String node, final int child, final int splits, final int leaves)
    {
        if (child >= 0)
        {
            if (child >= splits)
            {
                throw fail(field, node + ": child node " + child + " outside 0.." + (splits - 1));
            }
            return child;
        }
        final int leaf = ~child;
        if (leaf >= leaves)
        {
            throw fail(field, node + ": child leaf " + leaf + " (" + child + ") outside 0.." + (leaves - 1));
        }
        return splits + leaf;
    }

    private int[][] categorySets(final Block block, final String where, final int catCount)
    {
        final Field boundariesField = required(block, "cat_boundaries", where);
        final Field wordsField = required(block, "cat_threshold", where);
        final int[] boundaries = ints(boundariesField, catCount + 1);
        final String[] wordText = splitList(wordsField.value(), ' ');
        if (boundaries[0] != 0 || boundaries[catCount] != wordText.length)
        {
            throw fail(boundariesField, where + ": cat_boundaries must run from 0 to the " + wordText.length +
                " words of cat_threshold");
        }
        final int[][] sets = new int[catCount][];
        for (int c = 0; c < catCount; c++)
        {
            final int from = boundaries[c];
            final int to = boundaries[c + 1];
            if (to < from || to - from > MAX_CATEGORY_WORDS)
            {
                throw fail(boundariesField, where + ": category set " + c + " spans words " + from + ".." + to);
            }
            final List<Integer> members = new ArrayList<>();
            for (int w = from; w < to; w++)
            {
                final long word = parseUint32(wordsField, wordText[w]);
                for (int bit = 0; bit < Integer.SIZE; bit++)
                {
                    if ((word >>> bit & 1L) != 0)
                    {
                        members.add((w - from) * Integer.SIZE + bit);
                    }
                }
            }
            sets[c] = members.stream().mapToInt(Integer::intValue).toArray();
        }
        return sets;
    }

    private int[] monotone(final int featureCount)
    {
        final Field header = text.header().get("monotone_constraints");
        final Field parameter = text.parameters().get("monotone_constraints");
        final int[] fromHeader = header == null ? null : directions(header, ' ', featureCount);
        final int[] fromParameter = parameter == null ? null : directions(parameter, ',', featureCount);
        if (fromHeader != null && fromParameter != null && !Arrays.equals(fromHeader, fromParameter))
        {
            throw fail(parameter, "monotone_constraints " + Arrays.toString(fromParameter) + " disagree with line " +
                header.line() + ": " + Arrays.toString(fromHeader));
        }
        return fromHeader != null ? fromHeader : fromParameter;
    }

    private int[] directions(final Field field, final char separator, final int featureCount)
    {
        final String[] split = splitList(field.value(), separator);
        if (split.length == 0)
        {
            return null;
        }
        if (split.length != featureCount)
        {
            throw fail(field, split.length + " monotone constraints for " + featureCount + " features");
        }
        final int[] directions = new int[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            directions[f] = parseInt(field, split[f], "monotone constraint");
            if (directions[f] < -1 || directions[f] > 1)
            {
                throw fail(field, "monotone constraint " + directions[f] + " of feature " + f + " is not -1, 0 or 1");
            }
        }
        return directions;
    }

    private Field required(final Block block, final String key, final String where)
    {
        final Field field = block.get(key);
        if (field == null)
        {
            throw new ModelImportException(source, where + " (line " + block.line() + ")", "no '" + key + "=' line");
        }
        return field;
    }

    private int intAtLeast(final Field field, final int min)
    {
        final int value = parseInt(field, field.value().strip(), field.key());
        if (value < min)
        {
            throw fail(field, field.key() + " must be >= " + min + ": " + value);
        }
        return value;
    }

    private int[] ints(final Field field, final int count)
    {
        final String[] split = counted(field, count);
        final int[] values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = parseInt(field, split[i], field.key());
        }
        return values;
    }

    private double[] doubles(final Field field, final int count)
    {
        final String[] split = counted(field, count);
        final double[] values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = parseDouble(field, split[i], field.key());
        }
        return values;
    }

    private String[] counted(final Field field, final int count)
    {
        final String[] split = splitList(field.value(), ' ');
        if (split.length != count)
        {
            throw fail(field, field.key() + " has " + split.length + " values, expected " + count);
        }
        return split;
    }

    private int parseInt(final Field field, final String value, final String what)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException e)
        {
            throw fail(field, what + ": '" + value + "' is not an integer");
        }
    }

    private long parseUint32(final Field field, final String value)
    {
        try
        {
            final long word = Long.parseLong(value);
            if (word >= 0 && word <= 0xFFFF_FFFFL)
            {
                return word;
            }
        }
        catch (final NumberFormatException e)
        {
            // reported below
        }
        throw fail(field, field.key() + ": '" + value + "' is not a uint32");
    }

    /** Doubles as LightGBM writes them (%.17g, so they round-trip), including its spellings of infinity. */
    private double parseDouble(final Field field, final String value, final String what)
    {
        switch (value.toLowerCase(Locale.ROOT))
        {
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan":
            case "-nan":
                return Double.NaN;
            default:
                break;
        }
        final char last = value.isEmpty() ? ' ' : value.charAt(value.length() - 1);
        if (last == 'd' || last == 'D' || last == 'f' || last == 'F')
        {
            throw fail(field, what + ": '" + value + "' is not a number");
        }
        try
        {
            return Double.parseDouble(value);
        }
        catch (final NumberFormatException e)
        {
            throw fail(field, what + ": '" + value + "' is not a number");
        }
    }

    private static String[] splitList(final String value, final char separator)
    {
        final List<String> parts = new ArrayList<>();
        int start = 0;
        final int length = value.length();
        for (int i = 0; i <= length; i++)
        {
            if (i == length || value.charAt(i) == separator)
            {
                final String part = value.substring(start, i).strip();
                if (!part.isEmpty())
                {
                    parts.add(part);
                }
                start = i + 1;
            }
        }
        return parts.toArray(new String[0]);
    }

    private ModelImportException fail(final Field field, final String reason)
    {
        return new ModelImportException(source, "line " + field.line() + " (" + field.key() + ")", reason);
    }
}
