package io.decide.engine.network;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.SectionType;
import io.decide.format.network.DenseNetworkDescriptor;
import io.decide.format.network.DenseNetworkFlyweight;
import io.decide.format.vectors.VectorEvaluator;
import org.agrona.DirectBuffer;

/**
 * Evaluates a validated DENSE_NETWORK section with no allocation, exactly as {@link DenseNetworkDescriptor} defines:
 * float32 arithmetic, each output unit accumulated from its bias over the input units in index order, no fused
 * multiply-add. Thread-safe; each thread passes its own {@link DenseNetworkContext}.
 * <p>
 * Weights are copied at load into one float array per input unit (row {@code W[i][*]}), so a layer is computed as
 * passes over rows, four input units per pass, every array indexed by the same {@code j}:
 * {@code y[j] = (((y[j] + x[i] W[i][j]) + x[i+1] W[i+1][j]) + x[i+2] W[i+2][j]) + x[i+3] W[i+3][j]}, so every unit
 * still sums in input order (the defined rounding, the same bits as one row per pass) while {@code y} is loaded and
 * stored once per four rows; the inner loop over {@code j} has no dependency between iterations, so the JIT can
 * vectorise it.
 */
public final class DenseNetworkEvaluator
{
    /** Verification-vector mode: all network outputs, input width = input size, output width = output count. */
    public static final int MODE_OUTPUTS = 0;

    private final int inputSize;
    private final int outputCount;
    private final int[] source;
    private final int[] inputWidth;
    private final int[] outputWidth;
    private final int[] activation;
    private final float[][][] weights;
    private final float[][] bias;
    private final int[] headLayer;
    private final int[] headStart;
    private final int[] headCount;

    private DenseNetworkEvaluator(final DirectBuffer buffer, final int offset)
    {
        final DenseNetworkFlyweight n = new DenseNetworkFlyweight().wrap(buffer, offset);
        this.inputSize = n.inputSize();
        this.outputCount = n.outputCount();
        final int layers = n.layerCount();
        source = new int[layers];
        inputWidth = new int[layers];
        outputWidth = new int[layers];
        activation = new int[layers];
        weights = new float[layers][][];
        bias = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            source[l] = n.source(l);
            final int k = n.inputWidth(l);
            final int w = n.outputWidth(l);
            inputWidth[l] = k;
            outputWidth[l] = w;
            activation[l] = n.activation(l);
            final float[][] wl = new float[k][w];
            final float[] bl = new float[w];
            final int at = offset + n.parametersOffset(l);
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < w; j++)
                {
                    wl[i][j] = buffer.getFloat(at + 4 * (i * w + j), java.nio.ByteOrder.LITTLE_ENDIAN);
                }
            }
            for (int j = 0; j < w; j++)
            {
                bl[j] = buffer.getFloat(at + 4 * (k * w + j), java.nio.ByteOrder.LITTLE_ENDIAN);
            }
            weights[l] = wl;
            bias[l] = bl;
        }
        final int heads = n.headCount();
        headLayer = new int[heads];
        headStart = new int[heads];
        headCount = new int[heads];
        for (int h = 0; h < heads; h++)
        {
            headLayer[h] = n.headLayer(h);
            headStart[h] = n.headStart(h);
            headCount[h] = n.headCount(h);
        }
    }

    /**
     * Build an evaluator from a section that {@code DenseNetworkValidator} has accepted (tools that read a section
     * outside the registry). Load-time only.
     *
     * @param buffer artifact bytes.
     * @param offset file offset of the validated section.
     * @return the evaluator.
     */
    public static DenseNetworkEvaluator read(final DirectBuffer buffer, final int offset)
    {
        return new DenseNetworkEvaluator(buffer, offset);
    }

    /**
     * The evaluator of {@code DENSE_NETWORK #ordinal} of a loaded artifact, built once and kept with the artifact.
     *
     * @param artifact a loaded (validated) artifact.
     * @param ordinal  which DENSE_NETWORK section.
     * @return the evaluator.
     * @throws IllegalArgumentException when the artifact has no such section.
     */
    public static DenseNetworkEvaluator of(final LoadedArtifact artifact, final int ordinal)
    {
        final int index = artifact.layout().indexOf(SectionType.DENSE_NETWORK, ordinal);
        if (index < 0)
        {
            throw new IllegalArgumentException(artifact + " has no DENSE_NETWORK #" + ordinal);
        }
        return artifact.attachment(index, DenseNetworkEvaluator.class,
            a -> new DenseNetworkEvaluator(a.buffer(), a.layout().sectionOffset(index)));
    }

    /**
     * Verification-vector evaluator for DENSE_NETWORK sections ({@link #MODE_OUTPUTS}).
     *
     * @param artifact     artifact being loaded.
     * @param sectionIndex table index of the DENSE_NETWORK section.
     * @return an evaluator for replay.
     */
    public static VectorEvaluator verificationEvaluator(final LoadedArtifact artifact, final int sectionIndex)
    {
        final DenseNetworkEvaluator evaluator = of(artifact, artifact.layout().sectionOrdinal(sectionIndex));
        final DenseNetworkContext context = evaluator.newContext();
        return (mode, input, output) ->
        {
            if (mode == MODE_OUTPUTS && input.length == evaluator.inputSize && output.length == evaluator.outputCount)
            {
                evaluator.evaluate(input, output, context);
            }
        };
    }

    /** @return a new per-thread context. */
    public DenseNetworkContext newContext()
    {
        return new DenseNetworkContext(inputSize, outputWidth);
    }

    /** @return input size n: the length of a row. */
    public int inputSize()
    {
        return inputSize;
    }

    /** @return output count m: how many values {@code evaluate} writes. */
    public int outputCount()
    {
        return outputCount;
    }

    /**
     * Evaluate one row; the values are rounded to float first, as the network's input is float32.
     *
     * @param row     at least {@link #inputSize()} values.
     * @param out     receives {@link #outputCount()} outputs from index 0.
     * @param context this thread's context.
     */
    public void evaluate(final double[] row, final double[] out, final DenseNetworkContext context)
    {
        final float[] input = context.input;
        final int n = inputSize;
        for (int i = 0; i < n; i++)
        {
            input[i] = (float)row[i];
        }
        run(context);
        heads(out, context);
    }

    /**
     * Evaluate one float row.
     *
     * @param row     at least {@link #inputSize()} values.
     * @param out     receives {@link #outputCount()} outputs from index 0.
     * @param context this thread's context.
     */
    public void evaluate(final float[] row, final double[] out, final DenseNetworkContext context)
    {
        System.arraycopy(row, 0, context.input, 0, inputSize);
        run(context);
        heads(out, context);
    }

    private void run(final DenseNetworkContext context)
    {
        final float[][] outputs = context.layers;
        final int layers = outputs.length;
        for (int l = 0; l < layers; l++)
        {
            final int from = source[l];
            final float[] x = from < 0 ? context.input : outputs[from];
            final float[] y = outputs[l];
            final float[][] wl = weights[l];
            final int k = inputWidth[l];
            final int w = outputWidth[l];
            System.arraycopy(bias[l], 0, y, 0, w);
            int i = 0;
            for (; i + 3 < k; i += 4)
            {
                final float x0 = x[i];
                final float x1 = x[i + 1];
                final float x2 = x[i + 2];
                final float x3 = x[i + 3];
                final float[] w0 = wl[i];
                final float[] w1 = wl[i + 1];
                final float[] w2 = wl[i + 2];
                final float[] w3 = wl[i + 3];
                for (int j = 0; j < w; j++)
                {
                    y[j] = (((y[j] + x0 * w0[j]) + x1 * w1[j]) + x2 * w2[j]) + x3 * w3[j];
                }
            }
            for (; i < k; i++)
            {
                final float xi = x[i];
                final float[] wi = wl[i];
                for (int j = 0; j < w; j++)
                {
                    y[j] += xi * wi[j];
                }
            }
            activate(activation[l], y, w);
        }
    }

    private static void activate(final int activation, final float[] y, final int w)
    {
        switch (activation)
        {
            case DenseNetworkDescriptor.RELU:
                for (int j = 0; j < w; j++)
                {
                    y[j] = Math.max(y[j], 0f);
                }
                break;
            case DenseNetworkDescriptor.SIGMOID:
                for (int j = 0; j < w; j++)
                {
                    y[j] = (float)(1.0 / (1.0 + Math.exp(-(double)y[j])));
                }
                break;
            case DenseNetworkDescriptor.TANH:
                for (int j = 0; j < w; j++)
                {
                    y[j] = (float)Math.tanh(y[j]);
                }
                break;
            default:
                break;
        }
    }

    private void heads(final double[] out, final DenseNetworkContext context)
    {
        final float[][] outputs = context.layers;
        int o = 0;
        for (int h = 0; h < headLayer.length; h++)
        {
            final float[] y = outputs[headLayer[h]];
            final int end = headStart[h] + headCount[h];
            for (int j = headStart[h]; j < end; j++)
            {
                out[o++] = y[j];
            }
        }
    }
}
