package io.decide.tools.gbdt.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.decide.format.gbdt.OutputTransform;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.ModelImportException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins, on hand-made models, each ONNX Runtime 1.22 behaviour the importer relies on or refuses (a newer ORT that
 * changes one fails here first), and that the import reproduces it. Each test states the behaviour it pins.
 */
class OnnxRuntimeSemanticsTest
{
    private static final float[][] ONE_ROW = {{0f}};
    private static final float[][] NAN_0_1_2 = {{Float.NaN}, {0f}, {1f}, {2f}};

    @Test
    void floatInputSumsTreesInFloat()
    {
        final OnnxTreeModel model = stumps(OnnxTreeModel.regressor(1, 1), 1e8, 1, -1e8);
        assertArrayEquals(new float[]{0f}, ort(model, ONE_ROW)[0], "(1e8 + 1) rounds to 1e8 in float");
        assertEquals(Precision.FLOAT32, imported(model).precision());
        assertMatches(model, ONE_ROW);
    }

    @Test
    void doubleInputSumsTreesInDoubleThenRoundsToFloat()
    {
        final OnnxTreeModel model = stumps(OnnxTreeModel.regressor(1, 1), 1e8, 1, -1e8)
            .inputType(OnnxTreeModel.InputType.DOUBLE);
        assertArrayEquals(new float[]{1f}, ort(model, ONE_ROW)[0]);
        assertEquals(Precision.FLOAT64, imported(model).precision());
        assertMatches(model, ONE_ROW);
    }

    @Test
    void treesAreSummedInListingOrderNotTreeIdOrder()
    {
        final OnnxTreeModel model = OnnxTreeModel.regressor(1, 1).leaf(5, 0, 1).leaf(3, 0, 1e8).leaf(4, 0, -1e8);
        assertArrayEquals(new float[]{0f}, ort(model, ONE_ROW)[0], "by id: 1e8 - 1e8 + 1 = 1");
        assertMatches(model, ONE_ROW);
    }

    @Test
    void baseValuesAreAddedAfterTheTrees()
    {
        final OnnxTreeModel model = stumps(OnnxTreeModel.regressor(1, 1), 1e8, -1e8).baseValues(1);
        assertArrayEquals(new float[]{1f}, ort(model, ONE_ROW)[0], "base first: (1 + 1e8) - 1e8 = 0");
        assertTrue(imported(model).baseScoreAfterTrees());
        assertMatches(model, ONE_ROW);
    }

    @Test
    void averageDividesTheTreeSumByTheTreeCountThenAddsTheBase()
    {
        final OnnxTreeModel model = stumps(OnnxTreeModel.regressor(1, 1), 1, 2, 4).aggregate("AVERAGE")
            .baseValues(10);
        assertArrayEquals(new float[]{7f / 3f + 10f}, ort(model, ONE_ROW)[0]);
        assertEquals(3, imported(model).averageDivisor());
        assertMatches(model, ONE_ROW);

        final OnnxTreeModel twoTargets = OnnxTreeModel.regressor(2, 1).aggregate("AVERAGE");
        for (int t = 0; t < 3; t++)
        {
            twoTargets.leaf(t, 0).weight(t, 0, 0, 1 << t).weight(t, 0, 1, 1);
        }
        assertArrayEquals(new float[]{7f / 3f, 1f}, ort(twoTargets, ONE_ROW)[0], "divisor: trees, not weights");
        assertEquals(3, imported(twoTargets).averageDivisor());
        assertEquals(6, imported(twoTargets).trees().length, "one tree per target");
        assertMatches(twoTargets, ONE_ROW);
    }

    @Test
    void nanGoesToTheFalseChildUnlessTrackedToTrue()
    {
        final String[] modes = {"BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"};
        // Threshold 1, true child 10, false child 20; rows NaN, 0, 1, 2.
        final float[][] untracked = {{20, 10, 10, 20}, {20, 10, 20, 20}, {20, 20, 10, 10}, {20, 20, 20, 10}};
        for (int m = 0; m < modes.length; m++)
        {
            for (final boolean tracked : new boolean[]{false, true})
            {
                final OnnxTreeModel model = OnnxTreeModel.regressor(1, 1).split(0, 0, modes[m], 0, 1, 1, 2, tracked)
                    .leaf(0, 1, 10).leaf(0, 2, 20);
                final float[][] out = ort(model, NAN_0_1_2);
                assertEquals(tracked ? 10f : 20f, out[0][0], modes[m] + " NaN, tracked " + tracked);
                for (int r = 1; r < 4; r++)
                {
                    assertEquals(untracked[m][r], out[r][0], modes[m] + " row " + r);
                }
                assertMatches(model, NAN_0_1_2);
            }
        }
    }

    @Test
    void aNanThresholdSendsEverythingButTrackedNanToTheFalseChild()
    {
        for (final String mode : new String[]{"BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"})
        {
            final OnnxTreeModel model = OnnxTreeModel.regressor(1, 1).split(0, 0, mode, 0, Double.NaN, 1, 2, true)
                .leaf(0, 1, 10).leaf(0, 2, 20);
            final float[][] rows = {{Float.NaN}, {Float.NEGATIVE_INFINITY}, {0f}, {Float.POSITIVE_INFINITY}};
            final float[][] out = ort(model, rows);
            assertArrayEquals(new float[][]{{10f}, {20f}, {20f}, {20f}}, out, mode);
            assertMatches(model, rows);
        }
    }

    @Test
    void aSingleTargetRegressorIgnoresLogisticAndSoftmax()
    {
        for (final String transform : new String[]{"LOGISTIC", "SOFTMAX"})
        {
            final OnnxTreeModel model = stumps(OnnxTreeModel.regressor(1, 1), 2).postTransform(transform);
            assertArrayEquals(new float[]{2f}, ort(model, ONE_ROW)[0], transform);
            assertEquals(OutputTransform.IDENTITY, imported(model).transform());
            assertTrue(imported(model).info().get("onnx.post_transform.applied").startsWith("NONE"));
        }
        final OnnxTreeModel two = OnnxTreeModel.regressor(2, 1).postTransform("LOGISTIC");
        two.leaf(0, 0).weight(0, 0, 0, 2).weight(0, 0, 1, -2);
        assertArrayEquals(new float[]{0.880797f, 0.11920297f}, ort(two, ONE_ROW)[0], "applied with 2 targets");
        assertMatches(two, ONE_ROW);
    }

    @Test
    void aColumnNoReachedLeafFeedsIsZeroWithoutItsBase()
    {
        // Target 1 has a weight on leaf 1 only; base values 5, 7.
        final OnnxTreeModel partial = OnnxTreeModel.regressor(2, 1).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false)
            .leaf(0, 1).weight(0, 1, 0, 10).weight(0, 1, 1, 100).leaf(0, 2).weight(0, 2, 0, 20).baseValues(5, 7);
        assertArrayEquals(new float[][]{{25, 0}, {15, 107}, {15, 107}, {25, 0}}, ort(partial, NAN_0_1_2));
        refused(partial, "target 1", "drops the base value");

        final OnnxTreeModel never = stumps(OnnxTreeModel.regressor(2, 1), 3).baseValues(5, 7);
        assertArrayEquals(new float[]{8f, 0f}, ort(never, ONE_ROW)[0]);
        assertMatches(never, ONE_ROW);

        final OnnxTreeModel partialNoBase = OnnxTreeModel.regressor(2, 1)
            .split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false)
            .leaf(0, 1).weight(0, 1, 0, 10).weight(0, 1, 1, 100).leaf(0, 2).weight(0, 2, 0, 20);
        assertMatches(partialNoBase, NAN_0_1_2);
    }

    @Test
    void aSingleOutputUsesOnlyTheFirstWeightOfALeaf()
    {
        final OnnxTreeModel model = OnnxTreeModel.regressor(1, 1).leaf(0, 0).weight(0, 0, 0, 1).weight(0, 0, 0, 2);
        assertArrayEquals(new float[]{1f}, ort(model, ONE_ROW)[0]);
        refused(model, "tree 0 node 0", "two weights for output 0");
        final OnnxTreeModel two = OnnxTreeModel.regressor(2, 1).leaf(0, 0).weight(0, 0, 0, 1).weight(0, 0, 0, 2)
            .weight(0, 0, 1, 3);
        assertArrayEquals(new float[]{3f, 3f}, ort(two, ONE_ROW)[0], "with two outputs both are added");
        refused(two, "tree 0 node 0", "two weights for output 0");
    }

    @Test
    void aSingleOutputLeafWithoutWeightAddsItsNodesValue()
    {
        final OnnxTreeModel model = OnnxTreeModel.regressor(1, 1).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false)
            .leaf(0, 1, 10).leaf(0, 2);
        assertArrayEquals(new float[][]{{0}, {10}, {10}, {0}}, ort(model, NAN_0_1_2), "nodes_values of leaf 2 is 0");
        refused(model, "tree 0 node 2", "leaf without weight");
    }

    @Test
    void weightsOnSplitNodesAreIgnored()
    {
        final OnnxTreeModel model = OnnxTreeModel.regressor(1, 1).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false)
            .weight(0, 0, 0, 1000).leaf(0, 1, 10).leaf(0, 2, 20);
        assertArrayEquals(new float[][]{{20}, {10}, {10}, {20}}, ort(model, NAN_0_1_2));
        assertMatches(model, NAN_0_1_2);
        assertTrue(imported(model).info().containsKey("onnx.ignored_weights"));
    }

    @Test
    void aTreeIsARunOfConsecutiveEntriesRootedAtItsFirst()
    {
        final OnnxTreeModel split = OnnxTreeModel.regressor(1, 1).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false)
            .leaf(1, 0, 100).leaf(0, 1, 10).leaf(0, 2, 20);
        assertArrayEquals(new float[][]{{130}, {120}, {120}, {130}}, ort(split, NAN_0_1_2),
            "the second run of tree 0 is evaluated as a third tree rooted at leaf 1");
        refused(split, "tree 0", "not consecutive");

        final OnnxTreeModel leafFirst = OnnxTreeModel.regressor(1, 1).leaf(0, 1, 10)
            .split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false).leaf(0, 2, 20);
        assertArrayEquals(new float[][]{{10}, {10}, {10}, {10}}, ort(leafFirst, NAN_0_1_2), "root is leaf 1");
        refused(leafFirst, "tree 0 node 0", "not reachable");
    }

    @Test
    void threeClassScoresAreBasePlusSums()
    {
        final OnnxTreeModel model = OnnxTreeModel.classifier(3, 1).baseValues(10, 20, 30);
        model.leaf(0, 0).weight(0, 0, 0, 1).leaf(1, 0).weight(1, 0, 1, 2);
        assertArrayEquals(new float[]{11f, 22f, 30f}, ort(model, ONE_ROW)[0]);
        assertMatches(model, ONE_ROW);
    }

    @Test
    void binaryOneColumnWithNegativeWeightsIsMinusSPlusS()
    {
        final OnnxTreeModel logistic = stumps(OnnxTreeModel.classifier(2, 1), 1, -0.5).baseValues(0.25)
            .postTransform("LOGISTIC");
        assertArrayEquals(new float[]{0.3208213f, 0.6791787f}, ort(logistic, ONE_ROW)[0], "logistic(∓0.75)");
        assertMatches(logistic, ONE_ROW);
        for (final String transform : new String[]{"NONE", "SOFTMAX"})
        {
            final OnnxTreeModel model = stumps(OnnxTreeModel.classifier(2, 1), 1, -0.5).postTransform(transform);
            assertArrayEquals(new float[]{-0.5f, 0.5f}, ort(model, ONE_ROW)[0], transform);
            assertMatches(model, ONE_ROW);
        }
    }

    @Test
    void binaryOneColumnWithoutNegativeWeightsIsOneMinusSAndSWhateverTheTransform()
    {
        final OnnxTreeModel logistic = stumps(OnnxTreeModel.classifier(2, 1), 0.25, 0.125).baseValues(0.5)
            .postTransform("LOGISTIC");
        assertArrayEquals(new float[]{0.125f, 0.875f}, ort(logistic, ONE_ROW)[0]);
        assertMatches(logistic, ONE_ROW);
        final OnnxTreeModel none = stumps(OnnxTreeModel.classifier(2, 1), 0.25, 0.125);
        assertArrayEquals(new float[]{0.625f, 0.375f}, ort(none, ONE_ROW)[0]);
        assertMatches(none, ONE_ROW);
    }

    @Test
    void binaryLayoutsWhereOrtDropsOrIgnoresScores()
    {
        // Class 0 only, two base values: class 1's column is 0, its base dropped.
        final OnnxTreeModel twoBases = stumps(OnnxTreeModel.classifier(2, 1), 1, -0.5).baseValues(3, 5);
        assertArrayEquals(new float[]{3.5f, 0f}, ort(twoBases, ONE_ROW)[0]);
        assertMatches(twoBases, ONE_ROW);
        // Class 1 only: class 0's column is 0, with or without a base value for it.
        for (final double[] base : new double[][]{{}, {3}})
        {
            final OnnxTreeModel model = OnnxTreeModel.classifier(2, 1).leaf(0, 0).weight(0, 0, 1, 1.5).leaf(1, 0)
                .weight(1, 0, 1, -0.25);
            if (base.length > 0)
            {
                model.baseValues(base);
            }
            assertArrayEquals(new float[]{0f, 1.25f}, ort(model, ONE_ROW)[0], base.length + " base values");
            assertMatches(model, ONE_ROW);
        }
        // Class 1 only, two base values: ORT outputs [-b1, b1] and ignores the trees.
        final OnnxTreeModel ignored = OnnxTreeModel.classifier(2, 1).leaf(0, 0).weight(0, 0, 1, 1.5).leaf(1, 0)
            .weight(1, 0, 1, -0.25).baseValues(3, 5);
        assertArrayEquals(new float[]{0f, 5f}, ort(ignored, ONE_ROW)[0]);
        refused(ignored, "base_values", "ignores class 1's trees");
        // Both classes on every leaf: two columns; with two base values class 1 becomes b1 + s0.
        final OnnxTreeModel both = OnnxTreeModel.classifier(2, 1).leaf(0, 0).weight(0, 0, 0, 1.5)
            .weight(0, 0, 1, -0.25);
        assertArrayEquals(new float[]{1.5f, -0.25f}, ort(both, ONE_ROW)[0]);
        assertMatches(both, ONE_ROW);
        both.baseValues(3);
        assertArrayEquals(new float[]{4.5f, -0.25f}, ort(both, ONE_ROW)[0]);
        assertMatches(both, ONE_ROW);
        both.baseValues(3, 5);
        assertArrayEquals(new float[]{-6.5f, 6.5f}, ort(both, ONE_ROW)[0]);
        refused(both, "base_values", "ignores class 1's trees");
    }

    @Test
    void ortRefusesWhatTheImporterRefuses()
    {
        final OnnxTreeModel classifierAverage = stumps(OnnxTreeModel.classifier(3, 1), 1).aggregate("AVERAGE");
        ortRefuses(classifierAverage, "Unrecognized attribute: aggregate_function");
        refused(classifierAverage, "attribute aggregate_function", "not an attribute of TreeEnsembleClassifier");

        final OnnxTreeModel doubleTensorsFloatInput = stumps(OnnxTreeModel.regressor(1, 1), 1.5)
            .encoding(OnnxTreeModel.Encoding.DOUBLE_TENSORS);
        ortRefuses(doubleTensorsFloatInput, "nodes_values_as_tensor");
        refused(doubleTensorsFloatInput, "_as_tensor", "needs a float (1) tensor");

        final OnnxTreeModel floatTensorsDoubleInput = stumps(OnnxTreeModel.regressor(1, 1), 1.5)
            .encoding(OnnxTreeModel.Encoding.FLOAT_TENSORS).inputType(OnnxTreeModel.InputType.DOUBLE);
        ortRefuses(floatTensorsDoubleInput, "nodes_values_as_tensor");
        refused(floatTensorsDoubleInput, "_as_tensor", "needs a double (11) tensor");

        final OnnxTreeModel tensorsAtOpset1 = stumps(OnnxTreeModel.regressor(1, 1), 1.5)
            .encoding(OnnxTreeModel.Encoding.FLOAT_TENSORS).mlOpset(1);
        ortRefuses(tensorsAtOpset1, "Unrecognized attribute");
        refused(tensorsAtOpset1, "_as_tensor", "need ai.onnx.ml opset 3");

        final OnnxTreeModel opset5 = stumps(OnnxTreeModel.regressor(1, 1), 1.5).mlOpset(5);
        ortRefuses(opset5, "deprecated");
        refused(opset5, "opset_import", "opset 5 is not supported");

        final OnnxTreeModel opset4 = stumps(OnnxTreeModel.regressor(1, 1), 1.5).mlOpset(4);
        assertArrayEquals(new float[]{1.5f}, ort(opset4, ONE_ROW)[0], "opset 4 is accepted");
        assertMatches(opset4, ONE_ROW);
    }

    @Test
    void multiThreadedSessionsSumTreesInAnotherOrder()
    {
        // With 2 intra-op threads and more than 50 rows, ORT gives each thread half of the trees and adds the two
        // partial sums: float rounding differs from the one-thread sum the import reproduces.
        final OnnxTreeModel model = OnnxTreeModel.regressor(1, 1);
        final Random random = new Random(3);
        for (int t = 0; t < 16; t++)
        {
            model.split(t, 0, "BRANCH_LEQ", 0, random.nextGaussian(), 1, 2, false)
                .leaf(t, 1, (float)(random.nextGaussian() * Math.pow(10, random.nextInt(6))))
                .leaf(t, 2, (float)(random.nextGaussian() * Math.pow(10, random.nextInt(6))));
        }
        final float[][] rows = new float[2000][1];
        for (final float[] row : rows)
        {
            row[0] = (float)random.nextGaussian();
        }
        final float[][] single;
        final float[][] multi;
        try (OrtModel one = new OrtModel(model.toBytes(), 1); OrtModel two = new OrtModel(model.toBytes(), 2))
        {
            single = one.run(rows, model.graphScoreOutput());
            multi = two.run(rows, model.graphScoreOutput());
        }
        final TreeEnsemble ensemble = imported(model);
        final double[] out = new double[1];
        int differ = 0;
        for (int r = 0; r < rows.length; r++)
        {
            ensemble.predict(new double[]{rows[r][0]}, out);
            assertEquals(Float.floatToIntBits(single[r][0]), Float.floatToIntBits((float)out[0]), "row " + r);
            differ += single[r][0] != multi[r][0] ? 1 : 0;
        }
        assertTrue(differ > 0, "2 threads round differently on some rows");
    }

    @Test
    void subnormalsAndSignedZerosAreComparedAsIeeeFloats()
    {
        // No flush-to-zero: MIN_VALUE <= MIN_VALUE, 0 < MIN_VALUE, -0 == 0.
        final float[][] rows = {{0f}, {-0f}, {Float.MIN_VALUE}, {-Float.MIN_VALUE}, {2 * Float.MIN_VALUE}};
        final OnnxTreeModel subnormal = OnnxTreeModel.regressor(1, 1)
            .split(0, 0, "BRANCH_LT", 0, Float.MIN_VALUE, 1, 2, false).leaf(0, 1, 10).leaf(0, 2, 20);
        assertArrayEquals(new float[][]{{10}, {10}, {20}, {10}, {20}}, ort(subnormal, rows));
        assertMatches(subnormal, rows);
        final OnnxTreeModel minusZero = OnnxTreeModel.regressor(1, 1)
            .split(0, 0, "BRANCH_LT", 0, -0.0, 1, 2, false).leaf(0, 1, 10).leaf(0, 2, 20);
        assertArrayEquals(new float[][]{{20}, {20}, {20}, {10}, {20}}, ort(minusZero, rows));
        assertMatches(minusZero, rows);
    }

    @Test
    void logisticOfNegativeMarginsKeepsOrtsCancellation()
    {
        // 4096 margins in [-40, 40] (and -1.5301697, where glibc's expf is one ulp high): ORT's 1 - v is matched
        // within OnnxFidelity's stated tolerance, and bit for bit on almost all of them.
        final Random random = new Random(5);
        final int n = 4096;
        final double[][] leaves = new double[n][];
        final float[][] rows = new float[n][];
        for (int k = 0; k < n; k++)
        {
            final float m = k == 0 ? -1.5301697f : (float)((random.nextDouble() * 2 - 1) * (k % 3 == 0 ? 40 : 8));
            leaves[k] = new double[]{m, -m};
            rows[k] = new float[]{k};
        }
        final OnnxTreeModel model = staircase(OnnxTreeModel.regressor(2, 1), leaves).postTransform("LOGISTIC");
        assertEquals(0f, TreeEnsemble.onnxLogistic(-40f), "1 - v cancels to 0");
        final OnnxFidelity.Fixture fixture = OnnxFidelity.fixture("logistic", model, widen(rows));
        final OnnxFidelity.Report report = OnnxFidelity.assertMatchesOrt(fixture, OnnxFidelity.reference(fixture));
        assertTrue(report.exact() >= report.values() - 16, report.toString());
        System.out.println("ONNX_LOGISTIC against ORT on " + n + " margins and their negations: " + report);
    }

    @Test
    void stringClassLabelsCountClasses()
    {
        final OnnxMl.ModelProto proto = OnnxTreeModel.classifier(3, 1).leaf(0, 0).weight(0, 0, 0, 1)
            .weight(0, 0, 2, 3).postTransform("SOFTMAX").toProto();
        final OnnxMl.NodeProto.Builder node = proto.getGraph().getNode(0).toBuilder();
        for (int a = 0; a < node.getAttributeCount(); a++)
        {
            if (node.getAttribute(a).getName().equals("classlabels_int64s"))
            {
                node.setAttribute(a, OnnxMl.AttributeProto.newBuilder().setName("classlabels_strings")
                    .setType(OnnxMl.AttributeProto.AttributeType.STRINGS).addStrings(ByteString.copyFromUtf8("a"))
                    .addStrings(ByteString.copyFromUtf8("b")).addStrings(ByteString.copyFromUtf8("c")));
            }
        }
        final OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder().setNode(0, node);
        graph.setOutput(0, graph.getOutput(0).toBuilder().setType(OnnxMl.TypeProto.newBuilder().setTensorType(
            graph.getOutput(0).getType().getTensorType().toBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.STRING_VALUE))));
        final byte[] bytes = proto.toBuilder().setGraph(graph).build().toByteArray();
        final float[] ortRow;
        try (OrtModel ort = new OrtModel(bytes))
        {
            ortRow = ort.run(ONE_ROW, "probabilities")[0];
        }
        final TreeEnsemble ensemble = OnnxTreeImporter.read(new ByteArrayInputStream(bytes), "strings.onnx");
        final double[] out = new double[3];
        ensemble.predict(new double[]{0}, out);
        assertArrayEquals(ortRow, new float[]{(float)out[0], (float)out[1], (float)out[2]});
    }

    @Test
    void aClass1WeightOnASplitNodeMakesABinaryModelNotTheBinaryCase()
    {
        // ORT's binary case needs a single class id among all weights, ignored ones included: here positive
        // weights give [-s, s], not [1 - s, s].
        final OnnxTreeModel model = OnnxTreeModel.classifier(2, 1).split(0, 0, "BRANCH_LEQ", 0, 1, 1, 2, false)
            .weight(0, 0, 1, 0.5).leaf(0, 1).weight(0, 1, 0, 0.25).leaf(0, 2).weight(0, 2, 0, 0.125);
        assertArrayEquals(new float[][]{{-0.125f, 0.125f}, {-0.25f, 0.25f}, {-0.25f, 0.25f}, {-0.125f, 0.125f}},
            ort(model, NAN_0_1_2));
        assertMatches(model, NAN_0_1_2);
    }

    @Test
    void anExactlyCancellingOneColumnScoreIsMinusZeroInOrt()
    {
        // ORT writes -s; the import sums the negated leaves, which cancels to +0.0: equal values, different sign
        // bits, the one exception OnnxFidelity's bit comparison allows.
        final OnnxTreeModel model = stumps(OnnxTreeModel.classifier(2, 1), 0.5, -0.5);
        final float[] out = ort(model, ONE_ROW)[0];
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(out[0]));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(out[1]));
        final double[] predicted = new double[2];
        imported(model).predict(new double[]{0}, predicted);
        assertEquals(0.0, predicted[0]);
        assertMatches(model, ONE_ROW);
    }

    /** A tree over feature 0 whose leaf k (inputs in (k - 0.5, k + 0.5]) has the given weight per target. */
    private static OnnxTreeModel staircase(final OnnxTreeModel model, final double[][] leaves)
    {
        final long[] next = {0};
        staircase(model, 0, leaves.length - 1, next, leaves);
        return model;
    }

    private static long staircase(
        final OnnxTreeModel model,
        final int lo,
        final int hi,
        final long[] next,
        final double[][] leaves)
    {
        final long id = next[0]++;
        if (lo == hi)
        {
            model.leaf(0, id);
            for (int t = 0; t < leaves[lo].length; t++)
            {
                model.weight(0, id, t, leaves[lo][t]);
            }
            return id;
        }
        final int mid = (lo + hi) / 2;
        model.split(0, id, "BRANCH_LEQ", 0, mid + 0.5, id + 1, -1, false);
        staircase(model, lo, mid, next, leaves);
        model.patchFalse(id, staircase(model, mid + 1, hi, next, leaves));
        return id;
    }

    private static OnnxTreeModel stumps(final OnnxTreeModel model, final double... leaves)
    {
        for (int t = 0; t < leaves.length; t++)
        {
            model.leaf(t, 0, leaves[t]);
        }
        return model;
    }

    private static float[][] ort(final OnnxTreeModel model, final float[][] rows)
    {
        try (OrtModel ort = new OrtModel(model.toBytes()))
        {
            if (model.inputType() == OnnxTreeModel.InputType.DOUBLE)
            {
                return ort.run(widen(rows), model.graphScoreOutput());
            }
            return ort.run(rows, model.graphScoreOutput());
        }
    }

    private static void ortRefuses(final OnnxTreeModel model, final String message)
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> ort(model, ONE_ROW));
        assertTrue(ex.getMessage().contains(message), ex.getMessage());
    }

    private static TreeEnsemble imported(final OnnxTreeModel model)
    {
        return OnnxTreeImporter.read(new ByteArrayInputStream(model.toBytes()), "model.onnx");
    }

    private static void refused(final OnnxTreeModel model, final String where, final String reason)
    {
        final ModelImportException ex = assertThrows(ModelImportException.class, () -> imported(model));
        assertTrue(ex.where().contains(where), ex.getMessage());
        assertTrue(ex.getMessage().contains(reason), ex.getMessage());
    }

    private static void assertMatches(final OnnxTreeModel model, final float[][] rows)
    {
        final OnnxFidelity.Fixture fixture = OnnxFidelity.fixture("model", model, widen(rows));
        OnnxFidelity.assertMatchesOrt(fixture, OnnxFidelity.reference(fixture));
    }

    private static double[][] widen(final float[][] rows)
    {
        final double[][] wide = new double[rows.length][];
        for (int r = 0; r < rows.length; r++)
        {
            wide[r] = new double[rows[r].length];
            for (int f = 0; f < rows[r].length; f++)
            {
                wide[r][f] = rows[r][f];
            }
        }
        return wide;
    }
}
