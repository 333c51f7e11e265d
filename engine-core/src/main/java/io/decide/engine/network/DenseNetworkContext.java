package io.decide.engine.network;

/**
 * Per-thread scratch for a {@link DenseNetworkEvaluator}: the input rounded to float and every layer's outputs.
 * Create one per thread with {@link DenseNetworkEvaluator#newContext()} and reuse it; it is not thread-safe.
 */
public final class DenseNetworkContext
{
    final float[] input;
    final float[][] layers;

    DenseNetworkContext(final int inputSize, final int[] widths)
    {
        this.input = new float[inputSize];
        this.layers = new float[widths.length][];
        for (int l = 0; l < widths.length; l++)
        {
            layers[l] = new float[widths[l]];
        }
    }
}
