package io.decide.engine.log;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static io.decide.engine.log.DecisionLogDescriptor.ACTION_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.CRC_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.DATA_END_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.FEATURE_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.HEADER_LENGTH_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.MAGIC;
import static io.decide.engine.log.DecisionLogDescriptor.MAGIC_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.MAJOR_VERSION;
import static io.decide.engine.log.DecisionLogDescriptor.MAJOR_VERSION_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.NAMES_LENGTH_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.NAMES_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.NAME_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.NAME_ID_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.RECORD_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.RECORD_HEADER_LENGTH;
import static io.decide.engine.log.DecisionLogDescriptor.SEGMENT_INDEX_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.STATE_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.STATE_OPEN;
import static io.decide.engine.log.DecisionLogDescriptor.STATE_SEALED;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Reads a decision log directory: every segment in index order, every record in file order, through one
 * {@link DecisionRecordFlyweight} that {@link #next()} moves (valid until the next call). Each record's length,
 * counts, name id and CRC32C are checked before it is handed out.
 * <p>
 * Damage is told apart from a crash: in an <em>open</em> segment (its writer was killed, or is still writing) the
 * first bad record is a <em>torn tail</em> when no valid record follows it; it is skipped and reported in
 * {@link #tornTails()}, naming file and offset. Anything else (a bad header, a bad record followed by valid ones, a
 * bad record or a wrong record count in a <em>sealed</em> segment) throws {@link DecisionLogCorruptException}
 * naming the file, the offset and what was expected. A segment whose header was never completed (all zero) is a
 * torn tail at offset 0.
 * <p>
 * Read a directory whose writer has closed (or crashed), or only its sealed segments: a running writer truncates a
 * segment when it seals it, and a mapped page past the new end of file faults. Not thread-safe; the flyweight and
 * {@link #artifactName()} are valid until the next {@link #next()} or {@link #close()}.
 */
public final class DecisionLogReader implements AutoCloseable
{
    private final List<Path> segments;
    private final List<TornTail> tornTails = new ArrayList<>();
    private final DecisionRecordFlyweight record = new DecisionRecordFlyweight();
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final CRC32C crc = new CRC32C();

    private int segmentOrdinal = -1;
    private Path file;
    private MappedByteBuffer mapped;
    private ByteBuffer crcView;
    private long segmentIndex;
    private boolean sealed;
    private int limit;
    private int position;
    private long segmentRecords;
    private long declaredRecords;
    private String[] names = new String[0];
    private long recordsRead;
    private boolean segmentDone = true;

    private DecisionLogReader(final List<Path> segments)
    {
        this.segments = segments;
    }

    /**
     * @param directory a decision log directory.
     * @return a reader positioned before the first record.
     * @throws IOException when the directory cannot be listed.
     */
    public static DecisionLogReader open(final Path directory) throws IOException
    {
        return new DecisionLogReader(segmentFiles(directory));
    }

    /**
     * @param directory a decision log directory.
     * @return its segment files in index order (other files are ignored).
     * @throws IOException when it cannot be listed.
     */
    public static List<Path> segmentFiles(final Path directory) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)list::iterator)
            {
                if (DecisionLogDescriptor.segmentIndex(file.getFileName().toString()) >= 0)
                {
                    files.add(file);
                }
            }
        }
        files.sort((a, b) -> Long.compare(DecisionLogDescriptor.segmentIndex(a.getFileName().toString()),
            DecisionLogDescriptor.segmentIndex(b.getFileName().toString())));
        return files;
    }

    /**
     * Move to the next record.
     *
     * @return false when every segment has been read.
     * @throws DecisionLogCorruptException when a segment is damaged other than by a torn tail.
     * @throws IOException                 when a segment cannot be read.
     */
    public boolean next() throws IOException
    {
        while (true)
        {
            if (!segmentDone && nextInSegment())
            {
                recordsRead++;
                segmentRecords++;
                return true;
            }
            if (!segmentDone)
            {
                finishSegment();
            }
            unmap();
            if (segmentOrdinal + 1 >= segments.size())
            {
                return false;
            }
            segmentOrdinal++;
            openSegment(segments.get(segmentOrdinal));
        }
    }

    /** @return the current record (valid until {@link #next()} is called again). */
    public DecisionRecordFlyweight record()
    {
        return record;
    }

    /** @return the current record's artifact name, from its segment's names table. */
    public String artifactName()
    {
        return names[record.artifactNameId()];
    }

    /** @return the current segment file. */
    public Path file()
    {
        return file;
    }

    /** @return the current segment's index. */
    public long segmentIndex()
    {
        return segmentIndex;
    }

    /** @return the byte offset of the current record in its segment file. */
    public long offset()
    {
        return record.offset();
    }

    /** @return records read so far. */
    public long recordsRead()
    {
        return recordsRead;
    }

    /** @return the torn tails found so far, in segment order. */
    public List<TornTail> tornTails()
    {
        return Collections.unmodifiableList(tornTails);
    }

    /** @return the segment files this reader reads, in order. */
    public List<Path> segments()
    {
        return Collections.unmodifiableList(segments);
    }

    @Override
    public void close()
    {
        unmap();
        segmentOrdinal = segments.size();
        segmentDone = true;
    }

    private void unmap()
    {
        if (mapped != null)
        {
            buffer.wrap(0, 0);
            IoUtil.unmap(mapped);
            mapped = null;
            crcView = null;
        }
    }

    private void openSegment(final Path segment) throws IOException
    {
        file = segment;
        segmentIndex = DecisionLogDescriptor.segmentIndex(segment.getFileName().toString());
        segmentRecords = 0;
        names = new String[0];
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size > Integer.MAX_VALUE)
            {
                throw corrupt(0, "file of " + size + " bytes, longer than a segment can be (" + Integer.MAX_VALUE +
                    ")");
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        buffer.wrap(mapped);
        crcView = mapped.duplicate();
        final int size = buffer.capacity();
        if (size < 8 || buffer.getLong(MAGIC_OFFSET, LITTLE_ENDIAN) == 0)
        {
            final int nonZero = firstNonZero(0, size);
            if (nonZero >= 8)
            {
                throw corrupt(MAGIC_OFFSET, "magic is zero but byte " + nonZero + " is not: expected \"DECIDLOG\"");
            }
            if (nonZero < 0)
            {
                tornTails.add(new TornTail(file, 0, size, size == 0 ? "empty segment file (header never written)" :
                    "segment header never completed (all " + size + " bytes zero)"));
                segmentDone = true;
                return;
            }
        }
        if (size < NAMES_OFFSET)
        {
            throw corrupt(0, "file of " + size + " bytes, shorter than the " + NAMES_OFFSET +
                "-byte fixed header");
        }
        final long magic = buffer.getLong(MAGIC_OFFSET, LITTLE_ENDIAN);
        if (magic != MAGIC)
        {
            throw corrupt(MAGIC_OFFSET, "magic 0x" + Long.toHexString(magic) + ", expected \"DECIDLOG\" (0x" +
                Long.toHexString(MAGIC) + ")");
        }
        final int major = buffer.getShort(MAJOR_VERSION_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
        if (major != MAJOR_VERSION)
        {
            throw corrupt(MAJOR_VERSION_OFFSET, "major version " + major + ", this reader reads " + MAJOR_VERSION);
        }
        final int headerLength = buffer.getInt(HEADER_LENGTH_OFFSET, LITTLE_ENDIAN);
        if (headerLength < NAMES_OFFSET || (headerLength & 7) != 0 || headerLength > size)
        {
            throw corrupt(HEADER_LENGTH_OFFSET, "header length " + headerLength + ", expected a multiple of 8 in " +
                NAMES_OFFSET + ".." + size + " (the file length)");
        }
        final long headerIndex = buffer.getLong(SEGMENT_INDEX_OFFSET, LITTLE_ENDIAN);
        if (headerIndex != segmentIndex)
        {
            throw corrupt(SEGMENT_INDEX_OFFSET, "segment index " + headerIndex + ", the file name says " +
                segmentIndex);
        }
        final int state = buffer.getInt(STATE_OFFSET, LITTLE_ENDIAN);
        if (state != STATE_OPEN && state != STATE_SEALED)
        {
            throw corrupt(STATE_OFFSET, "state " + state + ", expected 0 (open) or 1 (sealed)");
        }
        readNames(headerLength);
        sealed = state == STATE_SEALED;
        if (sealed)
        {
            final long dataEnd = buffer.getLong(DATA_END_OFFSET, LITTLE_ENDIAN);
            if (dataEnd < headerLength || dataEnd > size || (dataEnd & 7) != 0)
            {
                throw corrupt(DATA_END_OFFSET, "sealed data end " + dataEnd + ", expected a multiple of 8 in " +
                    headerLength + ".." + size);
            }
            declaredRecords = buffer.getLong(RECORD_COUNT_OFFSET, LITTLE_ENDIAN);
            limit = (int)dataEnd;
        }
        else
        {
            declaredRecords = -1;
            limit = size;
        }
        position = headerLength;
        segmentDone = false;
    }

    private void readNames(final int headerLength) throws IOException
    {
        final int count = buffer.getInt(NAME_COUNT_OFFSET, LITTLE_ENDIAN);
        final int length = buffer.getInt(NAMES_LENGTH_OFFSET, LITTLE_ENDIAN);
        if (length < 0 || length > headerLength - NAMES_OFFSET || (length & 7) != 0)
        {
            throw corrupt(NAMES_LENGTH_OFFSET, "names length " + length + ", expected a multiple of 8 in 0.." +
                (headerLength - NAMES_OFFSET));
        }
        if (count < 0 || count > length / 8)
        {
            throw corrupt(NAME_COUNT_OFFSET, "name count " + count + " with a names table of " + length + " bytes");
        }
        final String[] read = new String[count];
        int at = NAMES_OFFSET;
        for (int i = 0; i < count; i++)
        {
            if (at + 2 > NAMES_OFFSET + length)
            {
                throw corrupt(at, "name " + i + " starts past the names table's " + length + " bytes");
            }
            final int bytes = buffer.getShort(at, LITTLE_ENDIAN) & 0xFFFF;
            final int entry = DecisionLogDescriptor.nameEntryLength(bytes);
            if (bytes == 0 || bytes > DecisionLogDescriptor.MAX_NAME_BYTES || at + entry > NAMES_OFFSET + length)
            {
                throw corrupt(at, "name " + i + " of " + bytes + " bytes, expected 1.." +
                    DecisionLogDescriptor.MAX_NAME_BYTES + " inside the names table");
            }
            final byte[] utf8 = new byte[bytes];
            buffer.getBytes(at + 2, utf8);
            try
            {
                read[i] = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
            }
            catch (final CharacterCodingException ex)
            {
                throw corrupt(at + 2, "name " + i + " is not valid UTF-8");
            }
            at += entry;
        }
        names = read;
    }

    /** @return true with the flyweight on the next valid record; false at the segment's end or its torn tail. */
    private boolean nextInSegment() throws IOException
    {
        final int p = position;
        if (p == limit)
        {
            return false;
        }
        final String problem = checkRecord(p);
        if (problem == null)
        {
            record.wrap(buffer, p);
            position = p + buffer.getInt(p, LITTLE_ENDIAN);
            return true;
        }
        if (sealed)
        {
            throw corrupt(p, problem + " (inside sealed data ending at " + limit + ")");
        }
        if (problem == END)
        {
            final int nonZero = firstNonZero(p, limit);
            if (nonZero < 0)
            {
                position = limit;
                return false;
            }
        }
        final int later = nextValidRecord(p + 8);
        if (later >= 0)
        {
            throw corrupt(p, (problem == END ? "record length 0 (not committed)" : problem) +
                ", but a valid record follows at offset " + later);
        }
        tornTails.add(new TornTail(file, p, limit - p, problem == END ?
            "record not committed (length 0) but bytes written at offset " + firstNonZero(p, limit) : problem));
        position = limit;
        return false;
    }

    private static final String END = "end";

    /** @return null when a complete, valid record starts at p; {@link #END} for a zero length; else the problem. */
    private String checkRecord(final int p)
    {
        if (limit - p < 8)
        {
            return "only " + (limit - p) + " bytes left, less than a record's length and checksum";
        }
        final int length = buffer.getInt(p, LITTLE_ENDIAN);
        if (length == 0)
        {
            return END;
        }
        if (length < RECORD_HEADER_LENGTH || (length & 7) != 0)
        {
            return "record length " + length + ", expected a multiple of 8 >= " + RECORD_HEADER_LENGTH;
        }
        if (length > limit - p)
        {
            return "record length " + length + " runs past the end of the data at " + limit + " (" + (limit - p) +
                " bytes left)";
        }
        final int actions = buffer.getShort(p + ACTION_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
        final int features = buffer.getShort(p + FEATURE_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
        final int expected = DecisionLogDescriptor.recordLength(actions, features);
        if (length != expected)
        {
            return "record length " + length + " but " + actions + " actions and " + features + " features need " +
                expected;
        }
        crcView.limit(p + length).position(p + CRC_OFFSET + 4);
        crc.reset();
        crc.update(crcView);
        final int computed = (int)crc.getValue();
        final int stored = buffer.getInt(p + CRC_OFFSET, LITTLE_ENDIAN);
        if (computed != stored)
        {
            return "record CRC32C 0x" + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed);
        }
        final int nameId = buffer.getShort(p + NAME_ID_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
        if (nameId >= names.length)
        {
            return "artifact name id " + nameId + ", the header names " + names.length;
        }
        return null;
    }

    /** @return offset of the first valid record at an 8-aligned position from {@code from}, or -1. */
    private int nextValidRecord(final int from)
    {
        for (int q = from; q + 8 <= limit; q += 8)
        {
            if (buffer.getInt(q, LITTLE_ENDIAN) != 0 && checkRecord(q) == null)
            {
                return q;
            }
        }
        return -1;
    }

    private int firstNonZero(final int from, final int to)
    {
        int q = from;
        for (; q + 8 <= to; q += 8)
        {
            if (buffer.getLong(q) != 0)
            {
                break;
            }
        }
        for (; q < to; q++)
        {
            if (buffer.getByte(q) != 0)
            {
                return q;
            }
        }
        return -1;
    }

    private void finishSegment() throws IOException
    {
        segmentDone = true;
        if (sealed && segmentRecords != declaredRecords)
        {
            throw corrupt(RECORD_COUNT_OFFSET, "sealed record count " + declaredRecords + ", but the data holds " +
                segmentRecords + " records");
        }
    }

    private DecisionLogCorruptException corrupt(final long offset, final String reason)
    {
        return new DecisionLogCorruptException(file, offset, reason);
    }
}
