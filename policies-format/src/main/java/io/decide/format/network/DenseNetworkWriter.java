package io.decide.format.network;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static io.decide.format.network.DenseNetworkDescriptor.*;

/**
 * Builds the bytes of a DENSE_NETWORK section; see {@link DenseNetworkDescriptor}. Arguments are checked here with
 * the same rules {@link DenseNetworkValidator} applies, so a writer never produces a section the engine refuses.
 * <pre>{@code
 * DenseNetworkWriter w = new DenseNetworkWriter(64);
 * int h1 = w.addLayer(SOURCE_INPUT, 256, RELU, w1, b1);   // shared trunk
 * int h2 = w.addLayer(h1, 128, RELU, w2, b2);
 * for (int q = 0; q < 4; q++) { w.addHead(w.addLayer(h2, 1, SIGMOID, wq[q], bq[q]), 0, 1); }
 * byte[] section = w.toBytes();
 * }</pre>
 */
public final class DenseNetworkWriter
{
    private final int inputSize;
    private final List<Layer> layers = new ArrayList<>();
    private final List<int[]> heads = new ArrayList<>();
    private int outputCount;

    private record Layer(int source, int inputWidth, int outputWidth, int activation, float[] weights, float[] bias)
    {
    }

    /**
     * @param inputSize network input size n, 1..{@link DenseNetworkDescriptor#MAX_INPUT_SIZE}.
     */
    public DenseNetworkWriter(final int inputSize)
    {
        if (inputSize < 1 || inputSize > MAX_INPUT_SIZE)
        {
            throw new IllegalArgumentException("input size " + inputSize + ", expected 1.." + MAX_INPUT_SIZE);
        }
        this.inputSize = inputSize;
    }

    /**
     * Add a dense layer.
     *
     * @param source      {@link DenseNetworkDescriptor#SOURCE_INPUT} or the index of an earlier layer.
     * @param outputWidth w, 1..{@link DenseNetworkDescriptor#MAX_WIDTH}.
     * @param activation  {@code IDENTITY}, {@code RELU}, {@code SIGMOID} or {@code TANH}.
     * @param weights     k x w finite floats, row-major {@code [input unit][output unit]}; k is the source width.
     * @param bias        w finite floats.
     * @return the new layer's index.
     */
    public int addLayer(
        final int source, final int outputWidth, final int activation, final float[] weights, final float[] bias)
    {
        final int index = layers.size();
        if (index == MAX_LAYERS)
        {
            throw new IllegalArgumentException("more than " + MAX_LAYERS + " layers");
        }
        if (source < SOURCE_INPUT || source >= index)
        {
            throw new IllegalArgumentException("layer " + index + ": source " + source + ", expected -1 (input) or " +
                "an earlier layer 0.." + (index - 1));
        }
        if (outputWidth < 1 || outputWidth > MAX_WIDTH)
        {
            throw new IllegalArgumentException("layer " + index + ": output width " + outputWidth + ", expected 1.." +
                MAX_WIDTH);
        }
        if (activation < IDENTITY || activation > TANH)
        {
            throw new IllegalArgumentException("layer " + index + ": activation " + activation);
        }
        final int inputWidth = source == SOURCE_INPUT ? inputSize : layers.get(source).outputWidth;
        if ((long)weights.length != (long)inputWidth * outputWidth)
        {
            throw new IllegalArgumentException("layer " + index + ": " + weights.length + " weights, expected " +
                inputWidth + " x " + outputWidth);
        }
        if (bias.length != outputWidth)
        {
            throw new IllegalArgumentException("layer " + index + ": " + bias.length + " biases, expected " +
                outputWidth);
        }
        finite(index, "weight", weights);
        finite(index, "bias", bias);
        if (tablesEnd(index + 1L, MAX_HEADS) + totalParameters() + parametersLength(inputWidth, outputWidth) >
            Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("layer " + index + ": the network would not fit in a section");
        }
        layers.add(new Layer(source, inputWidth, outputWidth, activation, weights.clone(), bias.clone()));
        return index;
    }

    /**
     * Add a head: units {@code [start, start + count)} of a layer become the next {@code count} network outputs.
     *
     * @param layer a layer index.
     * @param start first unit.
     * @param count units, >= 1.
     * @return the index of the head's first network output.
     */
    public int addHead(final int layer, final int start, final int count)
    {
        if (heads.size() == MAX_HEADS)
        {
            throw new IllegalArgumentException("more than " + MAX_HEADS + " heads");
        }
        if (layer < 0 || layer >= layers.size())
        {
            throw new IllegalArgumentException("head " + heads.size() + ": layer " + layer + " does not exist");
        }
        final int width = layers.get(layer).outputWidth;
        if (start < 0 || count < 1 || (long)start + count > width)
        {
            throw new IllegalArgumentException("head " + heads.size() + ": units [" + start + ", " +
                ((long)start + count) + ") of layer " + layer + ", which has " + width);
        }
        if (outputCount + count > MAX_OUTPUTS)
        {
            throw new IllegalArgumentException("more than " + MAX_OUTPUTS + " outputs");
        }
        heads.add(new int[]{layer, start, count});
        final int first = outputCount;
        outputCount += count;
        return first;
    }

    /** @return the network's output count so far. */
    public int outputCount()
    {
        return outputCount;
    }

    /** @return the section bytes. */
    public byte[] toBytes()
    {
        if (layers.isEmpty() || heads.isEmpty())
        {
            throw new IllegalStateException("a DENSE_NETWORK section needs at least one layer and one head");
        }
        final int l = layers.size();
        final int h = heads.size();
        final long length = tablesEnd(l, h) + totalParameters();
        final ByteBuffer out = ByteBuffer.allocate((int)length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(INPUT_SIZE_OFFSET, inputSize);
        out.putInt(LAYER_COUNT_OFFSET, l);
        out.putInt(HEAD_COUNT_OFFSET, h);
        out.putInt(OUTPUT_COUNT_OFFSET, outputCount);
        int at = (int)tablesEnd(l, h);
        for (int i = 0; i < l; i++)
        {
            final Layer layer = layers.get(i);
            final int entry = layerEntryOffset(i);
            out.putInt(entry + LAYER_SOURCE_OFFSET, layer.source);
            out.putInt(entry + LAYER_INPUT_WIDTH_OFFSET, layer.inputWidth);
            out.putInt(entry + LAYER_OUTPUT_WIDTH_OFFSET, layer.outputWidth);
            out.put(entry + LAYER_ACTIVATION_OFFSET, (byte)layer.activation);
            out.putInt(entry + LAYER_PARAMETERS_OFFSET, at);
            int p = at;
            for (final float w : layer.weights)
            {
                out.putFloat(p, w);
                p += 4;
            }
            for (final float b : layer.bias)
            {
                out.putFloat(p, b);
                p += 4;
            }
            at += (int)parametersLength(layer.inputWidth, layer.outputWidth);
        }
        for (int i = 0; i < h; i++)
        {
            final int[] head = heads.get(i);
            final int entry = headEntryOffset(l, i);
            out.putInt(entry + HEAD_LAYER_OFFSET, head[0]);
            out.putInt(entry + HEAD_START_OFFSET, head[1]);
            out.putInt(entry + HEAD_COUNT_FIELD_OFFSET, head[2]);
        }
        return out.array();
    }

    private long totalParameters()
    {
        long total = 0;
        for (final Layer layer : layers)
        {
            total += parametersLength(layer.inputWidth, layer.outputWidth);
        }
        return total;
    }

    private static void finite(final int layer, final String what, final float[] values)
    {
        for (int i = 0; i < values.length; i++)
        {
            if (!Float.isFinite(values[i]))
            {
                throw new IllegalArgumentException("layer " + layer + ": " + what + " " + i + " is " + values[i] +
                    ", expected finite");
            }
        }
    }
}
