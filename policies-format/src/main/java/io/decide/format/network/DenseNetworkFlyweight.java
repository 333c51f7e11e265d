package io.decide.format.network;

import org.agrona.DirectBuffer;

import static io.decide.format.network.DenseNetworkDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * View of a validated DENSE_NETWORK section; see {@link DenseNetworkDescriptor}. Accessors do no checks; the
 * engine copies the parameters once at load ({@code io.decide.engine.network.DenseNetworkEvaluator}).
 */
public final class DenseNetworkFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer artifact bytes.
     * @param offset file offset of the section.
     * @return this.
     */
    public DenseNetworkFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return input size n. */
    public int inputSize()
    {
        return buffer.getInt(offset + INPUT_SIZE_OFFSET, LITTLE_ENDIAN);
    }

    /** @return layer count L. */
    public int layerCount()
    {
        return buffer.getInt(offset + LAYER_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return head count H. */
    public int headCount()
    {
        return buffer.getInt(offset + HEAD_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return output count m (sum of the head counts). */
    public int outputCount()
    {
        return buffer.getInt(offset + OUTPUT_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param layer layer index.
     * @return its source: {@link DenseNetworkDescriptor#SOURCE_INPUT} or an earlier layer index.
     */
    public int source(final int layer)
    {
        return buffer.getInt(offset + layerEntryOffset(layer) + LAYER_SOURCE_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param layer layer index.
     * @return its input width k.
     */
    public int inputWidth(final int layer)
    {
        return buffer.getInt(offset + layerEntryOffset(layer) + LAYER_INPUT_WIDTH_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param layer layer index.
     * @return its output width w.
     */
    public int outputWidth(final int layer)
    {
        return buffer.getInt(offset + layerEntryOffset(layer) + LAYER_OUTPUT_WIDTH_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param layer layer index.
     * @return its activation code.
     */
    public int activation(final int layer)
    {
        return buffer.getByte(offset + layerEntryOffset(layer) + LAYER_ACTIVATION_OFFSET);
    }

    /**
     * @param layer layer index.
     * @return offset of its parameters from the section start.
     */
    public int parametersOffset(final int layer)
    {
        return buffer.getInt(offset + layerEntryOffset(layer) + LAYER_PARAMETERS_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param layer  layer index.
     * @param input  input unit i.
     * @param output output unit j.
     * @return {@code W[i][j]}.
     */
    public float weight(final int layer, final int input, final int output)
    {
        final long index = (long)input * outputWidth(layer) + output;
        return buffer.getFloat(offset + parametersOffset(layer) + (int)(4 * index), LITTLE_ENDIAN);
    }

    /**
     * @param layer  layer index.
     * @param output output unit j.
     * @return {@code bias[j]}.
     */
    public float bias(final int layer, final int output)
    {
        final long index = (long)inputWidth(layer) * outputWidth(layer) + output;
        return buffer.getFloat(offset + parametersOffset(layer) + (int)(4 * index), LITTLE_ENDIAN);
    }

    /**
     * @param head head index.
     * @return the layer it reads.
     */
    public int headLayer(final int head)
    {
        return buffer.getInt(offset + headEntryOffset(layerCount(), head) + HEAD_LAYER_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param head head index.
     * @return first unit of its layer it takes.
     */
    public int headStart(final int head)
    {
        return buffer.getInt(offset + headEntryOffset(layerCount(), head) + HEAD_START_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param head head index.
     * @return how many units it takes.
     */
    public int headCount(final int head)
    {
        return buffer.getInt(offset + headEntryOffset(layerCount(), head) + HEAD_COUNT_FIELD_OFFSET, LITTLE_ENDIAN);
    }
}
