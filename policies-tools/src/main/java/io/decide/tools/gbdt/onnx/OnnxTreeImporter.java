package io.decide.tools.gbdt.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.OutputTransform;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.ModelImportException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports an ONNX model whose graph is a single ai.onnx.ml {@code TreeEnsembleRegressor} or
 * {@code TreeEnsembleClassifier} node (ai.onnx.ml opset 1 to 4, where these operators are versions 1 and 3) into a
 * {@link TreeEnsemble} that reproduces ONNX Runtime 1.22's output tensor (the regressor's {@code Y}, the
 * classifier's scores/probabilities {@code Z}) bit for bit before the transform, as checked against ORT by the
 * fidelity tests. What ORT does, and so what the ensemble encodes:
 * <ul>
 * <li>Float input: thresholds and weights are floats, a tree's leaf is found comparing in float, and each output
 * sums its trees' weights in float, in the order the trees are listed ({@link Precision#FLOAT32}). Double input:
 * the same in double ({@link Precision#FLOAT64}); ORT then rounds the result to float, its output type.</li>
 * <li>Modes BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT are rewritten exactly to one ensemble-wide
 * {@link SplitComparison} ({@link SplitRewrite}); NaN goes to the true child when
 * {@code nodes_missing_value_tracks_true} is 1, else to the false child (a comparison with NaN is false).</li>
 * <li>A tree whose leaves carry weights for several outputs becomes one {@link Tree} per output, same structure,
 * listed consecutively: each output still sees its trees in ORT's order, so the float sums are the same.</li>
 * <li>{@code base_values} are added after the trees ({@code baseScoreAfterTrees}); regressor AVERAGE divides the
 * tree sum by the number of trees as ORT counts them (runs of {@code nodes_treeids}) before adding them.</li>
 * <li>ORT writes 0 for an output no reached leaf has a weight for, dropping its base value: an output no leaf
 * feeds gets base 0; one that only some leaves feed is refused if its base value is not 0.</li>
 * <li>post_transform: NONE; LOGISTIC and SOFTMAX as ORT computes them in float
 * ({@link OutputTransform#ONNX_LOGISTIC}, {@link OutputTransform#ONNX_SOFTMAX}); ORT applies neither to a
 * single-target regressor, so neither does the import. SOFTMAX_ZERO and PROBIT are refused.</li>
 * <li>Binary classifiers (two labels) follow ORT's special cases: with one score column {@code s} ORT outputs
 * {@code [1 - s, s]} when no class weight is negative (whatever the post_transform), else {@code [-s, s]}, or
 * {@code [logistic(-s), logistic(s)]} with LOGISTIC; encoded with a second, negated copy of the trees (negation is
 * exact in float). Layouts where ORT's output changes shape row by row, ignores trees or leaves a column
 * unwritten are refused.</li>
 * </ul>
 * Refused with a {@link ModelImportException} naming the feature: other compute nodes in the graph (ZipMap, Cast,
 * ...), non-float/double input, ai.onnx.ml opset 5+ (the operators are deprecated there and ORT refuses them),
 * aggregate MIN/MAX, modes EQ/NEQ, and the encodings ORT itself rejects or misreads ({@link OnnxForest}).
 * <p>
 * The ensemble reproduces ORT run with one intra-op thread. With more, ORT gives each thread a share of the trees
 * and adds the partial sums (batches of more than 50 rows and more trees than threads; single rows with more than
 * 80 trees and several outputs), which rounds differently and makes a row's output depend on its batch.
 */
public final class OnnxTreeImporter
{
    /** The ONNX-ML operator domain. */
    public static final String ML_DOMAIN = "ai.onnx.ml";
    /** Highest ai.onnx.ml opset whose TreeEnsembleRegressor/Classifier ONNX Runtime accepts. */
    public static final int MAX_ML_OPSET = 4;

    private static final String REGRESSOR = "TreeEnsembleRegressor";
    private static final String CLASSIFIER = "TreeEnsembleClassifier";

    private OnnxTreeImporter()
    {
    }

    /**
     * Import a model file.
     *
     * @param file an {@code .onnx} file.
     * @return the ensemble.
     * @throws ModelImportException when the file cannot be read or the model cannot be represented exactly.
     */
    public static TreeEnsemble read(final Path file)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return read(in, file.toString());
        }
        catch (final IOException ex)
        {
            throw new ModelImportException(file.toString(), "file", "cannot read: " + ex.getMessage(), ex);
        }
    }

    /**
     * Import a model from a stream (read to its end, not closed).
     *
     * @param in         serialized {@code ModelProto}.
     * @param sourceName file name or description used in errors and provenance.
     * @return the ensemble.
     * @throws ModelImportException when the stream cannot be read or the model cannot be represented exactly.
     */
    public static TreeEnsemble read(final InputStream in, final String sourceName)
    {
        final OnnxMl.ModelProto model;
        try
        {
            model = OnnxMl.ModelProto.parseFrom(in);
        }
        catch (final InvalidProtocolBufferException ex)
        {
            throw new ModelImportException(sourceName, "file", "not an ONNX ModelProto: " + ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new ModelImportException(sourceName, "file", "cannot read: " + ex.getMessage(), ex);
        }
        return convert(model, sourceName);
    }

    private static TreeEnsemble convert(final OnnxMl.ModelProto model, final String source)
    {
        final OnnxMl.GraphProto graph = model.getGraph();
        final OnnxMl.NodeProto node = treeNode(graph, source);
        final String op = node.getOpType();
        final boolean classifier = CLASSIFIER.equals(op);
        final String where = op + " '" + node.getName() + "'";
        final int mlOpset = mlOpset(model, source);

        if (node.getInputCount() != 1)
        {
            throw new ModelImportException(source, where, node.getInputCount() + " inputs, expected 1");
        }
        final OnnxMl.ValueInfoProto input = graphInput(graph, node.getInput(0), source, where);
        final Precision precision = precision(input, source);
        final long declaredWidth = width(input, source);

        final String outputName = scoreOutput(graph, node, classifier, source, where);

        final NodeAttributes attributes = new NodeAttributes(source, node,
            classifier ? NodeAttributes.CLASSIFIER : NodeAttributes.REGRESSOR, precision, mlOpset);
        attributes.reals("nodes_hitrates");
        final String prefix = classifier ? "class_" : "target_";
        final int outputs = classifier ? classCount(attributes, source) : targetCount(attributes, source);
        final OnnxForest.Columns columns = new OnnxForest.Columns(
            attributes.ints("nodes_treeids"),
            attributes.ints("nodes_nodeids"),
            attributes.ints("nodes_featureids"),
            attributes.strings("nodes_modes"),
            attributes.reals("nodes_values"),
            attributes.ints("nodes_truenodeids"),
            attributes.ints("nodes_falsenodeids"),
            attributes.ints("nodes_missing_value_tracks_true"),
            attributes.ints(prefix + "treeids"),
            attributes.ints(prefix + "nodeids"),
            attributes.ints(prefix + "ids"),
            attributes.reals(prefix + "weights"));
        final OnnxForest forest = OnnxForest.resolve(source, columns, prefix, outputs);
        if (declaredWidth > 0 && forest.maxListedFeature() >= declaredWidth)
        {
            throw new ModelImportException(source, "attribute nodes_featureids", "feature " +
                forest.maxListedFeature() + " but the input has " + declaredWidth + " columns");
        }
        final int width = declaredWidth > 0 ? (int)declaredWidth : Math.max(1, forest.maxFeature() + 1);

        final String postTransform = attributes.string("post_transform", "NONE");
        checkPostTransform(postTransform, source);
        double[] base = attributes.reals("base_values");
        base = base == null ? new double[0] : base;
        for (int i = 0; i < base.length; i++)
        {
            if (!Double.isFinite(base[i]))
            {
                throw new ModelImportException(source, "attribute base_values", "value " + i + " is " + base[i]);
            }
        }

        final Map<String, String> info = new LinkedHashMap<>();
        info.put("library", "onnx");
        info.put("source", source);
        info.put("onnx.producer", (model.getProducerName() + " " + model.getProducerVersion()).trim());
        info.put("onnx.operator", op);
        info.put("onnx.ml_opset", Integer.toString(mlOpset));
        info.put("onnx.input", input.getName() + (precision == Precision.FLOAT32 ? " float" : " double"));
        info.put("onnx.output", outputName);
        info.put("onnx.post_transform", postTransform);
        info.put("onnx.trees", Integer.toString(forest.treeCount()));
        if (forest.ignoredWeights() > 0)
        {
            info.put("onnx.ignored_weights", forest.ignoredWeights() + " weight(s) on split nodes, ignored as " +
                "ONNX Runtime ignores them");
        }

        final ScoreLayout layout = classifier ?
            ScoreLayout.classifier(source, forest, columns, base, postTransform, info) :
            ScoreLayout.regressor(source, forest, base, postTransform,
                attributes.string("aggregate_function", "SUM"), info);

        final SplitComparison comparison =
            forest.modeCount(SplitRewrite.Mode.BRANCH_LT) + forest.modeCount(SplitRewrite.Mode.BRANCH_GTE) >
            forest.modeCount(SplitRewrite.Mode.BRANCH_LEQ) + forest.modeCount(SplitRewrite.Mode.BRANCH_GT) ?
            SplitComparison.LESS_THAN : SplitComparison.LESS_EQUAL;

        final TreeEnsemble.Builder builder = TreeEnsemble.builder()
            .featureCount(width)
            .outputCount(layout.groups().length)
            .precision(precision)
            .comparison(comparison)
            .baseScoreAfterTrees(true)
            .averageDivisor(layout.averageDivisor())
            .transform(layout.transform());
        final double[] baseScores = new double[layout.groups().length];
        for (int g = 0; g < baseScores.length; g++)
        {
            baseScores[g] = layout.groups()[g].base();
        }
        builder.baseScores(baseScores);
        for (final OnnxForest.TreeRun run : forest.runs())
        {
            for (int g = 0; g < layout.groups().length; g++)
            {
                final ScoreLayout.Group group = layout.groups()[g];
                if (group.sign() != 0 && run.feeds(group.source()))
                {
                    builder.addTree(tree(run, g, group, comparison, precision));
                }
            }
        }
        for (int g = 0; g < layout.groups().length; g++)
        {
            final double last = layout.groups()[g].lastLeaf();
            if (!Double.isNaN(last))
            {
                builder.addTree(new Tree(g, 1.0, new int[]{-1}, new int[]{-1}, new int[1], new double[1],
                    new boolean[1], new MissingRule[1], new int[1][], new double[]{last}));
            }
        }
        for (final Map.Entry<String, String> entry : info.entrySet())
        {
            builder.info(entry.getKey(), entry.getValue());
        }
        try
        {
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ModelImportException(source, where, "not a valid ensemble: " + ex.getMessage(), ex);
        }
    }

    private static Tree tree(
        final OnnxForest.TreeRun run,
        final int group,
        final ScoreLayout.Group layout,
        final SplitComparison comparison,
        final Precision precision)
    {
        final int n = run.nodeCount();
        final int[] left = new int[n];
        final int[] right = new int[n];
        final int[] feature = new int[n];
        final double[] threshold = new double[n];
        final boolean[] defaultLeft = new boolean[n];
        final MissingRule[] missing = new MissingRule[n];
        final double[] leafValue = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (run.isLeaf(i))
            {
                left[i] = -1;
                right[i] = -1;
                leafValue[i] = run.weighted()[i][layout.source()] ? layout.sign() * run.weights()[i][layout.source()] :
                    0.0;
                continue;
            }
            final SplitRewrite.Rewritten split = SplitRewrite.rewrite(run.mode()[i], run.threshold()[i],
                run.nanTrue()[i], comparison, precision);
            left[i] = split.trueLeft() ? run.trueChild()[i] : run.falseChild()[i];
            right[i] = split.trueLeft() ? run.falseChild()[i] : run.trueChild()[i];
            feature[i] = run.feature()[i];
            threshold[i] = split.threshold();
            defaultLeft[i] = split.nanLeft();
            missing[i] = MissingRule.NAN_DEFAULT;
        }
        return new Tree(group, 1.0, left, right, feature, threshold, defaultLeft, missing, new int[n][], leafValue);
    }

    /** The output the ensemble mirrors: the regressor's Y, the classifier's scores Z (its second output). */
    private static String scoreOutput(
        final OnnxMl.GraphProto graph,
        final OnnxMl.NodeProto node,
        final boolean classifier,
        final String source,
        final String where)
    {
        final int index = classifier ? 1 : 0;
        final String what = classifier ? "scores output (the second)" : "output";
        if (node.getOutputCount() <= index || node.getOutput(index).isEmpty())
        {
            throw new ModelImportException(source, where, "has no " + what);
        }
        final String name = node.getOutput(index);
        for (final OnnxMl.ValueInfoProto output : graph.getOutputList())
        {
            if (output.getName().equals(name))
            {
                return name;
            }
        }
        throw new ModelImportException(source, where, "its " + what + " '" + name + "' is not a graph output");
    }

    private static OnnxMl.NodeProto treeNode(final OnnxMl.GraphProto graph, final String source)
    {
        OnnxMl.NodeProto found = null;
        final List<String> others = new ArrayList<>();
        for (final OnnxMl.NodeProto node : graph.getNodeList())
        {
            final boolean trees = ML_DOMAIN.equals(node.getDomain()) &&
                (REGRESSOR.equals(node.getOpType()) || CLASSIFIER.equals(node.getOpType()));
            if (trees && found == null)
            {
                found = node;
            }
            else
            {
                others.add(node.getOpType() + " '" + node.getName() + "'" +
                    (node.getDomain().isEmpty() ? "" : " (" + node.getDomain() + ")"));
            }
        }
        if (found == null)
        {
            throw new ModelImportException(source, "graph", "no " + ML_DOMAIN + " " + REGRESSOR + " or " + CLASSIFIER +
                " node" + (others.isEmpty() ? "" : "; nodes are " + others));
        }
        if (!others.isEmpty())
        {
            throw new ModelImportException(source, "graph", "only a single tree-ensemble node is supported, the " +
                "graph also has " + others);
        }
        return found;
    }

    private static int mlOpset(final OnnxMl.ModelProto model, final String source)
    {
        for (final OnnxMl.OperatorSetIdProto opset : model.getOpsetImportList())
        {
            if (ML_DOMAIN.equals(opset.getDomain()))
            {
                final long version = opset.getVersion();
                if (version < 1 || version > MAX_ML_OPSET)
                {
                    throw new ModelImportException(source, "opset_import", ML_DOMAIN + " opset " + version +
                        " is not supported (1.." + MAX_ML_OPSET + "; from 5 the tree operators are deprecated and " +
                        "ONNX Runtime refuses them)");
                }
                return (int)version;
            }
        }
        throw new ModelImportException(source, "opset_import", "the model imports no " + ML_DOMAIN + " opset");
    }

    private static OnnxMl.ValueInfoProto graphInput(
        final OnnxMl.GraphProto graph,
        final String name,
        final String source,
        final String where)
    {
        for (final OnnxMl.TensorProto initializer : graph.getInitializerList())
        {
            if (initializer.getName().equals(name))
            {
                throw new ModelImportException(source, where, "its input '" + name + "' is an initializer");
            }
        }
        for (final OnnxMl.ValueInfoProto input : graph.getInputList())
        {
            if (input.getName().equals(name))
            {
                return input;
            }
        }
        throw new ModelImportException(source, where, "its input '" + name + "' is not a graph input");
    }

    private static Precision precision(final OnnxMl.ValueInfoProto input, final String source)
    {
        final int type = input.getType().getTensorType().getElemType();
        if (type == OnnxMl.TensorProto.DataType.FLOAT_VALUE)
        {
            return Precision.FLOAT32;
        }
        if (type == OnnxMl.TensorProto.DataType.DOUBLE_VALUE)
        {
            return Precision.FLOAT64;
        }
        final OnnxMl.TensorProto.DataType named = OnnxMl.TensorProto.DataType.forNumber(type);
        throw new ModelImportException(source, "input '" + input.getName() + "'", "element type " +
            (named == null ? Integer.toString(type) : named.name()) + " is not supported (float or double)");
    }

    private static long width(final OnnxMl.ValueInfoProto input, final String source)
    {
        final OnnxMl.TypeProto.Tensor tensor = input.getType().getTensorType();
        if (!tensor.hasShape())
        {
            return -1;
        }
        final OnnxMl.TensorShapeProto shape = tensor.getShape();
        if (shape.getDimCount() != 2)
        {
            throw new ModelImportException(source, "input '" + input.getName() + "'", "rank " +
                shape.getDimCount() + ", expected [rows, features]");
        }
        final OnnxMl.TensorShapeProto.Dimension columns = shape.getDim(1);
        if (columns.hasDimValue() && columns.getDimValue() > Integer.MAX_VALUE)
        {
            throw new ModelImportException(source, "input '" + input.getName() + "'", columns.getDimValue() +
                " features");
        }
        return columns.hasDimValue() && columns.getDimValue() > 0 ? columns.getDimValue() : -1;
    }

    private static int targetCount(final NodeAttributes attributes, final String source)
    {
        final long targets = attributes.intValue("n_targets", 0);
        if (targets < 1 || targets > 1 << 16)
        {
            throw new ModelImportException(source, "attribute n_targets", "is " + targets + ", expected 1.." +
                (1 << 16));
        }
        return (int)targets;
    }

    private static int classCount(final NodeAttributes attributes, final String source)
    {
        final int ints = attributes.ints("classlabels_int64s").length;
        final int strings = attributes.strings("classlabels_strings").length;
        if (ints > 0 && strings > 0)
        {
            throw new ModelImportException(source, "attribute classlabels_int64s", "given together with " +
                "classlabels_strings");
        }
        final int classes = Math.max(ints, strings);
        if (classes < 2 || classes > 1 << 16)
        {
            throw new ModelImportException(source, "attribute classlabels_int64s", classes + " class labels, " +
                "expected 2.." + (1 << 16));
        }
        return classes;
    }

    private static void checkPostTransform(final String postTransform, final String source)
    {
        switch (postTransform)
        {
            case "NONE":
            case "LOGISTIC":
            case "SOFTMAX":
                return;
            case "SOFTMAX_ZERO":
            case "PROBIT":
                throw new ModelImportException(source, "attribute post_transform", postTransform + " is not " +
                    "supported (NONE, LOGISTIC, SOFTMAX)");
            default:
                throw new ModelImportException(source, "attribute post_transform", "unknown '" + postTransform +
                    "' (ONNX Runtime would read it as PROBIT)");
        }
    }
}
