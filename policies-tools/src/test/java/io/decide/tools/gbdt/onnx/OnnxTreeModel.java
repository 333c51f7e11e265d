package io.decide.tools.gbdt.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX model whose graph is one ai.onnx.ml TreeEnsembleRegressor or TreeEnsembleClassifier node, attribute
 * by attribute, so tests can write exactly the encodings converters produce (and the ones they should not).
 */
final class OnnxTreeModel
{
    /** Input element type of the graph. */
    enum InputType
    {
        FLOAT(OnnxMl.TensorProto.DataType.FLOAT_VALUE),
        DOUBLE(OnnxMl.TensorProto.DataType.DOUBLE_VALUE);

        final int code;

        InputType(final int code)
        {
            this.code = code;
        }
    }

    /** How real-valued attributes are written: FLOATS lists (opset 1+) or opset 3 {@code *_as_tensor} tensors. */
    enum Encoding
    {
        FLOATS,
        FLOAT_TENSORS,
        DOUBLE_TENSORS
    }

    private final boolean classifier;
    private final int outputs;
    private final int featureCount;
    private final List<Long> treeIds = new ArrayList<>();
    private final List<Long> nodeIds = new ArrayList<>();
    private final List<Long> featureIds = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();
    private final List<String> modes = new ArrayList<>();
    private final List<Long> trueIds = new ArrayList<>();
    private final List<Long> falseIds = new ArrayList<>();
    private final List<Long> missingTrue = new ArrayList<>();
    private final List<Long> weightTrees = new ArrayList<>();
    private final List<Long> weightNodes = new ArrayList<>();
    private final List<Long> weightTargets = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private double[] baseValues;
    private String aggregate;
    private String postTransform;
    private InputType inputType = InputType.FLOAT;
    private Encoding encoding = Encoding.FLOATS;
    private int mlOpset = 3;
    private boolean writeMissingTracks = true;
    private final Map<String, OnnxMl.NodeProto> extraNodes = new LinkedHashMap<>();

    private OnnxTreeModel(final boolean classifier, final int outputs, final int featureCount)
    {
        this.classifier = classifier;
        this.outputs = outputs;
        this.featureCount = featureCount;
    }

    static OnnxTreeModel regressor(final int targets, final int featureCount)
    {
        return new OnnxTreeModel(false, targets, featureCount);
    }

    static OnnxTreeModel classifier(final int classes, final int featureCount)
    {
        return new OnnxTreeModel(true, classes, featureCount);
    }

    boolean isClassifier()
    {
        return classifier;
    }

    int outputs()
    {
        return outputs;
    }

    int featureCount()
    {
        return featureCount;
    }

    InputType inputType()
    {
        return inputType;
    }

    OnnxTreeModel split(
        final long tree,
        final long node,
        final String mode,
        final int feature,
        final double threshold,
        final long trueNode,
        final long falseNode,
        final boolean nanTrue)
    {
        treeIds.add(tree);
        nodeIds.add(node);
        featureIds.add((long)feature);
        values.add(threshold);
        modes.add(mode);
        trueIds.add(trueNode);
        falseIds.add(falseNode);
        missingTrue.add(nanTrue ? 1L : 0L);
        return this;
    }

    /** Set the false child of a split added earlier (lets builders list a parent before its children). */
    OnnxTreeModel patchFalse(final long node, final long falseNode)
    {
        for (int i = nodeIds.size() - 1; i >= 0; i--)
        {
            if (nodeIds.get(i) == node)
            {
                falseIds.set(i, falseNode);
                return this;
            }
        }
        throw new IllegalArgumentException("no node " + node);
    }

    OnnxTreeModel leaf(final long tree, final long node)
    {
        treeIds.add(tree);
        nodeIds.add(node);
        featureIds.add(0L);
        values.add(0.0);
        modes.add("LEAF");
        trueIds.add(0L);
        falseIds.add(0L);
        missingTrue.add(0L);
        return this;
    }

    OnnxTreeModel weight(final long tree, final long node, final int target, final double weight)
    {
        weightTrees.add(tree);
        weightNodes.add(node);
        weightTargets.add((long)target);
        weights.add(weight);
        return this;
    }

    OnnxTreeModel leaf(final long tree, final long node, final double weight)
    {
        return leaf(tree, node).weight(tree, node, 0, weight);
    }

    OnnxTreeModel baseValues(final double... base)
    {
        this.baseValues = base.clone();
        return this;
    }

    OnnxTreeModel aggregate(final String function)
    {
        this.aggregate = function;
        return this;
    }

    OnnxTreeModel postTransform(final String transform)
    {
        this.postTransform = transform;
        return this;
    }

    OnnxTreeModel inputType(final InputType type)
    {
        this.inputType = type;
        return this;
    }

    OnnxTreeModel encoding(final Encoding value)
    {
        this.encoding = value;
        return this;
    }

    OnnxTreeModel mlOpset(final int version)
    {
        this.mlOpset = version;
        return this;
    }

    OnnxTreeModel writeMissingTracks(final boolean write)
    {
        this.writeMissingTracks = write;
        return this;
    }

    /** Append a node after the tree node, e.g. an Identity on its output (which then becomes the graph output). */
    OnnxTreeModel then(final String opType, final String domain)
    {
        final String in = extraNodes.isEmpty() ? scoreOutput() : "extra" + (extraNodes.size() - 1);
        final String out = "extra" + extraNodes.size();
        extraNodes.put(out, OnnxMl.NodeProto.newBuilder().setOpType(opType).setDomain(domain).setName(opType + "_1")
            .addInput(in).addOutput(out).build());
        return this;
    }

    String scoreOutput()
    {
        return classifier ? "probabilities" : "variable";
    }

    /** @return the graph output that carries the scores. */
    String graphScoreOutput()
    {
        return extraNodes.isEmpty() ? scoreOutput() : "extra" + (extraNodes.size() - 1);
    }

    byte[] toBytes()
    {
        return toProto().toByteArray();
    }

    OnnxMl.ModelProto toProto()
    {
        final OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder()
            .setOpType(classifier ? "TreeEnsembleClassifier" : "TreeEnsembleRegressor")
            .setDomain("ai.onnx.ml")
            .setName("trees")
            .addInput("input");
        if (classifier)
        {
            node.addOutput("label").addOutput("probabilities");
        }
        else
        {
            node.addOutput("variable");
        }
        node.addAttribute(ints("nodes_treeids", treeIds));
        node.addAttribute(ints("nodes_nodeids", nodeIds));
        node.addAttribute(ints("nodes_featureids", featureIds));
        node.addAttribute(reals("nodes_values", values));
        final OnnxMl.AttributeProto.Builder modeAttr = OnnxMl.AttributeProto.newBuilder().setName("nodes_modes")
            .setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
        for (final String mode : modes)
        {
            modeAttr.addStrings(ByteString.copyFrom(mode, StandardCharsets.UTF_8));
        }
        node.addAttribute(modeAttr);
        node.addAttribute(ints("nodes_truenodeids", trueIds));
        node.addAttribute(ints("nodes_falsenodeids", falseIds));
        if (writeMissingTracks)
        {
            node.addAttribute(ints("nodes_missing_value_tracks_true", missingTrue));
        }
        final String prefix = classifier ? "class_" : "target_";
        node.addAttribute(ints(prefix + "treeids", weightTrees));
        node.addAttribute(ints(prefix + "nodeids", weightNodes));
        node.addAttribute(ints(prefix + "ids", weightTargets));
        node.addAttribute(reals(prefix + "weights", weights));
        if (baseValues != null)
        {
            final List<Double> base = new ArrayList<>();
            for (final double b : baseValues)
            {
                base.add(b);
            }
            node.addAttribute(reals("base_values", base));
        }
        if (aggregate != null)
        {
            node.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("aggregate_function")
                .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(aggregate, StandardCharsets.UTF_8)));
        }
        if (postTransform != null)
        {
            node.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("post_transform")
                .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(postTransform, StandardCharsets.UTF_8)));
        }
        if (classifier)
        {
            final OnnxMl.AttributeProto.Builder labels = OnnxMl.AttributeProto.newBuilder()
                .setName("classlabels_int64s").setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (int c = 0; c < outputs; c++)
            {
                labels.addInts(c);
            }
            node.addAttribute(labels);
        }
        else
        {
            node.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("n_targets")
                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(outputs));
        }

        final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("tree_graph")
            .addNode(node)
            .addInput(tensor("input", inputType.code, featureCount));
        for (final OnnxMl.NodeProto extra : extraNodes.values())
        {
            graph.addNode(extra);
        }
        if (classifier)
        {
            graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("label").setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.INT64_VALUE)
                    .setShape(OnnxMl.TensorShapeProto.newBuilder().addDim(
                        OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))))));
        }
        graph.addOutput(tensor(graphScoreOutput(), OnnxMl.TensorProto.DataType.FLOAT_VALUE, outputs));
        final OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
            .setIrVersion(8)
            .setProducerName("decide-tests")
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(mlOpset))
            .setGraph(graph);
        return model.build();
    }

    private static OnnxMl.ValueInfoProto tensor(final String name, final int elemType, final int columns)
    {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType)
                .setShape(OnnxMl.TensorShapeProto.newBuilder()
                    .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                    .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns))))).build();
    }

    private static OnnxMl.AttributeProto ints(final String name, final List<Long> list)
    {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS)
            .addAllInts(list).build();
    }

    private OnnxMl.AttributeProto reals(final String name, final List<Double> list)
    {
        switch (encoding)
        {
            case FLOATS:
            {
                final OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
                for (final double v : list)
                {
                    b.addFloats((float)v);
                }
                return b.build();
            }
            case FLOAT_TENSORS:
            {
                final OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addDims(list.size());
                for (final double v : list)
                {
                    t.addFloatData((float)v);
                }
                return tensorAttribute(name + "_as_tensor", t);
            }
            case DOUBLE_TENSORS:
            {
                final OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
                    .setDataType(OnnxMl.TensorProto.DataType.DOUBLE_VALUE).addDims(list.size());
                for (final double v : list)
                {
                    t.addDoubleData(v);
                }
                return tensorAttribute(name + "_as_tensor", t);
            }
            default:
                throw new IllegalStateException();
        }
    }

    private static OnnxMl.AttributeProto tensorAttribute(final String name, final OnnxMl.TensorProto.Builder t)
    {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
            .setT(t.setName(name)).build();
    }
}
