package io.decide.format.vectors;

import io.decide.format.SectionContext;
import io.decide.format.SectionType;
import io.decide.format.SectionValidator;
import org.agrona.DirectBuffer;

import static io.decide.format.vectors.VerificationVectorsDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** Checks a VERIFICATION_VECTORS section, including that each group's target section exists. */
public final class VerificationVectorsValidator implements SectionValidator
{
    @Override
    public void validate(
        final DirectBuffer buffer, final int offset, final int length, final int sectionVersion,
        final SectionContext context)
    {
        if (length < GROUPS_OFFSET)
        {
            throw context.fail(0, "section is " + length + " bytes, expected at least " + GROUPS_OFFSET);
        }
        final long groups = buffer.getInt(offset + GROUP_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (buffer.getInt(offset + RESERVED_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(RESERVED_OFFSET, "reserved field must be 0");
        }
        long at = GROUPS_OFFSET;
        for (long g = 0; g < groups; g++)
        {
            if (at + GROUP_HEADER_LENGTH > length)
            {
                throw context.fail((int)Math.min(at, length), "group " + g + " of " + groups +
                    ": header needs " + GROUP_HEADER_LENGTH + " bytes, " + (length - at) + " left");
            }
            final int group = offset + (int)at;
            final int targetType = buffer.getShort(group + TARGET_TYPE_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
            final int targetOrdinal = buffer.getShort(group + TARGET_ORDINAL_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
            final long inputWidth = buffer.getInt(group + INPUT_WIDTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            final long outputWidth = buffer.getInt(group + OUTPUT_WIDTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            final long count = buffer.getInt(group + VECTOR_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            final int kindCode = buffer.getByte(group + TOLERANCE_KIND_OFFSET) & 0xFF;
            final double tolerance = buffer.getDouble(group + TOLERANCE_OFFSET, LITTLE_ENDIAN);
            final String what = "group " + g;
            if (targetType == SectionType.VERIFICATION_VECTORS || targetType == SectionType.SIGNATURE ||
                context.layout().indexOf(targetType, targetOrdinal) < 0)
            {
                throw context.fail((int)at + TARGET_TYPE_OFFSET, what + ": target " +
                    SectionType.name(targetType) + " #" + targetOrdinal + " is not an evaluable section of this file");
            }
            if (inputWidth < 1 || inputWidth > MAX_WIDTH || outputWidth < 1 || outputWidth > MAX_WIDTH)
            {
                throw context.fail((int)at + INPUT_WIDTH_OFFSET, what + ": widths " + inputWidth + " in / " +
                    outputWidth + " out, expected 1.." + MAX_WIDTH);
            }
            final Tolerance kind = Tolerance.fromCode(kindCode);
            if (kind == null)
            {
                throw context.fail((int)at + TOLERANCE_KIND_OFFSET, what + ": unknown tolerance kind " + kindCode);
            }
            if (!(tolerance >= 0 && Double.isFinite(tolerance)) || (kind == Tolerance.EXACT && tolerance != 0))
            {
                throw context.fail((int)at + TOLERANCE_OFFSET, what + ": tolerance " + tolerance +
                    (kind == Tolerance.EXACT ? " must be 0 for EXACT" : " must be finite and >= 0"));
            }
            if ((buffer.getByte(group + RESERVED_A_OFFSET) | buffer.getByte(group + RESERVED_A_OFFSET + 1) |
                buffer.getByte(group + RESERVED_A_OFFSET + 2)) != 0 ||
                buffer.getInt(group + RESERVED_B_OFFSET, LITTLE_ENDIAN) != 0 ||
                buffer.getInt(group + RESERVED_C_OFFSET, LITTLE_ENDIAN) != 0)
            {
                throw context.fail((int)at + RESERVED_A_OFFSET, what + ": reserved bytes must be 0");
            }
            final long groupLength = groupLength(inputWidth, outputWidth, count);
            if (at + groupLength > length)
            {
                throw context.fail((int)at + VECTOR_COUNT_OFFSET, what + ": " + count + " vectors of " + inputWidth +
                    "+" + outputWidth + " doubles need " + groupLength + " bytes, " + (length - at) + " left");
            }
            at += groupLength;
        }
        if (at != length)
        {
            throw context.fail((int)at, (length - at) + " bytes after the last group, expected none");
        }
    }
}
