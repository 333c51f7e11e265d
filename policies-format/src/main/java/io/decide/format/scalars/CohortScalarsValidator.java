package io.decide.format.scalars;

import io.decide.format.ArtifactLayout;
import io.decide.format.SectionContext;
import io.decide.format.SectionType;
import io.decide.format.SectionValidator;
import io.decide.format.gbdt.GbdtDescriptor;
import io.decide.format.network.DenseNetworkDescriptor;
import org.agrona.DirectBuffer;

import static io.decide.format.scalars.CohortScalarsDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Checks every field of a COHORT_SCALARS section (see {@link CohortScalarsDescriptor}): the directory tiles the
 * section exactly, bid ids are unique, boundaries ascend, scalars and default lie in the bounds and scalars are
 * monotone in the declared direction, and a referenced sensitivity model exists in the artifact with the output.
 */
public final class CohortScalarsValidator implements SectionValidator
{
    @Override
    public void validate(
        final DirectBuffer buffer, final int offset, final int length, final int sectionVersion,
        final SectionContext context)
    {
        if (length < DIRECTORY_OFFSET)
        {
            throw context.fail(0, "section is " + length + " bytes, expected at least " + DIRECTORY_OFFSET);
        }
        final long q = buffer.getInt(offset + BID_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (q < 1 || q > MAX_BIDS)
        {
            throw context.fail(BID_COUNT_OFFSET, "bid count " + q + ", expected 1.." + MAX_BIDS);
        }
        final int bidCount = (int)q;
        if (buffer.getInt(offset + FLAGS_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(FLAGS_OFFSET, "flags must be 0");
        }
        if (buffer.getLong(offset + RESERVED64_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(RESERVED64_OFFSET, "reserved bytes must be 0");
        }
        final int directoryEnd = directoryEnd(bidCount);
        if (length < directoryEnd)
        {
            throw context.fail(0, "section is " + length + " bytes, too short for the directory of " + bidCount +
                " bids (" + directoryEnd + ")");
        }
        for (int pad = DIRECTORY_OFFSET + 4 * bidCount; pad < directoryEnd; pad++)
        {
            if (buffer.getByte(offset + pad) != 0)
            {
                throw context.fail(pad, "directory padding must be 0");
            }
        }
        final int[] ids = new int[bidCount];
        long expected = directoryEnd;
        for (int b = 0; b < bidCount; b++)
        {
            final long block = buffer.getInt(offset + directoryEntryOffset(b), LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            if (block != expected)
            {
                throw context.fail(directoryEntryOffset(b), "bid " + b + " block offset " + block + ", expected " +
                    expected + " (blocks follow the directory back to back)");
            }
            if (block + BID_HEADER_LENGTH > length)
            {
                throw context.fail(directoryEntryOffset(b), "bid " + b + " block at " + block +
                    " runs past the section end " + length);
            }
            final int at = (int)block;
            final long n = buffer.getInt(offset + at + COHORT_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            if (n < 1 || n > MAX_COHORTS)
            {
                throw context.fail(at + COHORT_COUNT_OFFSET, "cohort count " + n + ", expected 1.." + MAX_COHORTS);
            }
            final int cohortCount = (int)n;
            if (block + bidBlockLength(cohortCount) > length)
            {
                throw context.fail(at + COHORT_COUNT_OFFSET, "bid " + b + " with " + cohortCount +
                    " cohorts needs " + bidBlockLength(cohortCount) + " bytes, runs past the section end " + length);
            }
            ids[b] = buffer.getInt(offset + at + BID_ID_OFFSET, LITTLE_ENDIAN);
            for (int c = 0; c < b; c++)
            {
                if (ids[c] == ids[b])
                {
                    throw context.fail(at + BID_ID_OFFSET, "bid id " + ids[b] + " appears twice (bids " + c + " and " +
                        b + ")");
                }
            }
            validateBid(buffer, offset, at, cohortCount, context);
            expected = block + bidBlockLength(cohortCount);
        }
        if (expected != length)
        {
            throw context.fail((int)expected, "section is " + length + " bytes, the bids end at " + expected);
        }
    }

    private static void validateBid(
        final DirectBuffer buffer, final int offset, final int at, final int n, final SectionContext context)
    {
        final int base = offset + at;
        final int direction = buffer.getByte(base + DIRECTION_OFFSET) & 0xFF;
        if (direction != INCREASING && direction != DECREASING)
        {
            throw context.fail(at + DIRECTION_OFFSET, "direction " + direction +
                ", expected 0 (increasing) or 1 (decreasing)");
        }
        final int method = buffer.getByte(base + METHOD_OFFSET) & 0xFF;
        if (method > METHOD_ILP)
        {
            throw context.fail(at + METHOD_OFFSET, "method " + method + ", expected 0.." + METHOD_ILP);
        }
        if (buffer.getShort(base + RESERVED16_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(at + RESERVED16_OFFSET, "reserved bytes must be 0");
        }
        final double lower = buffer.getDouble(base + LOWER_OFFSET, LITTLE_ENDIAN);
        final double upper = buffer.getDouble(base + UPPER_OFFSET, LITTLE_ENDIAN);
        if (!Double.isFinite(lower))
        {
            throw context.fail(at + LOWER_OFFSET, "lower bound is " + lower + ", expected finite");
        }
        if (!Double.isFinite(upper) || upper < lower)
        {
            throw context.fail(at + UPPER_OFFSET, "upper bound is " + upper + ", expected finite and >= " + lower);
        }
        final double defaultScalar = buffer.getDouble(base + DEFAULT_SCALAR_OFFSET, LITTLE_ENDIAN);
        if (!(defaultScalar >= lower && defaultScalar <= upper))
        {
            throw context.fail(at + DEFAULT_SCALAR_OFFSET, "default scalar is " + defaultScalar + ", expected in [" +
                lower + ", " + upper + "]");
        }
        for (int i = 0; i < n - 1; i++)
        {
            final double s = buffer.getDouble(base + boundaryOffset(i), LITTLE_ENDIAN);
            final double previous = i == 0 ? Double.NEGATIVE_INFINITY :
                buffer.getDouble(base + boundaryOffset(i - 1), LITTLE_ENDIAN);
            if (!Double.isFinite(s) || !(s > previous))
            {
                throw context.fail(at + boundaryOffset(i), "boundary " + i + " is " + s +
                    ", expected finite and above boundary " + (i - 1) + " (" + previous + ")");
            }
        }
        for (int i = 0; i < n; i++)
        {
            final double x = buffer.getDouble(base + scalarOffset(n, i), LITTLE_ENDIAN);
            if (!(x >= lower && x <= upper))
            {
                throw context.fail(at + scalarOffset(n, i), "scalar of cohort " + i + " is " + x + ", expected in [" +
                    lower + ", " + upper + "]");
            }
            if (i > 0)
            {
                final double previous = buffer.getDouble(base + scalarOffset(n, i - 1), LITTLE_ENDIAN);
                if (direction == INCREASING ? x < previous : x > previous)
                {
                    throw context.fail(at + scalarOffset(n, i), "scalar of cohort " + i + " is " + x + ", below/above " +
                        "cohort " + (i - 1) + " (" + previous + "): not monotone " +
                        (direction == INCREASING ? "increasing" : "decreasing"));
                }
            }
        }
        final int ordinal = buffer.getInt(base + MODEL_ORDINAL_OFFSET, LITTLE_ENDIAN);
        final long output = buffer.getInt(base + MODEL_OUTPUT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final long kind = buffer.getInt(base + MODEL_KIND_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (kind != MODEL_GBDT && kind != MODEL_NETWORK)
        {
            throw context.fail(at + MODEL_KIND_OFFSET, "model kind " + kind +
                ", expected 0 (GBDT_ENSEMBLE) or 1 (DENSE_NETWORK)");
        }
        if (ordinal == NO_MODEL)
        {
            if (output != 0)
            {
                throw context.fail(at + MODEL_OUTPUT_OFFSET, "model output must be 0 without a sensitivity model");
            }
            if (kind != MODEL_GBDT)
            {
                throw context.fail(at + MODEL_KIND_OFFSET, "model kind must be 0 without a sensitivity model");
            }
            return;
        }
        final boolean network = kind == MODEL_NETWORK;
        final int type = network ? SectionType.DENSE_NETWORK : SectionType.GBDT_ENSEMBLE;
        final ArtifactLayout layout = context.layout();
        final int model = ordinal < 0 ? -1 : layout.indexOf(type, ordinal);
        if (model < 0)
        {
            throw context.fail(at + MODEL_ORDINAL_OFFSET, "sensitivity model " + SectionType.name(type) + " #" +
                ordinal + " is not in the artifact (it has " + layout.count(type) + ")");
        }
        final int headerLength = network ? DenseNetworkDescriptor.HEADER_LENGTH : GbdtDescriptor.HEADER_LENGTH;
        if (layout.sectionLength(model) < headerLength)
        {
            throw context.fail(at + MODEL_ORDINAL_OFFSET, "sensitivity model " + layout.label(model) + " is too short");
        }
        final int countOffset = network ? DenseNetworkDescriptor.OUTPUT_COUNT_OFFSET :
            GbdtDescriptor.OUTPUT_COUNT_OFFSET;
        final long outputs = buffer.getInt(layout.sectionOffset(model) + countOffset, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (output >= outputs)
        {
            throw context.fail(at + MODEL_OUTPUT_OFFSET, "model output " + output + " is not an output of " +
                layout.label(model) + ", which has " + outputs);
        }
    }
}
