package io.decide.format.schema;

import io.decide.format.SectionContext;
import io.decide.format.SectionValidator;
import io.decide.format.Utf8;
import org.agrona.DirectBuffer;

import java.util.HashSet;
import java.util.Set;

import static io.decide.format.schema.FeatureSchemaDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** Checks every field of a FEATURE_SCHEMA section; see {@link FeatureSchemaDescriptor}. */
public final class FeatureSchemaValidator implements SectionValidator
{
    @Override
    public void validate(
        final DirectBuffer buffer, final int offset, final int length, final int sectionVersion,
        final SectionContext context)
    {
        if (length < ENTRIES_OFFSET)
        {
            throw context.fail(0, "section is " + length + " bytes, expected at least " + ENTRIES_OFFSET);
        }
        final long count = buffer.getInt(offset + FEATURE_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (count > MAX_FEATURES)
        {
            throw context.fail(FEATURE_COUNT_OFFSET, "feature count " + count + " exceeds " + MAX_FEATURES);
        }
        if (buffer.getInt(offset + RESERVED_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(RESERVED_OFFSET, "reserved field must be 0");
        }
        final long poolStart = ENTRIES_OFFSET + count * ENTRY_LENGTH;
        if (poolStart > length)
        {
            throw context.fail(FEATURE_COUNT_OFFSET,
                count + " entries need " + poolStart + " bytes, section has " + length);
        }
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final int entry = entryOffset(i);
            final long nameOffset = buffer.getInt(offset + entry + ENTRY_NAME_OFFSET_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            final long nameLength = buffer.getInt(offset + entry + ENTRY_NAME_LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            if (nameLength < 1 || nameLength > MAX_NAME_LENGTH)
            {
                throw context.fail(entry + ENTRY_NAME_LENGTH_OFFSET,
                    "feature " + i + ": name length " + nameLength + ", expected 1.." + MAX_NAME_LENGTH);
            }
            if (nameOffset < poolStart || nameOffset + nameLength > length)
            {
                throw context.fail(entry + ENTRY_NAME_OFFSET_OFFSET, "feature " + i + ": name bytes [" + nameOffset +
                    ", " + (nameOffset + nameLength) + ") outside the name pool [" + poolStart + ", " + length + ")");
            }
            final String name = Utf8.decodeStrict(buffer, offset + (int)nameOffset, (int)nameLength);
            if (name == null)
            {
                throw context.fail((int)nameOffset, "feature " + i + ": name is not valid UTF-8");
            }
            if (!names.add(name))
            {
                throw context.fail(entry, "feature " + i + ": duplicate name '" + name + "'");
            }
            final int typeCode = buffer.getByte(offset + entry + ENTRY_TYPE_OFFSET) & 0xFF;
            if (FeatureType.fromCode(typeCode) == null)
            {
                throw context.fail(entry + ENTRY_TYPE_OFFSET, "feature '" + name + "': unknown type code " + typeCode);
            }
            final int missingCode = buffer.getByte(offset + entry + ENTRY_MISSING_OFFSET) & 0xFF;
            final MissingValue missing = MissingValue.fromCode(missingCode);
            if (missing == null)
            {
                throw context.fail(entry + ENTRY_MISSING_OFFSET,
                    "feature '" + name + "': unknown missing-value code " + missingCode);
            }
            if (buffer.getShort(offset + entry + ENTRY_RESERVED16_OFFSET, LITTLE_ENDIAN) != 0 ||
                buffer.getInt(offset + entry + ENTRY_RESERVED32_OFFSET, LITTLE_ENDIAN) != 0)
            {
                throw context.fail(entry + ENTRY_RESERVED16_OFFSET, "feature '" + name + "': reserved bytes must be 0");
            }
            final double sentinel = buffer.getDouble(offset + entry + ENTRY_SENTINEL_OFFSET, LITTLE_ENDIAN);
            if (missing == MissingValue.SENTINEL ? !Double.isFinite(sentinel) :
                Double.doubleToRawLongBits(sentinel) != 0L)
            {
                throw context.fail(entry + ENTRY_SENTINEL_OFFSET, "feature '" + name + "': sentinel " + sentinel +
                    (missing == MissingValue.SENTINEL ? " must be finite" : " must be 0 unless missing = SENTINEL"));
            }
        }
    }
}
