package io.decide.tools.gbdt.onnx;

import ai.onnx.proto.OnnxMl;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.ModelImportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the importer refuses, and that each refusal names the file, the place and the feature. */
class OnnxTreeImporterRefusalTest
{
    @TempDir
    Path dir;

    @Test
    void readsAFileAndRecordsProvenance() throws IOException
    {
        final Path file = dir.resolve("stump.onnx");
        Files.write(file, stump().toBytes());
        final TreeEnsemble ensemble = OnnxTreeImporter.read(file);
        assertEquals(2, ensemble.featureCount(), "from the input shape");
        assertEquals("onnx", ensemble.info().get("library"));
        assertEquals(file.toString(), ensemble.info().get("source"));
        assertEquals("TreeEnsembleRegressor", ensemble.info().get("onnx.operator"));
    }

    @Test
    void inputWidthComesFromTheShapeOrElseFromTheFeatures()
    {
        final OnnxMl.ModelProto model = OnnxTreeModel.regressor(1, 4).split(0, 0, "BRANCH_LEQ", 2, 0.5, 1, 2, false)
            .leaf(0, 1, 1).leaf(0, 2, 2).toProto();
        assertEquals(4, OnnxTreeImporter.read(new ByteArrayInputStream(model.toByteArray()), "m").featureCount());
        final OnnxMl.ValueInfoProto input = model.getGraph().getInput(0);
        final OnnxMl.ValueInfoProto unknownWidth = input.toBuilder().setType(input.getType().toBuilder()
            .setTensorType(input.getType().getTensorType().toBuilder().setShape(input.getType().getTensorType()
                .getShape().toBuilder().setDim(1, OnnxMl.TensorShapeProto.Dimension.newBuilder()
                    .setDimParam("F"))))).build();
        final byte[] bytes = model.toBuilder().setGraph(model.getGraph().toBuilder().setInput(0, unknownWidth)).build()
            .toByteArray();
        assertEquals(3, OnnxTreeImporter.read(new ByteArrayInputStream(bytes), "m").featureCount());
    }

    @Test
    void theScoresMustBeAGraphOutput()
    {
        final OnnxMl.ModelProto model = OnnxTreeModel.classifier(3, 1).leaf(0, 0).weight(0, 0, 1, 1.0).toProto();
        final byte[] labelOnly = model.toBuilder().setGraph(model.getGraph().toBuilder().removeOutput(1)).build()
            .toByteArray();
        refused(labelOnly, "TreeEnsembleClassifier 'trees'", "scores output (the second) 'probabilities' is not a " +
            "graph output");
    }

    @Test
    void missingFileAndGarbage()
    {
        final ModelImportException missing = assertThrows(ModelImportException.class,
            () -> OnnxTreeImporter.read(dir.resolve("absent.onnx")));
        assertTrue(missing.getMessage().contains("absent.onnx"), missing.getMessage());
        refused(new byte[]{1, 2, 3, 4, 5}, "file", "not an ONNX ModelProto");
        refused(new byte[0], "graph", "no ai.onnx.ml TreeEnsembleRegressor or TreeEnsembleClassifier node");
    }

    @Test
    void otherComputeNodesAreNamed()
    {
        refused(stump().then("Identity", "").toBytes(), "graph", "Identity 'Identity_1'");
        final OnnxTreeModel zipMap = OnnxTreeModel.classifier(3, 2).leaf(0, 0).weight(0, 0, 1, 1.0)
            .then("ZipMap", "ai.onnx.ml");
        refused(zipMap.toBytes(), "graph", "ZipMap 'ZipMap_1' (ai.onnx.ml)");
        final OnnxMl.ModelProto twoEnsembles = stump().toProto().toBuilder()
            .setGraph(stump().toProto().getGraph().toBuilder().addNode(stump().toProto().getGraph().getNode(0)))
            .build();
        refused(twoEnsembles.toByteArray(), "graph", "TreeEnsembleRegressor 'trees' (ai.onnx.ml)");
    }

    @Test
    void inputAndOpsetChecks()
    {
        final OnnxMl.ModelProto model = stump().toProto();
        final OnnxMl.ModelProto int64 = model.toBuilder().setGraph(model.getGraph().toBuilder().setInput(0,
            model.getGraph().getInput(0).toBuilder().setType(model.getGraph().getInput(0).getType().toBuilder()
                .setTensorType(model.getGraph().getInput(0).getType().getTensorType().toBuilder()
                    .setElemType(OnnxMl.TensorProto.DataType.INT64_VALUE))))).build();
        refused(int64.toByteArray(), "input 'input'", "element type INT64 is not supported");

        final OnnxMl.ModelProto noMlOpset = model.toBuilder().clearOpsetImport()
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();
        refused(noMlOpset.toByteArray(), "opset_import", "imports no ai.onnx.ml opset");

        final OnnxMl.ModelProto initializer = model.toBuilder().setGraph(model.getGraph().toBuilder()
            .addInitializer(OnnxMl.TensorProto.newBuilder().setName("input").setDataType(1).addDims(1).addDims(2)
                .addFloatData(0).addFloatData(0))).build();
        refused(initializer.toByteArray(), "TreeEnsembleRegressor 'trees'", "is an initializer");

        refused(OnnxTreeModel.regressor(1, 1).split(0, 0, "BRANCH_LEQ", 3, 0.5, 1, 2, false).leaf(0, 1, 1)
            .leaf(0, 2, 2).toBytes(), "attribute nodes_featureids", "feature 3 but the input has 1 columns");
    }

    @Test
    void unsupportedModesAggregatesAndTransformsAreNamed()
    {
        for (final String mode : new String[]{"BRANCH_EQ", "BRANCH_NEQ"})
        {
            refused(OnnxTreeModel.regressor(1, 2).split(4, 0, mode, 0, 1, 1, 2, false).leaf(4, 1, 1).leaf(4, 2, 2)
                .toBytes(), "tree 4 node 0", "mode " + mode + " is not supported");
        }
        refused(OnnxTreeModel.regressor(1, 2).split(0, 0, "BRANCH_LE", 0, 1, 1, 2, false).leaf(0, 1, 1)
            .leaf(0, 2, 2).toBytes(), "tree 0 node 0", "unknown mode 'BRANCH_LE'");
        for (final String aggregate : new String[]{"MIN", "MAX"})
        {
            refused(stump().aggregate(aggregate).toBytes(), "attribute aggregate_function",
                aggregate + " is not supported");
        }
        refused(stump().aggregate("MEDIAN").toBytes(), "attribute aggregate_function", "unknown 'MEDIAN'");
        for (final String transform : new String[]{"SOFTMAX_ZERO", "PROBIT"})
        {
            refused(stump().postTransform(transform).toBytes(), "attribute post_transform",
                transform + " is not supported");
        }
        refused(stump().postTransform("TANH").toBytes(), "attribute post_transform", "unknown 'TANH'");
    }

    @Test
    void malformedTreesAreRefused()
    {
        refused(OnnxTreeModel.regressor(1, 2).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 1, false).leaf(0, 1, 1)
            .toBytes(), "tree 0 node 0", "reached twice");
        refused(OnnxTreeModel.regressor(1, 2).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 0, false).leaf(0, 1, 1)
            .toBytes(), "tree 0 node 0", "reached twice");
        refused(OnnxTreeModel.regressor(1, 2).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false).leaf(0, 1, 1)
            .leaf(1, 2, 1).toBytes(), "tree 0 node 0", "false child 2 does not exist in tree 0");
        refused(OnnxTreeModel.regressor(1, 2).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 7, false).leaf(0, 1, 1)
            .leaf(0, 7, 1).toBytes(), "tree 0 node 0", "child id 7 outside 0..2");
        refused(OnnxTreeModel.regressor(1, 2).leaf(0, 0, 1).leaf(0, 0, 2).toBytes(), "tree 0 node 0",
            "listed twice");
        refused(OnnxTreeModel.regressor(1, 2).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false).leaf(0, 1, 1)
            .leaf(0, 2, 2).weight(0, 2, 1, 3).toBytes(), "attribute target_ids", "outside 0..0");
        refused(OnnxTreeModel.regressor(1, 2).leaf(0, 0, Double.NaN).toBytes(), "attribute target_weights",
            "is NaN");
        refused(OnnxTreeModel.regressor(1, 2).leaf(0, 0).weight(0, 9, 0, 1).toBytes(), "attribute target_nodeids",
            "tree 0 node 9, which does not exist");
        final OnnxMl.ModelProto model = OnnxTreeModel.regressor(1, 2).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, true)
            .leaf(0, 1, 1).leaf(0, 2, 2).toProto();
        final OnnxMl.NodeProto.Builder node = model.getGraph().getNode(0).toBuilder();
        for (int a = 0; a < node.getAttributeCount(); a++)
        {
            if (node.getAttribute(a).getName().equals("nodes_missing_value_tracks_true"))
            {
                node.setAttribute(a, node.getAttribute(a).toBuilder().setInts(0, 2));
            }
        }
        refused(model.toBuilder().setGraph(model.getGraph().toBuilder().setNode(0, node)).build().toByteArray(),
            "tree 0 node 0", "nodes_missing_value_tracks_true is 2");
    }

    @Test
    void attributeShapesAreChecked()
    {
        final OnnxMl.ModelProto model = stump().toProto();
        final OnnxMl.NodeProto.Builder node = model.getGraph().getNode(0).toBuilder()
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("classlabels_int64s")
                .setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(0));
        refused(model.toBuilder().setGraph(model.getGraph().toBuilder().setNode(0, node)).build().toByteArray(),
            "attribute classlabels_int64s", "not an attribute of TreeEnsembleRegressor");

        refused(OnnxTreeModel.regressor(0, 2).leaf(0, 0, 1).toBytes(), "attribute n_targets", "is 0");
        refused(OnnxTreeModel.classifier(1, 2).leaf(0, 0, 1).toBytes(), "attribute classlabels_int64s",
            "1 class labels");
        refused(stump().baseValues(1, 2).toBytes(), "attribute base_values", "2 values for 1 target");
        refused(OnnxTreeModel.regressor(2, 2).leaf(0, 0, 1).baseValues(1, 2, 3).toBytes(), "attribute base_values",
            "3 values for 2 targets");
        refused(OnnxTreeModel.classifier(3, 2).leaf(0, 0, 1).baseValues(1, 2).toBytes(), "attribute base_values",
            "2 values for 3 classes");
        refused(stump().baseValues(Double.POSITIVE_INFINITY).toBytes(), "attribute base_values", "Infinity");
    }

    @Test
    void binaryLayoutsOrtComputesRowByRowAreRefused()
    {
        final OnnxTreeModel partial = OnnxTreeModel.classifier(2, 2).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false)
            .leaf(0, 1).weight(0, 1, 0, 0.5).weight(0, 1, 1, 0.5).leaf(0, 2).weight(0, 2, 0, 0.25);
        refused(partial.toBytes(), "class 1", "row by row");
        final OnnxTreeModel firstColumnOnly = OnnxTreeModel.classifier(2, 2).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2,
            false).weight(0, 0, 1, 1).leaf(0, 1).weight(0, 1, 0, 0.5).leaf(0, 2).weight(0, 2, 0, 0.25).baseValues(1);
        refused(firstColumnOnly.toBytes(), "attribute class_ids", "writes only the first output column");
        final OnnxTreeModel partialBase = OnnxTreeModel.classifier(2, 2).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false)
            .leaf(0, 1).weight(0, 1, 0, 0.5).leaf(0, 2).baseValues(0.5);
        refused(partialBase.toBytes(), "class 0", "drops the base value");
    }

    private static OnnxTreeModel stump()
    {
        return OnnxTreeModel.regressor(1, 2).split(0, 0, "BRANCH_LEQ", 1, 0.5, 1, 2, false).leaf(0, 1, 1)
            .leaf(0, 2, 2);
    }

    private static void refused(final byte[] model, final String where, final String reason)
    {
        final ModelImportException ex = assertThrows(ModelImportException.class,
            () -> OnnxTreeImporter.read(new ByteArrayInputStream(model), "model.onnx"));
        assertEquals("model.onnx", ex.source());
        assertTrue(ex.where().contains(where), () -> "where: " + ex.getMessage());
        assertTrue(ex.getMessage().contains(reason), () -> "reason: " + ex.getMessage());
    }
}
