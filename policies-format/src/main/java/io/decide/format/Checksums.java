package io.decide.format;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.zip.CRC32C;

/**
 * CRC32C and digests over ranges of a {@link DirectBuffer}, whatever backs it: a byte array, a heap or direct
 * (memory-mapped) {@link ByteBuffer}, or a raw address. Load-time only.
 */
public final class Checksums
{
    private static final int CHUNK = 64 * 1024;

    private Checksums()
    {
    }

    /**
     * CRC32C of a range.
     *
     * @param buffer bytes.
     * @param offset start of the range.
     * @param length length of the range.
     * @return the CRC32C value as an int.
     */
    public static int crc32c(final DirectBuffer buffer, final int offset, final int length)
    {
        final CRC32C crc = new CRC32C();
        update(crc, null, buffer, offset, length);
        return (int)crc.getValue();
    }

    /**
     * CRC32C of a whole artifact, taking the 4-byte file CRC field as zero.
     *
     * @param buffer     artifact bytes.
     * @param fileLength number of bytes in the artifact.
     * @return the CRC32C value.
     */
    public static int fileCrc32c(final DirectBuffer buffer, final int fileLength)
    {
        final CRC32C crc = new CRC32C();
        final int hole = ArtifactDescriptor.FILE_CRC_OFFSET;
        update(crc, null, buffer, 0, hole);
        crc.update(new byte[4]);
        update(crc, null, buffer, hole + 4, fileLength - hole - 4);
        return (int)crc.getValue();
    }

    /**
     * Feed a range of bytes to a digest.
     *
     * @param digest digest to update.
     * @param buffer bytes.
     * @param offset start.
     * @param length length.
     */
    public static void digest(final MessageDigest digest, final DirectBuffer buffer, final int offset, final int length)
    {
        update(null, digest, buffer, offset, length);
    }

    private static void update(
        final CRC32C crc, final MessageDigest digest, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return;
        }
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            final int start = (int)buffer.wrapAdjustment() + offset;
            if (crc != null)
            {
                crc.update(array, start, length);
            }
            else
            {
                digest.update(array, start, length);
            }
            return;
        }
        final ByteBuffer byteBuffer = buffer.byteBuffer();
        if (byteBuffer != null)
        {
            final int start = (int)buffer.wrapAdjustment() + offset;
            final ByteBuffer view = byteBuffer.duplicate();
            view.clear().position(start).limit(start + length);
            if (crc != null)
            {
                crc.update(view);
            }
            else
            {
                digest.update(view);
            }
            return;
        }
        final byte[] chunk = new byte[Math.min(CHUNK, length)];
        for (int done = 0; done < length; )
        {
            final int n = Math.min(chunk.length, length - done);
            buffer.getBytes(offset + done, chunk, 0, n);
            if (crc != null)
            {
                crc.update(chunk, 0, n);
            }
            else
            {
                digest.update(chunk, 0, n);
            }
            done += n;
        }
    }
}
