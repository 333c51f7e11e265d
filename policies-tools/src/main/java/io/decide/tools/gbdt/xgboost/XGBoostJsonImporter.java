package io.decide.tools.gbdt.xgboost;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.decide.format.gbdt.CategoricalRule;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.ModelImportException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads an XGBoost model, as {@code Booster.save_model} / {@code saveModel} writes it in JSON ({@code .json}) or
 * UBJSON ({@code .ubj}), into a {@link TreeEnsemble} whose
 * {@link TreeEnsemble#predictRaw} equals XGBoost's {@code predict(output_margin=True)} bit for bit. The format is
 * recognised from the bytes, as XGBoost does: after the opening {@code '{'} JSON has a quote (or white space),
 * UBJSON a length marker. A memory snapshot ({@code {"Config": ..., "Model": ...}}, what
 * {@code XGBoosterSerializeToBuffer} and pickling write) is read too.
 * <p>
 * What the ensemble reproduces, as XGBoost's CPU predictor computes it (checked against xgboost4j 3.0.4; the
 * model format is the same since 1.0, the intercept vector new in 3.1):
 * <ul>
 *   <li>FLOAT32 arithmetic: inputs, thresholds and leaf values are floats; a node sends {@code x} left when
 *       {@code x < split_condition}, NaN the node's {@code default_left} way; leaf values are the leaves'
 *       {@code split_conditions}.</li>
 *   <li>Categorical splits ({@code split_type} 1): the node's categories go right, everything else left, as
 *       {@link CategoricalRule#XGBOOST} defines.</li>
 *   <li>The margin starts at {@code base_score} mapped by the objective: logistic objectives store a probability
 *       (margin {@code -logf(1/p - 1)}), poisson, gamma and tweedie a mean (margin {@code logf(mean)}), computed
 *       as glibc computes them; one scalar serves every output (XGBoost 3.0), a {@code "[a,b,...]"} vector gives
 *       one per output (3.1 and later).</li>
 *   <li>Trees are summed in file order into the output group {@code tree_info} names (class or target);
 *       {@code num_parallel_tree} trees of an iteration are summed, not averaged; a DART tree's leaves are
 *       multiplied by its {@code weight_drop} before they are added.</li>
 * </ul>
 * Every tree is imported: XGBoost's {@code predict} uses all of them unless told an {@code iteration_range}, and
 * so does the ensemble; a {@code best_iteration} attribute (early stopping) is only recorded in
 * {@link TreeEnsemble#info()}, where a caller that wants the sklearn wrapper's behaviour can find it.
 * Monotone constraints are training parameters, which a plain model file does not hold: they are read from the
 * {@code Config} of a memory snapshot or from a configuration file ({@code Booster.save_config()}) given to
 * {@link #read(Path, Path)}.
 * <p>
 * Refused, with a {@link ModelImportException} naming what: objectives other than those of {@link XgbObjective}
 * (ranking, survival, quantile, ...), the {@code gblinear} booster, vector-leaf trees
 * ({@code multi_strategy="multi_output_tree"}), and anything malformed.
 */
public final class XGBoostJsonImporter
{
    /** Value of {@code info("library")}. */
    public static final String LIBRARY = "xgboost";

    private XGBoostJsonImporter()
    {
    }

    /**
     * Read a model file.
     *
     * @param file a {@code .json} or {@code .ubj} model, or a memory snapshot.
     * @return the ensemble.
     * @throws ModelImportException when the file cannot be read, is malformed, or uses something unsupported.
     */
    public static TreeEnsemble read(final Path file)
    {
        return read(bytes(file), null, file.toString());
    }

    /**
     * Read a model file and the training configuration {@code Booster.save_config()} wrote for it, which holds the
     * monotone constraints a model file does not.
     *
     * @param modelFile  a {@code .json} or {@code .ubj} model.
     * @param configFile the JSON configuration of the same booster.
     * @return the ensemble, with {@link TreeEnsemble#monotone()} from the configuration.
     * @throws ModelImportException when either file cannot be read, is malformed, or uses something unsupported.
     */
    public static TreeEnsemble read(final Path modelFile, final Path configFile)
    {
        final JsonNode config = parse(bytes(configFile), configFile.toString());
        return read(bytes(modelFile), config, modelFile.toString() + " (config " + configFile + ")");
    }

    /**
     * Read a model from a stream (read to its end, not closed).
     *
     * @param in         JSON or UBJSON model bytes, or a memory snapshot.
     * @param sourceName what to call the model in errors and in {@code info("source")}.
     * @return the ensemble.
     * @throws ModelImportException when the stream cannot be read, is malformed, or uses something unsupported.
     */
    public static TreeEnsemble read(final InputStream in, final String sourceName)
    {
        final byte[] bytes;
        try
        {
            bytes = in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new ModelImportException(sourceName, "stream", "cannot read: " + ex, ex);
        }
        return read(bytes, null, sourceName);
    }

    private static byte[] bytes(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new ModelImportException(file.toString(), "file", "cannot read: " + ex, ex);
        }
    }

    private static TreeEnsemble read(final byte[] bytes, final JsonNode config, final String source)
    {
        final JsonNode root = parse(bytes, source);
        if (root.has("Model") && root.has("Config") && !root.has("learner"))
        {
            return new ModelReader(source, isUbjson(bytes) ? "ubjson" : "json")
                .read(root.get("Model"), config != null ? config : root.get("Config"));
        }
        return new ModelReader(source, isUbjson(bytes) ? "ubjson" : "json").read(root, config);
    }

    private static int firstNonSpace(final byte[] bytes, final int from)
    {
        int i = from;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r'))
        {
            i++;
        }
        return i;
    }

    /** UBJSON when the root object's first byte after '{' is not JSON's quote, close or white space. */
    static boolean isUbjson(final byte[] bytes)
    {
        final int open = firstNonSpace(bytes, 0);
        if (open != 0 || bytes.length < 2 || bytes[0] != '{')
        {
            return false;
        }
        final byte next = bytes[1];
        return next != '"' && next != '}' && next != ' ' && next != '\t' && next != '\n' && next != '\r';
    }

    /**
     * Parse JSON or UBJSON bytes into a tree whose floats are exactly the floats XGBoost reads.
     *
     * @param bytes  the document.
     * @param source name for errors.
     * @return the root node.
     */
    static JsonNode parse(final byte[] bytes, final String source)
    {
        if (bytes.length == 0)
        {
            throw new ModelImportException(source, "byte 0", "empty file, expected an XGBoost JSON or UBJSON model");
        }
        if (isUbjson(bytes))
        {
            return UbjsonReader.read(bytes, source);
        }
        final int first = firstNonSpace(bytes, 0);
        if (first >= bytes.length || bytes[first] != '{')
        {
            throw new ModelImportException(source, "byte " + first, "expected '{' opening an XGBoost JSON or " +
                "UBJSON model (XGBoost's legacy binary format is not supported: load and save it as .json/.ubj)");
        }
        try
        {
            return JsonTreeReader.read(bytes);
        }
        catch (final JacksonException ex)
        {
            final String where = ex.getLocation() == null ? "JSON" :
                "JSON line " + ex.getLocation().getLineNr() + " column " + ex.getLocation().getColumnNr();
            throw new ModelImportException(source, where, "malformed JSON: " + ex.getOriginalMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new ModelImportException(source, "JSON", "cannot parse: " + ex, ex);
        }
    }

    /** One import: the source name for errors and the helpers that read the tree. */
    private static final class ModelReader
    {
        private final String source;
        private final String format;

        ModelReader(final String source, final String format)
        {
            this.source = source;
            this.format = format;
        }

        private ModelImportException error(final String where, final String reason)
        {
            return new ModelImportException(source, where, reason);
        }

        private JsonNode field(final JsonNode parent, final String name, final String where)
        {
            final JsonNode node = parent == null ? null : parent.get(name);
            if (node == null || node.isNull())
            {
                throw error(where.isEmpty() ? name : where + "." + name, "missing");
            }
            return node;
        }

        private JsonNode array(final JsonNode parent, final String name, final String where, final int length)
        {
            final JsonNode node = field(parent, name, where);
            if (!node.isArray())
            {
                throw error(where + "." + name, "expected an array, found " + node.getNodeType());
            }
            if (length >= 0 && node.size() != length)
            {
                throw error(where + "." + name, node.size() + " entries, expected " + length);
            }
            return node;
        }

        private String text(final JsonNode parent, final String name, final String where)
        {
            final JsonNode node = field(parent, name, where);
            if (!node.isTextual())
            {
                throw error(where + "." + name, "expected a string, found " + node);
            }
            return node.textValue();
        }

        /** An integer stored as a JSON integer or, as XGBoost writes parameters, a string. */
        private long integer(final JsonNode node, final String where)
        {
            if (node.isIntegralNumber() && node.canConvertToLong())
            {
                return node.longValue();
            }
            if (node.isTextual())
            {
                try
                {
                    return Long.parseLong(node.textValue().trim());
                }
                catch (final NumberFormatException ex)
                {
                    throw error(where, "'" + node.textValue() + "' is not an integer");
                }
            }
            if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue()) &&
                Math.abs(node.doubleValue()) < 0x1p53)
            {
                return (long)node.doubleValue();
            }
            throw error(where, "expected an integer, found " + node);
        }

        private int intParam(final JsonNode parent, final String name, final String where, final int fallback,
            final int min)
        {
            final JsonNode node = parent == null ? null : parent.get(name);
            if (node == null || node.isNull())
            {
                if (fallback < min)
                {
                    throw error(where + "." + name, "missing");
                }
                return fallback;
            }
            final long value = integer(node, where + "." + name);
            if (value < min || value > Integer.MAX_VALUE)
            {
                throw error(where + "." + name, value + " is out of range (min " + min + ")");
            }
            return (int)value;
        }

        /** The float XGBoost holds for a number (JSON and UBJSON readers produce float nodes for its floats). */
        private float floatValue(final JsonNode node, final String where)
        {
            if (node.isFloat())
            {
                return node.floatValue();
            }
            if (node.isBigDecimal())
            {
                return Float.parseFloat(node.decimalValue().toString());
            }
            if (node.isDouble())
            {
                return (float)node.doubleValue();
            }
            if (node.isIntegralNumber())
            {
                return node.isBigInteger() ? node.bigIntegerValue().floatValue() : (float)node.longValue();
            }
            throw error(where, "expected a number, found " + node);
        }

        TreeEnsemble read(final JsonNode model, final JsonNode config)
        {
            final String version = version(model);
            final JsonNode learner = field(model, "learner", "");
            final JsonNode modelParam = field(learner, "learner_model_param", "learner");
            final String lmp = "learner.learner_model_param";
            final int featureCount = intParam(modelParam, "num_feature", lmp, 0, 1);
            final int classCount = intParam(modelParam, "num_class", lmp, 0, 0);
            final int targetCount = intParam(modelParam, "num_target", lmp, 1, 1);

            final String objectiveName = text(field(learner, "objective", "learner"), "name", "learner.objective");
            final XgbObjective objective = XgbObjective.of(objectiveName);
            if (objective == null)
            {
                throw error("learner.objective.name", "objective '" + objectiveName + "' is not supported " +
                    "(supported: " + XgbObjective.supportedNames() + ")");
            }
            if (classCount > 0 && targetCount > 1)
            {
                throw error(lmp, "num_class " + classCount + " with num_target " + targetCount +
                    ": multi-class multi-target models are not supported");
            }
            if (objective.multiClass() && classCount < 1)
            {
                throw error(lmp + ".num_class", objectiveName + " needs num_class >= 1, found " + classCount);
            }
            final int outputCount = Math.max(1, Math.max(classCount, targetCount));

            final JsonNode booster = field(learner, "gradient_booster", "learner");
            final String boosterName = text(booster, "name", "learner.gradient_booster");
            final JsonNode gbtree;
            final String gbtreePath;
            final boolean dart;
            switch (boosterName)
            {
                case "gbtree":
                    gbtree = booster;
                    gbtreePath = "learner.gradient_booster";
                    dart = false;
                    break;
                case "dart":
                    gbtree = field(booster, "gbtree", "learner.gradient_booster");
                    gbtreePath = "learner.gradient_booster.gbtree";
                    dart = true;
                    break;
                case "gblinear":
                    throw error("learner.gradient_booster.name", "booster 'gblinear' is a linear model, not a tree " +
                        "ensemble: it is not supported");
                default:
                    throw error("learner.gradient_booster.name", "booster '" + boosterName + "' is not supported " +
                        "(supported: gbtree, dart)");
            }

            final String modelPath = gbtreePath + ".model";
            final JsonNode treesModel = field(gbtree, "model", gbtreePath);
            final JsonNode modelParams = field(treesModel, "gbtree_model_param", modelPath);
            final int treeCount = intParam(modelParams, "num_trees", modelPath + ".gbtree_model_param", 0, 0);
            final int parallelTrees = intParam(modelParams, "num_parallel_tree", modelPath + ".gbtree_model_param",
                1, 1);
            if (treeCount == 0)
            {
                throw error(modelPath + ".gbtree_model_param.num_trees", "the model has no trees");
            }
            final JsonNode trees = array(treesModel, "trees", modelPath, treeCount);
            final JsonNode treeInfo = array(treesModel, "tree_info", modelPath, treeCount);
            final int iterations = iterations(treesModel, modelPath, treeCount);
            final JsonNode weightDrop = dart ? array(booster, "weight_drop", "learner.gradient_booster", treeCount) :
                null;

            final float[] baseScores = baseScores(modelParam, objective, outputCount);
            final TreeEnsemble.Builder builder = TreeEnsemble.builder()
                .featureCount(featureCount)
                .outputCount(outputCount)
                .precision(Precision.FLOAT32)
                .comparison(SplitComparison.LESS_THAN)
                .categoricalRule(CategoricalRule.XGBOOST)
                .baseScoreAfterTrees(false)
                .averageDivisor(0)
                .transform(objective.transform());
            final double[] bases = new double[outputCount];
            for (int g = 0; g < outputCount; g++)
            {
                bases[g] = baseScores[g];
            }
            builder.baseScores(bases);

            for (int t = 0; t < treeCount; t++)
            {
                final String where = modelPath + ".trees[" + t + "]";
                final long group = integer(treeInfo.get(t), modelPath + ".tree_info[" + t + "]");
                if (group < 0 || group >= outputCount)
                {
                    throw error(modelPath + ".tree_info[" + t + "]", "output group " + group + " of " +
                        outputCount);
                }
                final float weight = dart ? floatValue(weightDrop.get(t), "learner.gradient_booster.weight_drop[" +
                    t + "]") : 1.0f;
                if (!Float.isFinite(weight) || weight < 0)
                {
                    throw error("learner.gradient_booster.weight_drop[" + t + "]", "DART weight " + weight +
                        " is not finite and non-negative");
                }
                builder.addTree(tree(trees.get(t), where, t, (int)group, weight, featureCount));
            }

            final String[] names = featureNames(learner, featureCount);
            if (names != null)
            {
                builder.featureNames(names);
            }
            final int[] monotone = monotone(config, featureCount);
            if (monotone != null)
            {
                builder.monotone(monotone);
            }

            builder.info("library", LIBRARY)
                .info("version", version)
                .info("objective", objectiveName)
                .info("booster", boosterName)
                .info("format", format)
                .info("source", source)
                .info("base_score", field(modelParam, "base_score", lmp).asText())
                .info("num_parallel_tree", Integer.toString(parallelTrees))
                .info("trees", Integer.toString(treeCount));
            if (iterations >= 0)
            {
                builder.info("iterations", Integer.toString(iterations));
            }
            final JsonNode attributes = learner.get("attributes");
            if (attributes != null && attributes.has("best_iteration"))
            {
                builder.info("best_iteration", attributes.get("best_iteration").asText());
            }
            if (monotone != null)
            {
                builder.info("monotone_constraints", Arrays.toString(monotone));
            }
            try
            {
                return builder.build();
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ModelImportException(source, "model", ex.getMessage(), ex);
            }
        }

        private String version(final JsonNode model)
        {
            final JsonNode version = model.get("version");
            if (version == null || !version.isArray() || version.size() < 1)
            {
                if (!model.has("learner"))
                {
                    throw error("root", "not an XGBoost model: expected an object with 'learner' and 'version' " +
                        "(or a memory snapshot with 'Model' and 'Config')");
                }
                throw error("version", "missing: expected [major, minor, patch]");
            }
            final StringBuilder text = new StringBuilder();
            for (int i = 0; i < version.size(); i++)
            {
                text.append(i == 0 ? "" : ".").append(integer(version.get(i), "version[" + i + "]"));
            }
            if (integer(version.get(0), "version[0]") < 1)
            {
                throw error("version", text + ": models written before XGBoost 1.0 store base_score differently; " +
                    "load and save them with XGBoost 1.0 or later");
            }
            return text.toString();
        }

        private int iterations(final JsonNode treesModel, final String modelPath, final int treeCount)
        {
            final JsonNode indptr = treesModel.get("iteration_indptr");
            if (indptr == null)
            {
                return -1;
            }
            if (!indptr.isArray() || indptr.size() < 1)
            {
                throw error(modelPath + ".iteration_indptr", "expected a non-empty array");
            }
            long previous = -1;
            for (int i = 0; i < indptr.size(); i++)
            {
                final long value = integer(indptr.get(i), modelPath + ".iteration_indptr[" + i + "]");
                if (value < previous || (i == 0 && value != 0))
                {
                    throw error(modelPath + ".iteration_indptr[" + i + "]", value + " breaks the ascending " +
                        "sequence from 0");
                }
                previous = value;
            }
            if (previous != treeCount)
            {
                throw error(modelPath + ".iteration_indptr", "ends at " + previous + ", expected num_trees " +
                    treeCount);
            }
            return indptr.size() - 1;
        }

        private float[] baseScores(final JsonNode modelParam, final XgbObjective objective, final int outputCount)
        {
            final String where = "learner.learner_model_param.base_score";
            final JsonNode node = field(modelParam, "base_score", "learner.learner_model_param");
            final float[] stored;
            if (node.isNumber())
            {
                stored = new float[]{floatValue(node, where)};
            }
            else if (node.isTextual())
            {
                String text = node.textValue().trim();
                final boolean vector = text.startsWith("[");
                if (vector)
                {
                    if (!text.endsWith("]"))
                    {
                        throw error(where, "'" + node.textValue() + "' is not a number or [n, ...] vector");
                    }
                    text = text.substring(1, text.length() - 1);
                }
                final String[] parts = text.split(",", -1);
                stored = new float[parts.length];
                for (int i = 0; i < parts.length; i++)
                {
                    try
                    {
                        stored[i] = Float.parseFloat(parts[i].trim());
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw error(where, "'" + node.textValue() + "' is not a number or [n, ...] vector");
                    }
                }
                if (!vector && stored.length != 1)
                {
                    throw error(where, "'" + node.textValue() + "' is not a number or [n, ...] vector");
                }
            }
            else
            {
                throw error(where, "expected a number or a string, found " + node);
            }
            if (stored.length != 1 && stored.length != outputCount)
            {
                throw error(where, stored.length + " values for " + outputCount + " outputs");
            }
            final float[] margins = new float[outputCount];
            for (int g = 0; g < outputCount; g++)
            {
                final float value = stored[stored.length == 1 ? 0 : g];
                final float margin = objective.margin(value);
                if (!Float.isFinite(margin))
                {
                    throw error(where, "base_score " + value + " is not " + objective.domain() + " as " +
                        objective.xgboostName() + " requires (margin " + margin + ")");
                }
                margins[g] = margin;
            }
            return margins;
        }

        private Tree tree(final JsonNode tree, final String where, final int index, final int group,
            final float weight, final int featureCount)
        {
            if (tree == null || !tree.isObject())
            {
                throw error(where, "expected a tree object");
            }
            final JsonNode id = tree.get("id");
            if (id != null && integer(id, where + ".id") != index)
            {
                throw error(where + ".id", "tree id " + id.asText() + " at position " + index);
            }
            final JsonNode param = field(tree, "tree_param", where);
            final int n = intParam(param, "num_nodes", where + ".tree_param", 0, 1);
            final int leafVector = intParam(param, "size_leaf_vector", where + ".tree_param", 1, 0);
            if (leafVector > 1)
            {
                throw error(where + ".tree_param.size_leaf_vector", "vector-leaf trees (size_leaf_vector " +
                    leafVector + ", multi_strategy=\"multi_output_tree\") are not supported; train with " +
                    "multi_strategy=\"one_output_per_tree\"");
            }
            final JsonNode lefts = array(tree, "left_children", where, n);
            final JsonNode rights = array(tree, "right_children", where, n);
            final JsonNode features = array(tree, "split_indices", where, n);
            final JsonNode conditions = array(tree, "split_conditions", where, n);
            final JsonNode defaults = array(tree, "default_left", where, n);
            final JsonNode splitTypes = tree.has("split_type") ? array(tree, "split_type", where, n) : null;
            final int[][] categories = categories(tree, where, n, splitTypes);

            final int[] newIndex = new int[n];
            Arrays.fill(newIndex, -1);
            final int[] order = new int[n];
            int count = 0;
            newIndex[0] = 0;
            order[count++] = 0;
            for (int k = 0; k < count; k++)
            {
                final int node = order[k];
                final long left = integer(lefts.get(node), where + ".left_children[" + node + "]");
                final long right = integer(rights.get(node), where + ".right_children[" + node + "]");
                if (left == -1)
                {
                    if (right != -1)
                    {
                        throw error(where + ".right_children[" + node + "]", "leaf has right child " + right);
                    }
                    continue;
                }
                for (final long child : new long[]{left, right})
                {
                    if (child <= 0 || child >= n)
                    {
                        throw error(where + " node " + node, "child " + child + " outside 1.." + (n - 1));
                    }
                    if (newIndex[(int)child] >= 0)
                    {
                        throw error(where + " node " + node, "child " + child + " is reached twice (not a tree)");
                    }
                    newIndex[(int)child] = count;
                    order[count++] = (int)child;
                }
            }

            // Keep XGBoost's node ids (so reports name the nodes users see); drop pruned, unreachable nodes.
            final boolean[] reachable = new boolean[n];
            for (int k = 0; k < count; k++)
            {
                reachable[order[k]] = true;
            }
            for (int node = 0, next = 0; node < n; node++)
            {
                newIndex[node] = reachable[node] ? next : -1;
                if (reachable[node])
                {
                    order[next++] = node;
                }
            }

            final int[] left = new int[count];
            final int[] right = new int[count];
            final int[] feature = new int[count];
            final double[] threshold = new double[count];
            final boolean[] defaultLeft = new boolean[count];
            final MissingRule[] missing = new MissingRule[count];
            final int[][] cats = new int[count][];
            final double[] leafValue = new double[count];
            for (int k = 0; k < count; k++)
            {
                final int node = order[k];
                final float condition = floatValue(conditions.get(node), where + ".split_conditions[" + node + "]");
                final long l = integer(lefts.get(node), where + ".left_children[" + node + "]");
                if (l == -1)
                {
                    left[k] = -1;
                    right[k] = -1;
                    if (!Float.isFinite(condition))
                    {
                        throw error(where + ".split_conditions[" + node + "]", "leaf value " + condition +
                            " is not finite");
                    }
                    leafValue[k] = condition;
                    continue;
                }
                left[k] = newIndex[(int)l];
                right[k] = newIndex[(int)integer(rights.get(node), where + ".right_children[" + node + "]")];
                final long f = integer(features.get(node), where + ".split_indices[" + node + "]");
                if (f < 0 || f >= featureCount)
                {
                    throw error(where + ".split_indices[" + node + "]", "feature " + f + " of num_feature " +
                        featureCount);
                }
                feature[k] = (int)f;
                final JsonNode dflt = defaults.get(node);
                defaultLeft[k] = dflt.isBoolean() ? dflt.booleanValue() :
                    integer(dflt, where + ".default_left[" + node + "]") != 0;
                if (categories[node] != null)
                {
                    cats[k] = categories[node];
                }
                else
                {
                    if (Float.isNaN(condition))
                    {
                        throw error(where + ".split_conditions[" + node + "]", "NaN threshold");
                    }
                    threshold[k] = condition;
                    missing[k] = MissingRule.NAN_DEFAULT;
                }
            }
            try
            {
                return new Tree(group, weight, left, right, feature, threshold, defaultLeft, missing, cats,
                    leafValue);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ModelImportException(source, where, ex.getMessage(), ex);
            }
        }

        private int[][] categories(final JsonNode tree, final String where, final int n, final JsonNode splitTypes)
        {
            final int[][] categories = new int[n][];
            if (splitTypes == null)
            {
                return categories;
            }
            final JsonNode nodes = array(tree, "categories_nodes", where, -1);
            final JsonNode segments = array(tree, "categories_segments", where, nodes.size());
            final JsonNode sizes = array(tree, "categories_sizes", where, nodes.size());
            final JsonNode values = array(tree, "categories", where, -1);
            for (int c = 0; c < nodes.size(); c++)
            {
                final long node = integer(nodes.get(c), where + ".categories_nodes[" + c + "]");
                if (node < 0 || node >= n || categories[(int)node] != null)
                {
                    throw error(where + ".categories_nodes[" + c + "]", "node " + node + " is out of range or " +
                        "listed twice");
                }
                final long begin = integer(segments.get(c), where + ".categories_segments[" + c + "]");
                final long size = integer(sizes.get(c), where + ".categories_sizes[" + c + "]");
                if (begin < 0 || size < 1 || begin + size > values.size())
                {
                    throw error(where + ".categories_segments[" + c + "]", "segment [" + begin + ", " +
                        (begin + size) + ") outside the " + values.size() + " categories");
                }
                final int[] set = new int[(int)size];
                for (int j = 0; j < size; j++)
                {
                    final long category = integer(values.get((int)(begin + j)), where + ".categories[" +
                        (begin + j) + "]");
                    if (category < 0 || category > Integer.MAX_VALUE)
                    {
                        throw error(where + ".categories[" + (begin + j) + "]", "category " + category +
                            " is negative or too large");
                    }
                    set[j] = (int)category;
                }
                Arrays.sort(set);
                for (int j = 1; j < set.length; j++)
                {
                    if (set[j] == set[j - 1])
                    {
                        throw error(where + ".categories", "node " + node + " lists category " + set[j] + " twice");
                    }
                }
                categories[(int)node] = set;
            }
            for (int node = 0; node < n; node++)
            {
                final long type = integer(splitTypes.get(node), where + ".split_type[" + node + "]");
                if (type != 0 && type != 1)
                {
                    throw error(where + ".split_type[" + node + "]", "unknown split type " + type);
                }
                if ((type == 1) != (categories[node] != null))
                {
                    throw error(where + ".split_type[" + node + "]", "split type " + type + " but the node is " +
                        (categories[node] == null ? "not " : "") + "in categories_nodes");
                }
            }
            return categories;
        }

        private String[] featureNames(final JsonNode learner, final int featureCount)
        {
            final JsonNode names = learner.get("feature_names");
            if (names == null || !names.isArray() || names.isEmpty())
            {
                return null;
            }
            if (names.size() != featureCount)
            {
                throw error("learner.feature_names", names.size() + " names for num_feature " + featureCount);
            }
            final String[] result = new String[featureCount];
            for (int i = 0; i < featureCount; i++)
            {
                result[i] = names.get(i).asText();
            }
            return result;
        }

        /** Monotone constraints from a training configuration, or null when there is none or it declares none. */
        private int[] monotone(final JsonNode config, final int featureCount)
        {
            if (config == null)
            {
                return null;
            }
            final JsonNode booster = config.path("learner").path("gradient_booster");
            JsonNode constraints = booster.path("tree_train_param").get("monotone_constraints");
            String where = "Config.learner.gradient_booster.tree_train_param.monotone_constraints";
            if (constraints == null)
            {
                constraints = booster.path("gbtree").path("tree_train_param").get("monotone_constraints");
                where = "Config.learner.gradient_booster.gbtree.tree_train_param.monotone_constraints";
            }
            if (constraints == null || constraints.isNull())
            {
                return null;
            }
            final String text = constraints.isArray() ? constraints.toString() : constraints.asText().trim();
            String body = text;
            if (body.startsWith("(") && body.endsWith(")") || body.startsWith("[") && body.endsWith("]"))
            {
                body = body.substring(1, body.length() - 1).trim();
            }
            if (body.isEmpty())
            {
                return null;
            }
            final String[] parts = body.split(",", -1);
            if (parts.length > featureCount)
            {
                throw error(where, parts.length + " constraints for num_feature " + featureCount);
            }
            final int[] monotone = new int[featureCount];
            boolean any = false;
            for (int i = 0; i < parts.length; i++)
            {
                final int value;
                try
                {
                    value = Integer.parseInt(parts[i].trim());
                }
                catch (final NumberFormatException ex)
                {
                    throw error(where, "'" + text + "' is not a list of -1, 0, 1");
                }
                if (value < -1 || value > 1)
                {
                    throw error(where, "constraint " + value + " for feature " + i + " is not -1, 0 or 1");
                }
                monotone[i] = value;
                any |= value != 0;
            }
            return any ? monotone : null;
        }
    }
}
