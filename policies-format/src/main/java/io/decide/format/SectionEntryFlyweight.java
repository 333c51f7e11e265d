package io.decide.format;

import org.agrona.DirectBuffer;

import static io.decide.format.SectionTableDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * View of one section table entry; {@link #wrap(DirectBuffer, int)} points it at an entry. No checks.
 */
public final class SectionEntryFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * Point at an entry.
     *
     * @param buffer artifact bytes.
     * @param offset file offset of the entry.
     * @return this.
     */
    public SectionEntryFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return section type id, see {@link SectionType}. */
    public int type()
    {
        return buffer.getShort(offset + TYPE_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return version of the section's own layout. */
    public int sectionVersion()
    {
        return buffer.getShort(offset + SECTION_VERSION_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return stored CRC32C of the section bytes. */
    public int crc()
    {
        return buffer.getInt(offset + CRC_OFFSET, LITTLE_ENDIAN);
    }

    /** @return file offset of the section. */
    public long sectionOffset()
    {
        return buffer.getLong(offset + OFFSET_OFFSET, LITTLE_ENDIAN);
    }

    /** @return section length in bytes. */
    public long sectionLength()
    {
        return buffer.getLong(offset + LENGTH_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the reserved field, zero in a valid file. */
    public long reserved()
    {
        return buffer.getLong(offset + RESERVED_OFFSET, LITTLE_ENDIAN);
    }
}
