package io.decide.format.gbdt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ONNX Runtime transforms of {@link TreeEnsemble}: float arithmetic in ORT's order, whatever the precision.
 * Expected values are ONNX Runtime 1.22's own outputs for the same margins.
 */
class OnnxTransformTest
{
    @Test
    void logisticIsComputedInFloatWithOrtsCancellation()
    {
        assertEquals(0.880797f, TreeEnsemble.onnxLogistic(2f));
        assertEquals(0.11920297f, TreeEnsemble.onnxLogistic(-2f));
        assertEquals(0.6791787f, TreeEnsemble.onnxLogistic(0.75f));
        assertEquals(0.3208213f, TreeEnsemble.onnxLogistic(-0.75f));
        assertEquals(0.5f, TreeEnsemble.onnxLogistic(0f));
        // 1 - v with v rounded to 1f: ORT outputs 0 where the true sigmoid is 4.2e-18.
        assertEquals(0f, TreeEnsemble.onnxLogistic(-40f));
        assertEquals(1f, TreeEnsemble.onnxLogistic(40f));
    }

    @Test
    void expfIsCorrectlyRounded()
    {
        // exp(-1.5301697f) = 0.216498918828..., just below the midpoint 0.216498918831...: rounds down.
        assertEquals(0.21649891f, TreeEnsemble.expf(-1.5301697f));
        assertEquals(Float.floatToIntBits(0.21649891138076782f), Float.floatToIntBits(TreeEnsemble.expf(-1.5301697f)));
    }

    @Test
    void transformsRoundMarginsToFloatInBothPrecisions()
    {
        for (final Precision precision : Precision.values())
        {
            final TreeEnsemble logistic = stumps(precision, OutputTransform.ONNX_LOGISTIC, 2.0, -2.0);
            final double[] out = new double[2];
            logistic.predict(new double[]{0}, out);
            assertEquals(0.880797f, (float)out[0], precision.name());
            assertEquals(0.11920297f, (float)out[1], precision.name());
            assertEquals((double)(float)out[0], out[0], "a float value");

            final TreeEnsemble softmax = stumps(precision, OutputTransform.ONNX_SOFTMAX, 1.0, 2.0);
            softmax.predict(new double[]{0}, out);
            final float e = TreeEnsemble.expf(-1f);
            assertEquals(e / (e + 1f), (float)out[0], precision.name());
            assertEquals(1f / (e + 1f), (float)out[1], precision.name());
            assertEquals((double)(float)out[1], out[1], "a float value");
        }
    }

    private static TreeEnsemble stumps(final Precision precision, final OutputTransform transform, final double... leaf)
    {
        final TreeEnsemble.Builder builder = TreeEnsemble.builder().featureCount(1).outputCount(leaf.length)
            .precision(precision).transform(transform).baseScores(new double[leaf.length]).baseScoreAfterTrees(true);
        for (int g = 0; g < leaf.length; g++)
        {
            builder.addTree(new Tree(g, 1.0, new int[]{-1}, new int[]{-1}, new int[1], new double[1], new boolean[1],
                new MissingRule[1], new int[1][], new double[]{leaf[g]}));
        }
        return builder.build();
    }
}
