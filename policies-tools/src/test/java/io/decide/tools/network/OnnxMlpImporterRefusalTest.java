package io.decide.tools.network;

import io.decide.engine.network.DenseNetworkContext;
import io.decide.engine.network.DenseNetworkEvaluator;
import io.decide.engine.network.OnnxRuntimeNetwork;
import io.decide.tools.gbdt.ModelImportException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.decide.tools.network.OnnxModelBuilder.floatAttribute;
import static io.decide.tools.network.OnnxModelBuilder.intAttribute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the ONNX MLP importer refuses, each with a message naming the node and operator (or the graph value), and
 * the less common graphs it accepts (a head reading a slice of an activated layer, alpha/beta, scalar bias).
 */
class OnnxMlpImporterRefusalTest
{
    private static void refused(final OnnxModelBuilder model, final String... fragments)
    {
        final ModelImportException ex = assertThrows(ModelImportException.class,
            () -> OnnxMlpImporter.read(model.toBytes(), "m.onnx"));
        for (final String fragment : fragments)
        {
            assertTrue(ex.getMessage().contains(fragment), () -> "'" + ex.getMessage() + "' lacks '" + fragment + "'");
        }
        assertTrue(ex.getMessage().startsWith("m.onnx: "), ex.getMessage());
    }

    /** x [N, 4] -> Gemm 'Gemm_0' (3 units) -> value "h". */
    private static OnnxModelBuilder base()
    {
        return new OnnxModelBuilder("x", 4)
            .initializer("W", new float[12], 4, 3)
            .initializer("b", new float[3], 3)
            .node("Gemm", new String[]{"x", "W", "b"}, new String[]{"h"});
    }

    @Test
    void refusesUnsupportedOperatorsNamingTheNode()
    {
        refused(base().node("Softmax", new String[]{"h"}, new String[]{"y"}).output("y", 3),
            "node 'Softmax_1' (Softmax)", "operator Softmax is not supported", "supported: Gemm, MatMul");
        refused(base().node("LeakyRelu", new String[]{"h"}, new String[]{"y"}).output("y", 3),
            "node 'LeakyRelu_1' (LeakyRelu)", "operator LeakyRelu is not supported");
    }

    @Test
    void refusesShapeMismatches()
    {
        refused(new OnnxModelBuilder("x", 5).initializer("W", new float[12], 4, 3)
                .node("MatMul", new String[]{"x", "W"}, new String[]{"y"}).output("y", 3),
            "node 'MatMul_0' (MatMul)", "shape mismatch: the weights take 4 inputs, input 'x' has width 5");
        refused(base().output("h", 4), "graph output 'h'", "shape mismatch: declared width 4, the graph computes 3");
        refused(new OnnxModelBuilder("x", 4).initializer("W", new float[12], 4, 3).initializer("b", new float[2], 2)
                .node("Gemm", new String[]{"x", "W", "b"}, new String[]{"h"}).output("h", 3),
            "node 'Gemm_0' (Gemm)", "shape mismatch: bias 'b' has shape [2]");
        refused(new OnnxModelBuilder("x", 4).initializer("W", new float[10], 4, 3)
                .node("MatMul", new String[]{"x", "W"}, new String[]{"h"}).output("h", 3),
            "initializer 'W' holds 10 values, its shape [4, 3] needs 12");
        refused(base().int64s("sizes", 1, 1).node("Split", new String[]{"h", "sizes"}, new String[]{"a", "b2"},
                intAttribute("axis", 1)).output("a", 1).output("b2", 1),
            "node 'Split_1' (Split)", "shape mismatch: split sizes [1, 1] for 2 outputs of a width-3 value");
    }

    @Test
    void refusesWhatTheSectionCannotExpress()
    {
        refused(base().initializer("W2", new float[9], 3, 3)
                .node("MatMul", new String[]{"h", "W2"}, new String[]{"g"})
                .node("Add", new String[]{"g", "h"}, new String[]{"y"}).output("y", 3),
            "node 'Add_2' (Add)", "adds two computed values");
        refused(new OnnxModelBuilder("x", 4).node("Relu", new String[]{"x"}, new String[]{"y"}).output("y", 4),
            "node 'Relu_0' (Relu)", "input 'x' is not the output of a dense layer");
        refused(base().node("Sigmoid", new String[]{"h"}, new String[]{"y"}).output("y", 3).output("h", 3),
            "node 'Sigmoid_1' (Sigmoid)", "only this node reads");
        refused(base().node("Relu", new String[]{"h"}, new String[]{"r"})
                .node("Tanh", new String[]{"r"}, new String[]{"y"}).output("y", 3),
            "node 'Tanh_2' (Tanh)");
        refused(base().initializer("b2", new float[3], 3).node("Add", new String[]{"h", "b2"}, new String[]{"y"})
                .output("y", 3), "node 'Add_1' (Add)", "adds a bias to 'h'");
        refused(base().initializer("W2", new float[12], 4, 3)
                .node("MatMul", new String[]{"x", "W2"}, new String[]{"g"})
                .node("Concat", new String[]{"h", "g"}, new String[]{"c"}, intAttribute("axis", 1))
                .initializer("W3", new float[6], 6, 1)
                .node("MatMul", new String[]{"c", "W3"}, new String[]{"y"}).output("y", 1),
            "node 'MatMul_3' (MatMul)", "joins 2 layers (Concat)");
        refused(base().node("Concat", new String[]{"h", "h"}, new String[]{"c"}, intAttribute("axis", 0))
            .output("c", 6), "node 'Concat_1' (Concat)", "axis 0, expected 1");
        refused(base().node("Gemm", new String[]{"h", "W", "b"}, new String[]{"y"}, intAttribute("transA", 1))
            .output("y", 3), "node 'Gemm_1' (Gemm)", "transA = 1 is not supported");
        refused(base().node("Gemm", new String[]{"x", "h"}, new String[]{"y"}).output("y", 3),
            "node 'Gemm_1' (Gemm)", "input 1 'h' is not an initializer");
        refused(new OnnxModelBuilder("x", 4).output("x", 4), "graph output 'x'", "is the graph input itself");
        refused(base().int64s("s", 0).int64s("e", 3).int64s("a", 1).int64s("st", 2)
                .node("Slice", new String[]{"h", "s", "e", "a", "st"}, new String[]{"y"}).output("y", 2),
            "node 'Slice_1' (Slice)", "step 2, expected 1");
        refused(base().output("missing", 3), "graph output 'missing'", "no node produces it");
    }

    @Test
    void refusesOtherInputsAndDomains() throws Exception
    {
        final ModelImportException garbage = assertThrows(ModelImportException.class,
            () -> OnnxMlpImporter.read(new byte[]{(byte)0xFF, (byte)0xFF, (byte)0xFF}, "m.onnx"));
        assertTrue(garbage.getMessage().contains("not an ONNX ModelProto"), garbage.getMessage());
        final ai.onnx.proto.OnnxMl.ModelProto.Builder two =
            ai.onnx.proto.OnnxMl.ModelProto.parseFrom(base().output("h", 3).toBytes()).toBuilder();
        two.getGraphBuilder().addInput(ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder().setName("z"));
        final ModelImportException inputs = assertThrows(ModelImportException.class,
            () -> OnnxMlpImporter.read(two.build().toByteArray(), "m.onnx"));
        assertTrue(inputs.getMessage().contains("2 graph inputs, expected 1"), inputs.getMessage());
        final ai.onnx.proto.OnnxMl.ModelProto.Builder model =
            ai.onnx.proto.OnnxMl.ModelProto.parseFrom(base().output("h", 3).toBytes()).toBuilder();
        model.getGraphBuilder().getNodeBuilder(0).setDomain("com.microsoft");
        final ModelImportException domain = assertThrows(ModelImportException.class,
            () -> OnnxMlpImporter.read(model.build().toByteArray(), "m.onnx"));
        assertTrue(domain.getMessage().contains("node 'Gemm_0' (Gemm): operator domain 'com.microsoft'"),
            domain.getMessage());
    }

    @Test
    void acceptsSlicesOfActivatedLayersAlphaBetaAndScalarBiasesAndMatchesOnnxRuntime()
    {
        final SplittableRandom random = new SplittableRandom(9);
        final float[] w1 = new float[6 * 8];
        final float[] w2 = new float[5 * 2];
        final float[] w3 = new float[8 * 3];
        for (final float[] w : new float[][]{w1, w2, w3})
        {
            for (int i = 0; i < w.length; i++)
            {
                w[i] = (float)random.nextGaussian() * 0.4f;
            }
        }
        final OnnxModelBuilder b = new OnnxModelBuilder("x", 6)
            .initializer("W1", w1, 6, 8).initializer("b1", new float[]{0.125f}, 1)
            .node("Gemm", new String[]{"x", "W1", "b1"}, new String[]{"l1"}, floatAttribute("alpha", 0.5f),
                floatAttribute("beta", 2f))
            .node("Relu", new String[]{"l1"}, new String[]{"r1"})
            .int64s("s", 2).int64s("e", 7).int64s("a", -1)
            .node("Slice", new String[]{"r1", "s", "e", "a"}, new String[]{"mid"})
            .initializer("W2", w2, 5, 2)
            .node("MatMul", new String[]{"mid", "W2"}, new String[]{"m2"})
            .node("Tanh", new String[]{"m2"}, new String[]{"y1"})
            .initializer("W3", w3, 8, 3)
            .node("MatMul", new String[]{"r1", "W3"}, new String[]{"y2"})
            .output("y1", 2).output("y2", 3).output("r1", 8);
        final ImportedNetwork network = OnnxMlpImporter.read(b.toBytes(), "m.onnx");
        assertEquals(13, network.outputCount());
        assertEquals(java.util.List.of("y1", "y2", "r1"), network.outputNames());
        final DenseNetworkEvaluator evaluator = DenseNetworkEvaluator.read(new UnsafeBuffer(network.section()), 0);
        final DenseNetworkContext context = evaluator.newContext();
        try (OnnxRuntimeNetwork ort = OnnxRuntimeNetwork.open(b.toBytes(), "m.onnx"))
        {
            final double[] expected = new double[13];
            final double[] actual = new double[13];
            final double[] row = new double[6];
            for (int r = 0; r < 2000; r++)
            {
                for (int i = 0; i < 6; i++)
                {
                    row[i] = random.nextGaussian();
                }
                ort.evaluate(row, expected);
                evaluator.evaluate(row, actual, context);
                for (int o = 0; o < 13; o++)
                {
                    assertEquals(expected[o], actual[o], OnnxMlpFidelityTest.TOLERANCE, "row " + r + " output " + o);
                }
            }
        }
    }
}
