package io.decide.tools.quota;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * items.bin: the binary columnar input of the quota solver, for instances too large for CSV. Little-endian.
 * <pre>
 *   0  magic       8 bytes  "DQITEMS1"
 *   8  version     u32      1
 *  12  K           u32      option count, 1..4096
 *  16  N           u64      item count, 0..2^31-1
 *  24  flags       u32      0
 *  28  reserved    36 bytes 0                                   (header: 64 bytes)
 *  64  costs       K x f64  non-decreasing, finite, >= 0
 *      labels      K x f64  finite: the option labels (k)
 *      item ids    N x i64  column "item"
 *      values      N x K f64, item-major: column "value" as a fixed-size list of K per item (Arrow's
 *                  FixedSizeList layout), so item i's options are contiguous
 * </pre>
 * The file length must be exactly {@code 64 + 16K + 8N + 8NK}. Writer and reader: this class.
 */
public final class ItemsBinary
{
    /** "DQITEMS1" as a little-endian long. */
    public static final long MAGIC = 0x31534D4554495144L;
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 64;
    public static final int MAX_OPTIONS = 4096;

    private static final int CHUNK_BYTES = 1 << 24;

    private ItemsBinary()
    {
    }

    /**
     * Write an instance, atomically (temporary file, then rename).
     *
     * @param instance the instance; item ids are its ids, or 0..N-1.
     * @param file     target.
     * @throws IOException when writing fails.
     */
    public static void write(final QuotaInstance instance, final Path file) throws IOException
    {
        final int k = instance.optionCount();
        final int n = instance.itemCount();
        final Path parent = file.toAbsolutePath().getParent();
        final Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE))
        {
            final ByteBuffer head = ByteBuffer.allocate(HEADER_LENGTH + 16 * k).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(0, MAGIC).putInt(8, VERSION).putInt(12, k).putLong(16, n);
            for (int o = 0; o < k; o++)
            {
                head.putDouble(HEADER_LENGTH + 8 * o, instance.costs()[o]);
                head.putDouble(HEADER_LENGTH + 8 * k + 8 * o, instance.labels()[o]);
            }
            writeFully(channel, head);
            final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            final long[] ids = instance.itemIds();
            for (int i = 0; i < n; i++)
            {
                if (chunk.remaining() < 8)
                {
                    flush(channel, chunk);
                }
                chunk.putLong(ids != null ? ids[i] : i);
            }
            final double[] values = instance.values();
            for (final double v : values)
            {
                if (chunk.remaining() < 8)
                {
                    flush(channel, chunk);
                }
                chunk.putDouble(v);
            }
            flush(channel, chunk);
            channel.force(false);
        }
        catch (final IOException | RuntimeException ex)
        {
            Files.deleteIfExists(temp);
            throw ex;
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Read an instance.
     *
     * @param file items.bin.
     * @return the instance, with item ids.
     * @throws IOException         when the file cannot be read.
     * @throws QuotaInputException when it is not a valid items.bin (the message names the field and offset).
     */
    public static QuotaInstance read(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long length = channel.size();
            if (length < HEADER_LENGTH)
            {
                throw new QuotaInputException(file + ": " + length + " bytes, shorter than the 64-byte header");
            }
            final ByteBuffer head = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, head, 0);
            if (head.getLong(0) != MAGIC)
            {
                throw new QuotaInputException(file + ": offset 0: bad magic, not an items.bin file");
            }
            if (head.getInt(8) != VERSION)
            {
                throw new QuotaInputException(file + ": offset 8: version " + head.getInt(8) + ", expected 1");
            }
            final long k = head.getInt(12) & 0xFFFF_FFFFL;
            if (k < 1 || k > MAX_OPTIONS)
            {
                throw new QuotaInputException(file + ": offset 12: option count " + k + ", expected 1.." +
                    MAX_OPTIONS);
            }
            final long n = head.getLong(16);
            if (n < 0 || n * k > Integer.MAX_VALUE - 8)
            {
                throw new QuotaInputException(file + ": offset 16: item count " + n + " with " + k +
                    " options is more values than one array holds");
            }
            if (head.getInt(24) != 0)
            {
                throw new QuotaInputException(file + ": offset 24: flags must be 0");
            }
            final long expected = HEADER_LENGTH + 16 * k + 8 * n + 8 * n * k;
            if (length != expected)
            {
                throw new QuotaInputException(file + ": " + length + " bytes, expected " + expected + " for " + n +
                    " items x " + k + " options");
            }
            final int options = (int)k;
            final int items = (int)n;
            final double[] costs = new double[options];
            final double[] labels = new double[options];
            readDoubles(channel, HEADER_LENGTH, costs);
            readDoubles(channel, HEADER_LENGTH + 8L * options, labels);
            for (int o = 0; o < options; o++)
            {
                if (!Double.isFinite(costs[o]) || costs[o] < 0 || (o > 0 && costs[o] < costs[o - 1]))
                {
                    throw new QuotaInputException(file + ": offset " + (HEADER_LENGTH + 8 * o) + ": cost of option " +
                        o + " is " + costs[o] + ", expected finite, >= 0 and non-decreasing");
                }
                if (!Double.isFinite(labels[o]))
                {
                    throw new QuotaInputException(file + ": offset " + (HEADER_LENGTH + 8 * (options + o)) +
                        ": label of option " + o + " is not finite");
                }
            }
            final long idsOffset = HEADER_LENGTH + 16L * options;
            final long[] ids = new long[items];
            final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            long at = idsOffset;
            int filled = 0;
            while (filled < items)
            {
                final int count = Math.min(items - filled, CHUNK_BYTES / 8);
                chunk.clear().limit(count * 8);
                readFully(channel, chunk, at);
                chunk.flip();
                chunk.asLongBuffer().get(ids, filled, count);
                filled += count;
                at += 8L * count;
            }
            final double[] values = new double[items * options];
            readDoubles(channel, idsOffset + 8L * items, values);
            for (int i = 0; i < values.length; i++)
            {
                if (!Double.isFinite(values[i]))
                {
                    throw new QuotaInputException(file + ": offset " + (idsOffset + 8L * items + 8L * i) +
                        ": value of item " + ids[i / options] + " option " + (i % options) + " is not finite");
                }
            }
            return new QuotaInstance(costs, labels, null, values, null, ids);
        }
    }

    private static void readDoubles(final FileChannel channel, final long offset, final double[] into)
        throws IOException
    {
        final ByteBuffer chunk = ByteBuffer.allocate(Math.min(CHUNK_BYTES, Math.max(8, 8 * into.length)))
            .order(ByteOrder.LITTLE_ENDIAN);
        long at = offset;
        int filled = 0;
        while (filled < into.length)
        {
            final int count = Math.min(into.length - filled, chunk.capacity() / 8);
            chunk.clear().limit(count * 8);
            readFully(channel, chunk, at);
            chunk.flip();
            chunk.asDoubleBuffer().get(into, filled, count);
            filled += count;
            at += 8L * count;
        }
    }

    private static void readFully(final FileChannel channel, final ByteBuffer buffer, final long offset)
        throws IOException
    {
        long at = offset;
        while (buffer.hasRemaining())
        {
            final int read = channel.read(buffer, at);
            if (read < 0)
            {
                throw new IOException("unexpected end of file at offset " + at);
            }
            at += read;
        }
    }

    private static void flush(final FileChannel channel, final ByteBuffer chunk) throws IOException
    {
        chunk.flip();
        writeFully(channel, chunk);
        chunk.clear();
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }
}
