package io.decide.format.quota;

import io.decide.format.ArtifactLayout;
import io.decide.format.SectionContext;
import io.decide.format.SectionType;
import io.decide.format.SectionValidator;
import io.decide.format.gbdt.GbdtDescriptor;
import org.agrona.DirectBuffer;

import static io.decide.format.quota.QuotaDualDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Checks every field of a QUOTA_DUAL section (see {@link QuotaDualDescriptor}) and, for a GBDT value source, that
 * the referenced GBDT_ENSEMBLE section exists and has the K feature and the output (its own layout is checked by
 * its validator).
 */
public final class QuotaDualValidator implements SectionValidator
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
        final long k = buffer.getInt(offset + OPTION_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (k < 1 || k > MAX_OPTIONS)
        {
            throw context.fail(OPTION_COUNT_OFFSET, "option count " + k + ", expected 1.." + MAX_OPTIONS);
        }
        final int optionCount = (int)k;
        if (length != sectionLength(optionCount))
        {
            throw context.fail(0, "section is " + length + " bytes, expected " + sectionLength(optionCount) +
                " for " + optionCount + " options");
        }
        final int source = buffer.getByte(offset + VALUE_SOURCE_OFFSET) & 0xFF;
        if (source != SOURCE_CALLER && source != SOURCE_GBDT)
        {
            throw context.fail(VALUE_SOURCE_OFFSET, "value source " + source + ", expected 0 (caller) or 1 (GBDT)");
        }
        if (buffer.getByte(offset + RESERVED8_OFFSET) != 0 ||
            buffer.getShort(offset + RESERVED16_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(RESERVED8_OFFSET, "reserved bytes must be 0");
        }
        if (buffer.getInt(offset + FLAGS_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(FLAGS_OFFSET, "flags must be 0");
        }
        if (buffer.getLong(offset + RESERVED64_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(RESERVED64_OFFSET, "reserved bytes must be 0");
        }
        nonNegative(buffer, offset, LAMBDA_OFFSET, "lambda", context);
        nonNegative(buffer, offset, EXPLORE_WEIGHT_OFFSET, "explore weight", context);
        nonNegative(buffer, offset, CAPACITY_OFFSET, "capacity", context);
        nonNegative(buffer, offset, PACING_GAIN_OFFSET, "pacing gain", context);
        double previous = 0;
        for (int i = 0; i < optionCount; i++)
        {
            final double cost = buffer.getDouble(offset + costOffset(i), LITTLE_ENDIAN);
            if (!Double.isFinite(cost) || cost < 0 || cost < previous)
            {
                throw context.fail(costOffset(i), "cost of option " + i + " is " + cost +
                    ", expected finite, >= 0 and >= the cost of option " + (i - 1) + " (" + previous + ")");
            }
            previous = cost;
            final double label = buffer.getDouble(offset + labelOffset(optionCount, i), LITTLE_ENDIAN);
            if (!Double.isFinite(label))
            {
                throw context.fail(labelOffset(optionCount, i), "label of option " + i + " is " + label +
                    ", expected finite");
            }
        }
        final long ordinal = buffer.getInt(offset + GBDT_ORDINAL_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final long feature = buffer.getInt(offset + K_FEATURE_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final long output = buffer.getInt(offset + GBDT_OUTPUT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (source == SOURCE_CALLER)
        {
            if (ordinal != 0 || feature != 0 || output != 0)
            {
                throw context.fail(GBDT_ORDINAL_OFFSET,
                    "GBDT ordinal, K feature and GBDT output must be 0 when values come from the caller");
            }
            return;
        }
        final ArtifactLayout layout = context.layout();
        final int gbdt = ordinal > Integer.MAX_VALUE ? -1 : layout.indexOf(SectionType.GBDT_ENSEMBLE, (int)ordinal);
        if (gbdt < 0)
        {
            throw context.fail(GBDT_ORDINAL_OFFSET, "value model GBDT_ENSEMBLE #" + ordinal +
                " is not in the artifact (it has " + layout.count(SectionType.GBDT_ENSEMBLE) + ")");
        }
        if (layout.sectionLength(gbdt) < GbdtDescriptor.HEADER_LENGTH)
        {
            throw context.fail(GBDT_ORDINAL_OFFSET, "value model " + layout.label(gbdt) + " is too short");
        }
        final int gbdtOffset = layout.sectionOffset(gbdt);
        final long features =
            buffer.getInt(gbdtOffset + GbdtDescriptor.FEATURE_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final long outputs =
            buffer.getInt(gbdtOffset + GbdtDescriptor.OUTPUT_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (feature >= features)
        {
            throw context.fail(K_FEATURE_OFFSET, "K feature " + feature + " is not a feature of " +
                layout.label(gbdt) + ", which has " + features);
        }
        if (output >= outputs)
        {
            throw context.fail(GBDT_OUTPUT_OFFSET, "GBDT output " + output + " is not an output of " +
                layout.label(gbdt) + ", which has " + outputs);
        }
    }

    private static void nonNegative(
        final DirectBuffer buffer, final int offset, final int field, final String what, final SectionContext context)
    {
        final double value = buffer.getDouble(offset + field, LITTLE_ENDIAN);
        if (!Double.isFinite(value) || value < 0)
        {
            throw context.fail(field, what + " is " + value + ", expected finite and >= 0");
        }
    }
}
