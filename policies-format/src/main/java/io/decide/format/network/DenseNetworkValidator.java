package io.decide.format.network;

import io.decide.format.SectionContext;
import io.decide.format.SectionValidator;
import org.agrona.DirectBuffer;

import static io.decide.format.network.DenseNetworkDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Checks every field of a DENSE_NETWORK section (see {@link DenseNetworkDescriptor}): counts in their limits, flags
 * and reserved bytes zero, each layer reads the input or an earlier layer with the matching width, known
 * activations, parameters where the descriptor puts them, every weight and bias finite, padding zero, heads inside
 * their layers, the output count equal to the heads' sum, and nothing after the last layer.
 */
public final class DenseNetworkValidator implements SectionValidator
{
    @Override
    public void validate(
        final DirectBuffer buffer, final int offset, final int length, final int sectionVersion,
        final SectionContext context)
    {
        if (length < HEADER_LENGTH)
        {
            throw context.fail(0, "section is " + length + " bytes, expected at least " + HEADER_LENGTH);
        }
        final long n = u32(buffer, offset + INPUT_SIZE_OFFSET);
        if (n < 1 || n > MAX_INPUT_SIZE)
        {
            throw context.fail(INPUT_SIZE_OFFSET, "input size " + n + ", expected 1.." + MAX_INPUT_SIZE);
        }
        final long l = u32(buffer, offset + LAYER_COUNT_OFFSET);
        if (l < 1 || l > MAX_LAYERS)
        {
            throw context.fail(LAYER_COUNT_OFFSET, "layer count " + l + ", expected 1.." + MAX_LAYERS);
        }
        final long h = u32(buffer, offset + HEAD_COUNT_OFFSET);
        if (h < 1 || h > MAX_HEADS)
        {
            throw context.fail(HEAD_COUNT_OFFSET, "head count " + h + ", expected 1.." + MAX_HEADS);
        }
        final long m = u32(buffer, offset + OUTPUT_COUNT_OFFSET);
        if (m < 1 || m > MAX_OUTPUTS)
        {
            throw context.fail(OUTPUT_COUNT_OFFSET, "output count " + m + ", expected 1.." + MAX_OUTPUTS);
        }
        if (buffer.getInt(offset + FLAGS_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(FLAGS_OFFSET, "flags must be 0");
        }
        if (buffer.getInt(offset + RESERVED32_OFFSET, LITTLE_ENDIAN) != 0 ||
            buffer.getLong(offset + RESERVED64_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(RESERVED32_OFFSET, "reserved bytes must be 0");
        }
        final int layerCount = (int)l;
        final int headCount = (int)h;
        final long tablesEnd = tablesEnd(layerCount, headCount);
        if (tablesEnd > length)
        {
            throw context.fail(0, "section is " + length + " bytes, too short for the tables of " + layerCount +
                " layers and " + headCount + " heads (" + tablesEnd + ")");
        }
        final int[] widths = new int[layerCount];
        long expected = tablesEnd;
        for (int i = 0; i < layerCount; i++)
        {
            expected = validateLayer(buffer, offset, length, i, widths, (int)n, expected, context);
        }
        if (expected != length)
        {
            throw context.fail((int)expected, "section is " + length + " bytes, the last layer ends at " + expected);
        }
        long outputs = 0;
        for (int i = 0; i < headCount; i++)
        {
            final int entry = headEntryOffset(layerCount, i);
            final long layer = u32(buffer, offset + entry + HEAD_LAYER_OFFSET);
            if (layer >= layerCount)
            {
                throw context.fail(entry + HEAD_LAYER_OFFSET, "head " + i + " reads layer " + layer +
                    ", expected 0.." + (layerCount - 1));
            }
            final long start = u32(buffer, offset + entry + HEAD_START_OFFSET);
            final long count = u32(buffer, offset + entry + HEAD_COUNT_FIELD_OFFSET);
            if (count < 1 || start + count > widths[(int)layer])
            {
                throw context.fail(entry + HEAD_START_OFFSET, "head " + i + " takes units [" + start + ", " +
                    (start + count) + ") of layer " + layer + ", which has " + widths[(int)layer] +
                    " (expected a non-empty range inside it)");
            }
            if (buffer.getInt(offset + entry + HEAD_RESERVED_OFFSET, LITTLE_ENDIAN) != 0)
            {
                throw context.fail(entry + HEAD_RESERVED_OFFSET, "reserved bytes must be 0");
            }
            outputs += count;
        }
        if (outputs != m)
        {
            throw context.fail(OUTPUT_COUNT_OFFSET, "output count " + m + ", but the heads give " + outputs);
        }
    }

    private static long validateLayer(
        final DirectBuffer buffer, final int offset, final int length, final int i, final int[] widths,
        final int inputSize, final long expected, final SectionContext context)
    {
        final int entry = layerEntryOffset(i);
        final int source = buffer.getInt(offset + entry + LAYER_SOURCE_OFFSET, LITTLE_ENDIAN);
        if (source < SOURCE_INPUT || source >= i)
        {
            throw context.fail(entry + LAYER_SOURCE_OFFSET, "layer " + i + " source " + source +
                ", expected -1 (the input) or an earlier layer 0.." + (i - 1));
        }
        final int sourceWidth = source == SOURCE_INPUT ? inputSize : widths[source];
        final long k = u32(buffer, offset + entry + LAYER_INPUT_WIDTH_OFFSET);
        if (k != sourceWidth)
        {
            throw context.fail(entry + LAYER_INPUT_WIDTH_OFFSET, "layer " + i + " input width " + k +
                ", expected " + sourceWidth + " (the width of " + (source == SOURCE_INPUT ? "the input" :
                "layer " + source) + ")");
        }
        final long w = u32(buffer, offset + entry + LAYER_OUTPUT_WIDTH_OFFSET);
        if (w < 1 || w > MAX_WIDTH)
        {
            throw context.fail(entry + LAYER_OUTPUT_WIDTH_OFFSET, "layer " + i + " output width " + w +
                ", expected 1.." + MAX_WIDTH);
        }
        widths[i] = (int)w;
        final int activation = buffer.getByte(offset + entry + LAYER_ACTIVATION_OFFSET) & 0xFF;
        if (activation > TANH)
        {
            throw context.fail(entry + LAYER_ACTIVATION_OFFSET, "layer " + i + " activation " + activation +
                ", expected 0 (identity), 1 (relu), 2 (sigmoid) or 3 (tanh)");
        }
        if (buffer.getByte(offset + entry + LAYER_RESERVED24_OFFSET) != 0 ||
            buffer.getShort(offset + entry + LAYER_RESERVED24_OFFSET + 1, LITTLE_ENDIAN) != 0 ||
            buffer.getInt(offset + entry + LAYER_RESERVED32_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(entry + LAYER_RESERVED24_OFFSET, "reserved bytes must be 0");
        }
        final long at = u32(buffer, offset + entry + LAYER_PARAMETERS_OFFSET);
        if (at != expected)
        {
            throw context.fail(entry + LAYER_PARAMETERS_OFFSET, "layer " + i + " parameters at " + at +
                ", expected " + expected + " (layers follow the tables back to back, each padded to 8)");
        }
        final long bytes = parametersLength(k, w);
        if (at + bytes > length)
        {
            throw context.fail(entry + LAYER_OUTPUT_WIDTH_OFFSET, "layer " + i + " (" + k + " x " + w +
                ") needs " + bytes + " bytes at " + at + ", runs past the section end " + length);
        }
        final int weights = (int)(k * w);
        final int base = offset + (int)at;
        for (int p = 0; p < weights + w; p++)
        {
            final float value = buffer.getFloat(base + 4 * p, LITTLE_ENDIAN);
            if (!Float.isFinite(value))
            {
                throw context.fail((int)at + 4 * p, "layer " + i + (p < weights ? " weight [" + p / w + "][" +
                    p % w + "]" : " bias " + (p - weights)) + " is " + value + ", expected finite");
            }
        }
        for (int pad = (int)(at + 4 * (weights + w)); pad < at + bytes; pad++)
        {
            if (buffer.getByte(offset + pad) != 0)
            {
                throw context.fail(pad, "layer " + i + " padding must be 0");
            }
        }
        return at + bytes;
    }

    private static long u32(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }
}
