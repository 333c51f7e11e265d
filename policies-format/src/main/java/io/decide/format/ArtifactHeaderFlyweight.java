package io.decide.format;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.decide.format.ArtifactDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Read-only view of the artifact header. Accessors do no checks: call only on a buffer that
 * {@link ArtifactValidator} accepted (or, while validating, after checking the header fits).
 */
public final class ArtifactHeaderFlyweight
{
    private DirectBuffer buffer;

    /**
     * Point this flyweight at the start of an artifact.
     *
     * @param buffer the artifact bytes, offset 0 being the start of the file.
     * @return this.
     */
    public ArtifactHeaderFlyweight wrap(final DirectBuffer buffer)
    {
        this.buffer = buffer;
        return this;
    }

    /** @return the magic field as a little-endian long. */
    public long magic()
    {
        return buffer.getLong(MAGIC_OFFSET, LITTLE_ENDIAN);
    }

    /** @return major format version. */
    public int major()
    {
        return buffer.getShort(MAJOR_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return minor format version. */
    public int minor()
    {
        return buffer.getShort(MINOR_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return declared header length. */
    public long headerLength()
    {
        return buffer.getInt(HEADER_LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    /** @return declared file length. */
    public long fileLength()
    {
        return buffer.getLong(FILE_LENGTH_OFFSET, LITTLE_ENDIAN);
    }

    /** @return artifact version; higher versions of the same name replace lower ones. */
    public long artifactVersion()
    {
        return buffer.getLong(ARTIFACT_VERSION_OFFSET, LITTLE_ENDIAN);
    }

    /** @return creation time, epoch milliseconds. */
    public long createdMillis()
    {
        return buffer.getLong(CREATED_MILLIS_OFFSET, LITTLE_ENDIAN);
    }

    /** @return offset of the section table. */
    public long sectionTableOffset()
    {
        return buffer.getInt(SECTION_TABLE_OFFSET_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    /** @return number of section table entries. */
    public long sectionCount()
    {
        return buffer.getInt(SECTION_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    /** @return the stored whole-file CRC32C. */
    public int fileCrc()
    {
        return buffer.getInt(FILE_CRC_OFFSET, LITTLE_ENDIAN);
    }

    /** @return header flags (must be zero in this version). */
    public int flags()
    {
        return buffer.getInt(FLAGS_OFFSET, LITTLE_ENDIAN);
    }

    /** @return length of the artifact name in bytes. */
    public int nameLength()
    {
        return buffer.getShort(NAME_LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * Decode the artifact name. Allocates: for load time and tools only.
     *
     * @return the name.
     */
    public String name()
    {
        final byte[] bytes = new byte[Math.min(nameLength(), NAME_MAX_LENGTH)];
        buffer.getBytes(NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
