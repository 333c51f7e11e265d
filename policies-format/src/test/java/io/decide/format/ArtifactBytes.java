package io.decide.format;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import static io.decide.format.ArtifactDescriptor.FILE_CRC_OFFSET;
import static io.decide.format.ArtifactDescriptor.SECTION_COUNT_OFFSET;
import static io.decide.format.ArtifactDescriptor.SECTION_TABLE_OFFSET_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte-level access to artifacts in tests: little-endian getters and setters, the section table, mutation with
 * CRCs recomputed so that a deeper check (not a CRC) is what refuses, and the assertion that a refusal names
 * the right region, offset and reason. A public copy of {@link #recomputeChecksums(byte[])} lives in
 * test-support as {@code ArtifactFixtures.recomputeChecksums}.
 */
public final class ArtifactBytes
{
    /** Source name the tests pass to the validator. */
    public static final String SOURCE = "test.dpol";

    private ArtifactBytes()
    {
    }

    /**
     * Recompute, in place, the CRC32C of every section whose table entry and byte range lie inside the array,
     * then the whole-file CRC32C over the array's length (with the file CRC field taken as zero).
     *
     * @param bytes an artifact, possibly damaged.
     * @return the same array.
     */
    public static byte[] recomputeChecksums(final byte[] bytes)
    {
        if (bytes.length < FILE_CRC_OFFSET + 4)
        {
            return bytes;
        }
        final ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final long tableOffset = le.getInt(SECTION_TABLE_OFFSET_OFFSET) & 0xFFFF_FFFFL;
        final long count = Math.min(le.getInt(SECTION_COUNT_OFFSET) & 0xFFFF_FFFFL, ArtifactDescriptor.MAX_SECTIONS);
        for (long i = 0; i < count; i++)
        {
            final long entry = tableOffset + i * SectionTableDescriptor.ENTRY_LENGTH;
            if (entry + SectionTableDescriptor.ENTRY_LENGTH > bytes.length)
            {
                break;
            }
            final long offset = le.getLong((int)entry + SectionTableDescriptor.OFFSET_OFFSET);
            final long length = le.getLong((int)entry + SectionTableDescriptor.LENGTH_OFFSET);
            if (offset >= 0 && length >= 0 && offset <= bytes.length && length <= bytes.length - offset)
            {
                final CRC32C crc = new CRC32C();
                crc.update(bytes, (int)offset, (int)length);
                le.putInt((int)entry + SectionTableDescriptor.CRC_OFFSET, (int)crc.getValue());
            }
        }
        le.putInt(FILE_CRC_OFFSET, fileCrc(bytes));
        return bytes;
    }

    /**
     * Whole-file CRC32C computed independently of {@link Checksums}: CRC32C of a copy with the field zeroed.
     *
     * @param bytes artifact.
     * @return the CRC.
     */
    public static int fileCrc(final byte[] bytes)
    {
        final byte[] copy = bytes.clone();
        Arrays.fill(copy, FILE_CRC_OFFSET, FILE_CRC_OFFSET + 4, (byte)0);
        final CRC32C crc = new CRC32C();
        crc.update(copy);
        return (int)crc.getValue();
    }

    /**
     * Copy an artifact, change the copy, and recompute every CRC.
     *
     * @param bytes  valid artifact.
     * @param change mutation applied to the copy.
     * @return the mutated copy with consistent CRCs.
     */
    public static byte[] mutated(final byte[] bytes, final Consumer<byte[]> change)
    {
        final byte[] copy = bytes.clone();
        change.accept(copy);
        return recomputeChecksums(copy);
    }

    /**
     * Validate with a default validator.
     *
     * @param bytes artifact.
     * @return its layout.
     */
    public static ArtifactLayout validate(final byte[] bytes)
    {
        return new ArtifactValidator().validate(SOURCE, new UnsafeBuffer(bytes), bytes.length);
    }

    /**
     * Assert that a default validator refuses an artifact, naming the given region and offset.
     *
     * @param bytes          artifact.
     * @param section        expected {@link ArtifactFormatException#section()}.
     * @param offset         expected {@link ArtifactFormatException#offset()}.
     * @param reasonFragment text {@link ArtifactFormatException#reason()} must contain.
     * @return the exception, for further checks.
     */
    public static ArtifactFormatException assertRefused(
        final byte[] bytes, final String section, final long offset, final String reasonFragment)
    {
        return assertRefused(new ArtifactValidator(), bytes, section, offset, reasonFragment);
    }

    /**
     * Assert that a validator refuses an artifact, naming the given region and offset.
     *
     * @param validator      validator to use.
     * @param bytes          artifact.
     * @param section        expected {@link ArtifactFormatException#section()}.
     * @param offset         expected {@link ArtifactFormatException#offset()}.
     * @param reasonFragment text {@link ArtifactFormatException#reason()} must contain.
     * @return the exception, for further checks.
     */
    public static ArtifactFormatException assertRefused(
        final ArtifactValidator validator,
        final byte[] bytes,
        final String section,
        final long offset,
        final String reasonFragment)
    {
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class,
            () -> validator.validate(SOURCE, new UnsafeBuffer(bytes), bytes.length));
        assertEquals(SOURCE, ex.source(), ex::getMessage);
        assertEquals(section, ex.section(), ex::getMessage);
        assertEquals(offset, ex.offset(), ex::getMessage);
        assertTrue(ex.reason().contains(reasonFragment),
            () -> "reason '" + ex.reason() + "' does not contain '" + reasonFragment + "'");
        assertTrue(ex.getMessage().startsWith(SOURCE + ": " + section), ex::getMessage);
        return ex;
    }

    /**
     * @param bytes artifact.
     * @return section table offset from the header.
     */
    public static int tableOffset(final byte[] bytes)
    {
        return getInt(bytes, SECTION_TABLE_OFFSET_OFFSET);
    }

    /**
     * @param bytes artifact.
     * @return section count from the header.
     */
    public static int sectionCount(final byte[] bytes)
    {
        return getInt(bytes, SECTION_COUNT_OFFSET);
    }

    /**
     * @param bytes artifact.
     * @param index table index.
     * @return file offset of the table entry.
     */
    public static int entryOffset(final byte[] bytes, final int index)
    {
        return SectionTableDescriptor.entryOffset(tableOffset(bytes), index);
    }

    /**
     * @param bytes artifact.
     * @param index table index.
     * @return section offset from its table entry.
     */
    public static int sectionOffset(final byte[] bytes, final int index)
    {
        return (int)getLong(bytes, entryOffset(bytes, index) + SectionTableDescriptor.OFFSET_OFFSET);
    }

    /**
     * @param bytes artifact.
     * @param index table index.
     * @return section length from its table entry.
     */
    public static int sectionLength(final byte[] bytes, final int index)
    {
        return (int)getLong(bytes, entryOffset(bytes, index) + SectionTableDescriptor.LENGTH_OFFSET);
    }

    /**
     * @param bytes artifact.
     * @param index table index.
     * @return section type from its table entry.
     */
    public static int sectionType(final byte[] bytes, final int index)
    {
        return getShort(bytes, entryOffset(bytes, index) + SectionTableDescriptor.TYPE_OFFSET) & 0xFFFF;
    }

    /**
     * @param bytes artifact.
     * @param type  section type.
     * @return table index of the first section of that type, or -1.
     */
    public static int indexOfType(final byte[] bytes, final int type)
    {
        for (int i = 0; i < sectionCount(bytes); i++)
        {
            if (sectionType(bytes, i) == type)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Insert {@code extra} bytes at the end of the header (the space a newer minor version would use), moving
     * the table and every section and fixing the header fields that point at them. CRCs are recomputed; a
     * signature would no longer verify.
     *
     * @param bytes        artifact written with the standard 128-byte header.
     * @param headerLength header length to declare (>= 128).
     * @param extra        bytes to insert after byte 128; a multiple of 64 so sections stay aligned.
     * @param filler       value of the inserted bytes that lie inside the declared header.
     * @return the new artifact.
     */
    public static byte[] withLongerHeader(
        final byte[] bytes, final int headerLength, final int extra, final byte filler)
    {
        final int at = ArtifactDescriptor.HEADER_LENGTH;
        final byte[] out = new byte[bytes.length + extra];
        System.arraycopy(bytes, 0, out, 0, at);
        for (int i = at; i < headerLength; i++)
        {
            out[i] = filler;
        }
        System.arraycopy(bytes, at, out, at + extra, bytes.length - at);
        putInt(out, ArtifactDescriptor.HEADER_LENGTH_OFFSET, headerLength);
        putLong(out, ArtifactDescriptor.FILE_LENGTH_OFFSET, out.length);
        putInt(out, SECTION_TABLE_OFFSET_OFFSET, tableOffset(bytes) + extra);
        for (int i = 0; i < sectionCount(out); i++)
        {
            final int entry = entryOffset(out, i) + SectionTableDescriptor.OFFSET_OFFSET;
            putLong(out, entry, getLong(out, entry) + extra);
        }
        return recomputeChecksums(out);
    }

    /**
     * @param bytes array.
     * @param at    index.
     * @return little-endian short.
     */
    public static short getShort(final byte[] bytes, final int at)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(at);
    }

    /**
     * @param bytes array.
     * @param at    index.
     * @return little-endian int.
     */
    public static int getInt(final byte[] bytes, final int at)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    /**
     * @param bytes array.
     * @param at    index.
     * @return little-endian long.
     */
    public static long getLong(final byte[] bytes, final int at)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    /**
     * @param bytes array.
     * @param at    index.
     * @return little-endian double.
     */
    public static double getDouble(final byte[] bytes, final int at)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble(at);
    }

    /**
     * @param bytes array.
     * @param at    index.
     * @param value written little-endian as 2 bytes.
     */
    public static void putShort(final byte[] bytes, final int at, final int value)
    {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short)value);
    }

    /**
     * @param bytes array.
     * @param at    index.
     * @param value written little-endian.
     */
    public static void putInt(final byte[] bytes, final int at, final int value)
    {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    /**
     * @param bytes array.
     * @param at    index.
     * @param value written little-endian.
     */
    public static void putLong(final byte[] bytes, final int at, final long value)
    {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    }

    /**
     * @param bytes array.
     * @param at    index.
     * @param value written little-endian.
     */
    public static void putDouble(final byte[] bytes, final int at, final double value)
    {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(at, value);
    }

    /**
     * @param bytes array.
     * @param from  start index.
     * @param to    end index, exclusive.
     * @return a copy of the range.
     */
    public static byte[] slice(final byte[] bytes, final int from, final int to)
    {
        return Arrays.copyOfRange(bytes, from, to);
    }

    /**
     * A copy with one little-endian int replaced.
     *
     * @param bytes source.
     * @param at    offset.
     * @param value new value.
     * @return the copy.
     */
    public static byte[] patchInt(final byte[] bytes, final int at, final int value)
    {
        final byte[] copy = bytes.clone();
        java.nio.ByteBuffer.wrap(copy).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return copy;
    }

    /**
     * A copy with one byte replaced.
     *
     * @param bytes source.
     * @param at    offset.
     * @param value new value.
     * @return the copy.
     */
    public static byte[] patchByte(final byte[] bytes, final int at, final int value)
    {
        final byte[] copy = bytes.clone();
        copy[at] = (byte)value;
        return copy;
    }

    /**
     * A copy with one little-endian double replaced.
     *
     * @param bytes source.
     * @param at    offset.
     * @param value new value.
     * @return the copy.
     */
    public static byte[] patchDouble(final byte[] bytes, final int at, final double value)
    {
        final byte[] copy = bytes.clone();
        java.nio.ByteBuffer.wrap(copy).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(at, value);
        return copy;
    }

    /**
     * The bytes of a golden file. Golden files are written once, when a format version is released, by running the
     * test with {@code -Ddecide.golden.write=true} (only a missing file is written); afterwards they are only read.
     *
     * @param file   the golden file.
     * @param recipe what today's writer produces for it, written when the file is created.
     * @return the file's bytes.
     * @throws java.io.IOException when it cannot be read.
     */
    public static byte[] golden(final java.nio.file.Path file, final byte[] recipe) throws java.io.IOException
    {
        if (Boolean.getBoolean("decide.golden.write") && !java.nio.file.Files.exists(file))
        {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Files.write(file, recipe);
        }
        return java.nio.file.Files.readAllBytes(file);
    }
}
