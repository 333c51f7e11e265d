package io.decide.bench;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;

import java.nio.charset.StandardCharsets;

/**
 * Writes a single-output FLOAT32 {@code <}-split {@link TreeEnsemble} (what the XGBoost importer produces for a
 * numeric regression model) as an ONNX model whose graph is one ai.onnx.ml (opset 3) {@code TreeEnsembleRegressor}:
 * float input {@code input [N, features]}, output {@code variable [N, 1]}. Every split is {@code BRANCH_LT} on the
 * float threshold with the true branch the left child and {@code nodes_missing_value_tracks_true} = default-left;
 * leaves carry their value times the tree weight as a float target weight; {@code base_values} is the base score;
 * aggregate SUM, post_transform NONE.
 * <p>
 * ONNX Runtime adds {@code base_values} after the trees, XGBoost first: in float the two sums can differ in the
 * last bits (see {@code GbdtPeersBenchmark}).
 */
final class OnnxExport
{
    /** Graph input name. */
    static final String INPUT = "input";
    /** Graph output name. */
    static final String OUTPUT = "variable";

    private OnnxExport()
    {
    }

    /**
     * @param ensemble a one-output FLOAT32 ensemble with {@code <} numeric splits and NaN default directions only.
     * @return the serialized ModelProto.
     * @throws IllegalArgumentException when the ensemble uses anything else.
     */
    static byte[] regressor(final TreeEnsemble ensemble)
    {
        if (ensemble.outputCount() != 1 || ensemble.precision() != Precision.FLOAT32 ||
            ensemble.comparison() != SplitComparison.LESS_THAN || ensemble.baseScoreAfterTrees() ||
            ensemble.averageDivisor() != 0)
        {
            throw new IllegalArgumentException("only single-output FLOAT32 '<' sum ensembles are exported");
        }
        final OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder()
            .setOpType("TreeEnsembleRegressor").setDomain("ai.onnx.ml").setName("trees")
            .addInput(INPUT).addOutput(OUTPUT);
        final OnnxMl.AttributeProto.Builder treeIds = ints("nodes_treeids");
        final OnnxMl.AttributeProto.Builder nodeIds = ints("nodes_nodeids");
        final OnnxMl.AttributeProto.Builder featureIds = ints("nodes_featureids");
        final OnnxMl.AttributeProto.Builder values = floats("nodes_values");
        final OnnxMl.AttributeProto.Builder modes = OnnxMl.AttributeProto.newBuilder().setName("nodes_modes")
            .setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
        final OnnxMl.AttributeProto.Builder trueIds = ints("nodes_truenodeids");
        final OnnxMl.AttributeProto.Builder falseIds = ints("nodes_falsenodeids");
        final OnnxMl.AttributeProto.Builder missingTrue = ints("nodes_missing_value_tracks_true");
        final OnnxMl.AttributeProto.Builder targetTrees = ints("target_treeids");
        final OnnxMl.AttributeProto.Builder targetNodes = ints("target_nodeids");
        final OnnxMl.AttributeProto.Builder targetIds = ints("target_ids");
        final OnnxMl.AttributeProto.Builder targetWeights = floats("target_weights");
        final ByteString leafMode = ByteString.copyFrom("LEAF", StandardCharsets.US_ASCII);
        final ByteString branchMode = ByteString.copyFrom("BRANCH_LT", StandardCharsets.US_ASCII);
        final Tree[] trees = ensemble.trees();
        for (int t = 0; t < trees.length; t++)
        {
            final Tree tree = trees[t];
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                treeIds.addInts(t);
                nodeIds.addInts(i);
                if (tree.isLeaf(i))
                {
                    featureIds.addInts(0);
                    values.addFloats(0f);
                    modes.addStrings(leafMode);
                    trueIds.addInts(0);
                    falseIds.addInts(0);
                    missingTrue.addInts(0);
                    targetTrees.addInts(t);
                    targetNodes.addInts(i);
                    targetIds.addInts(0);
                    targetWeights.addFloats((float)tree.leafValue(i) * (float)tree.weight());
                }
                else
                {
                    if (tree.categories(i) != null || tree.missing(i) != MissingRule.NAN_DEFAULT)
                    {
                        throw new IllegalArgumentException("tree " + t + " node " + i +
                            ": only numeric splits with NaN default directions are exported");
                    }
                    featureIds.addInts(tree.feature(i));
                    values.addFloats((float)tree.threshold(i));
                    modes.addStrings(branchMode);
                    trueIds.addInts(tree.left(i));
                    falseIds.addInts(tree.right(i));
                    missingTrue.addInts(tree.defaultLeft(i) ? 1 : 0);
                }
            }
        }
        node.addAttribute(treeIds).addAttribute(nodeIds).addAttribute(featureIds).addAttribute(values)
            .addAttribute(modes).addAttribute(trueIds).addAttribute(falseIds).addAttribute(missingTrue)
            .addAttribute(targetTrees).addAttribute(targetNodes).addAttribute(targetIds).addAttribute(targetWeights)
            .addAttribute(floats("base_values").addFloats((float)ensemble.baseScores()[0]))
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("aggregate_function")
                .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom("SUM", StandardCharsets.US_ASCII)))
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("post_transform")
                .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom("NONE", StandardCharsets.US_ASCII)))
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("n_targets")
                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1));
        final OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("gbdt")
            .addNode(node)
            .addInput(tensor(INPUT, ensemble.featureCount()))
            .addOutput(tensor(OUTPUT, 1))
            .build();
        return OnnxMl.ModelProto.newBuilder()
            .setIrVersion(8)
            .setProducerName("io.decide.bench")
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3))
            .setGraph(graph)
            .build()
            .toByteArray();
    }

    private static OnnxMl.AttributeProto.Builder ints(final String name)
    {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
    }

    private static OnnxMl.AttributeProto.Builder floats(final String name)
    {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
    }

    private static OnnxMl.ValueInfoProto tensor(final String name, final int columns)
    {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .setShape(OnnxMl.TensorShapeProto.newBuilder()
                    .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                    .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns))))).build();
    }
}
