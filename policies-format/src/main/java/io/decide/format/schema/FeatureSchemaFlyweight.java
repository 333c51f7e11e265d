package io.decide.format.schema;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.decide.format.schema.FeatureSchemaDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** View of a validated FEATURE_SCHEMA section. Accessors do no checks. */
public final class FeatureSchemaFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer artifact bytes.
     * @param offset file offset of the section.
     * @return this.
     */
    public FeatureSchemaFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return number of features. */
    public int featureCount()
    {
        return buffer.getInt(offset + FEATURE_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param index feature index.
     * @return type code, see {@link FeatureType#fromCode(int)}.
     */
    public int typeCode(final int index)
    {
        return buffer.getByte(offset + entryOffset(index) + ENTRY_TYPE_OFFSET) & 0xFF;
    }

    /**
     * @param index feature index.
     * @return missing-value code, see {@link MissingValue#fromCode(int)}.
     */
    public int missingCode(final int index)
    {
        return buffer.getByte(offset + entryOffset(index) + ENTRY_MISSING_OFFSET) & 0xFF;
    }

    /**
     * @param index feature index.
     * @return the sentinel value.
     */
    public double sentinel(final int index)
    {
        return buffer.getDouble(offset + entryOffset(index) + ENTRY_SENTINEL_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param index feature index.
     * @return name offset relative to the section start.
     */
    public int nameOffset(final int index)
    {
        return buffer.getInt(offset + entryOffset(index) + ENTRY_NAME_OFFSET_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param index feature index.
     * @return name length in bytes.
     */
    public int nameLength(final int index)
    {
        return buffer.getInt(offset + entryOffset(index) + ENTRY_NAME_LENGTH_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * Decode a feature name. Allocates: load time and tools only.
     *
     * @param index feature index.
     * @return the name.
     */
    public String name(final int index)
    {
        final byte[] bytes = new byte[nameLength(index)];
        buffer.getBytes(offset + nameOffset(index), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
