package io.decide.engine.log;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static io.decide.engine.log.LogFixtures.ADSLOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Torn tails and corruption, made by editing the files a real log wrote. An open segment as a killed writer leaves
 * it is made from a sealed one: state 0, data end and record count 0, and the file extended with zeros.
 */
class DecisionLogDamageTest
{
    private static final int RECORDS = 3_000;
    private static final int MAX_ACTIONS = 6;

    @TempDir
    Path dir;

    private List<Path> files;
    /** Offsets of every record in the last segment. */
    private final List<Integer> lastOffsets = new ArrayList<>();
    private long recordsBeforeLast;

    @BeforeEach
    void writeLog() throws IOException
    {
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir).withSegmentBytes(128 << 10)
            .withMaxActions(MAX_ACTIONS)))
        {
            final int id = log.artifactId(ADSLOT);
            for (long r = 0; r < RECORDS; r++)
            {
                final long seq = log.claim();
                LogFixtures.fill(log.event(seq), r, id, MAX_ACTIONS, 0);
                log.publish(seq);
            }
        }
        files = DecisionLogReader.segmentFiles(dir);
        assertTrue(files.size() >= 3, "segments " + files.size());
        try (DecisionLogReader reader = DecisionLogReader.open(dir))
        {
            while (reader.next())
            {
                if (reader.file().equals(last()))
                {
                    lastOffsets.add((int)reader.offset());
                }
                else
                {
                    recordsBeforeLast++;
                }
            }
        }
        assertTrue(lastOffsets.size() > 10);
    }

    private Path last()
    {
        return files.get(files.size() - 1);
    }

    private int lastRecordOffset()
    {
        return lastOffsets.get(lastOffsets.size() - 1);
    }

    /** Turn the last (sealed) segment into an open one, as if its writer had been killed. */
    private void reopen(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            putInt(channel, DecisionLogDescriptor.STATE_OFFSET, DecisionLogDescriptor.STATE_OPEN);
            putLong(channel, DecisionLogDescriptor.DATA_END_OFFSET, 0);
            putLong(channel, DecisionLogDescriptor.RECORD_COUNT_OFFSET, 0);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(raf.length() + (64 << 10));
        }
    }

    private static void putInt(final FileChannel channel, final long at, final int value) throws IOException
    {
        channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), at);
    }

    private static void putLong(final FileChannel channel, final long at, final long value) throws IOException
    {
        channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), at);
    }

    private static void flipByte(final Path file, final long at) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(at);
            final int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x40);
        }
    }

    /** Read everything; return the number of records, checking each against its request id. */
    private long readAll(final List<TornTail> tears) throws IOException
    {
        try (DecisionLogReader reader = DecisionLogReader.open(dir))
        {
            long r = 0;
            while (reader.next())
            {
                LogFixtures.check(reader, r, ADSLOT, MAX_ACTIONS, 0);
                r++;
            }
            tears.addAll(reader.tornTails());
            return r;
        }
    }

    @Test
    void anOpenSegmentWithoutDamageReadsCompletelyWithNoTear() throws IOException
    {
        reopen(last());
        final List<TornTail> tears = new ArrayList<>();
        assertEquals(RECORDS, readAll(tears));
        assertEquals(List.of(), tears);
    }

    @Test
    void aTruncatedLastRecordIsATornTailAndEveryRecordBeforeItIsRead() throws IOException
    {
        reopen(last());
        final int tear = lastRecordOffset();
        try (FileChannel channel = FileChannel.open(last(), StandardOpenOption.WRITE))
        {
            channel.truncate(tear + 40);
        }
        final List<TornTail> tears = new ArrayList<>();
        assertEquals(RECORDS - 1, readAll(tears));
        assertEquals(1, tears.size());
        assertEquals(last(), tears.get(0).file());
        assertEquals(tear, tears.get(0).offset());
        assertEquals(40, tears.get(0).skippedBytes());
        assertTrue(tears.get(0).reason().contains("runs past the end"), tears.get(0).reason());
    }

    @Test
    void aLastRecordWithABadChecksumIsATornTail() throws IOException
    {
        reopen(last());
        final int tear = lastRecordOffset();
        flipByte(last(), tear + DecisionLogDescriptor.PROPENSITY_OFFSET + 3);
        final List<TornTail> tears = new ArrayList<>();
        assertEquals(RECORDS - 1, readAll(tears));
        assertEquals(1, tears.size());
        assertEquals(tear, tears.get(0).offset());
        assertTrue(tears.get(0).reason().contains("CRC32C"), tears.get(0).reason());
    }

    @Test
    void anUncommittedLastRecordIsATornTail() throws IOException
    {
        reopen(last());
        final int tear = lastRecordOffset();
        try (FileChannel channel = FileChannel.open(last(), StandardOpenOption.WRITE))
        {
            putInt(channel, tear, 0);
        }
        final List<TornTail> tears = new ArrayList<>();
        assertEquals(RECORDS - 1, readAll(tears));
        assertEquals(1, tears.size());
        assertEquals(tear, tears.get(0).offset());
        assertTrue(tears.get(0).reason().contains("not committed"), tears.get(0).reason());
    }

    @Test
    void aBadRecordFollowedByValidOnesIsCorruptionNamingFileAndOffset() throws IOException
    {
        reopen(last());
        final int bad = lastOffsets.get(3);
        flipByte(last(), bad + DecisionLogDescriptor.USER_ID_OFFSET);
        final DecisionLogCorruptException ex = assertThrows(DecisionLogCorruptException.class,
            () -> readAll(new ArrayList<>()));
        assertEquals(last(), ex.file());
        assertEquals(bad, ex.offset());
        assertTrue(ex.getMessage().startsWith(last() + " at offset " + bad + ": record CRC32C"), ex.getMessage());
        assertTrue(ex.getMessage().endsWith("but a valid record follows at offset " + lastOffsets.get(4)),
            ex.getMessage());
    }

    @Test
    void anyBadRecordInASealedSegmentIsCorruption() throws IOException
    {
        final Path first = files.get(0);
        final long at = DecisionLogDescriptor.HEADER_LENGTH;
        flipByte(first, at + DecisionLogDescriptor.TIME_OFFSET + 1);
        final DecisionLogCorruptException ex = assertThrows(DecisionLogCorruptException.class,
            () -> readAll(new ArrayList<>()));
        assertEquals(first, ex.file());
        assertEquals(at, ex.offset());
        assertTrue(ex.reason().contains("sealed"), ex.getMessage());
    }

    @Test
    void aSealedSegmentCutShortIsCorruption() throws IOException
    {
        final Path first = files.get(0);
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE))
        {
            channel.truncate(channel.size() - 8);
        }
        final DecisionLogCorruptException ex = assertThrows(DecisionLogCorruptException.class,
            () -> readAll(new ArrayList<>()));
        assertEquals(first, ex.file());
        assertEquals(DecisionLogDescriptor.DATA_END_OFFSET, ex.offset());
    }

    @Test
    void aWrongRecordCountInASealedSegmentIsCorruption() throws IOException
    {
        final Path first = files.get(1);
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE))
        {
            putLong(channel, DecisionLogDescriptor.RECORD_COUNT_OFFSET, 5);
        }
        final DecisionLogCorruptException ex = assertThrows(DecisionLogCorruptException.class,
            () -> readAll(new ArrayList<>()));
        assertEquals(first, ex.file());
        assertEquals(DecisionLogDescriptor.RECORD_COUNT_OFFSET, ex.offset());
        assertTrue(ex.reason().startsWith("sealed record count 5"), ex.getMessage());
    }

    @Test
    void badHeadersAreCorruptionNamingTheField() throws IOException
    {
        final Path second = files.get(1);
        flipByte(second, 2);
        DecisionLogCorruptException ex = assertThrows(DecisionLogCorruptException.class,
            () -> readAll(new ArrayList<>()));
        assertEquals(second, ex.file());
        assertEquals(DecisionLogDescriptor.MAGIC_OFFSET, ex.offset());
        flipByte(second, 2);
        try (FileChannel channel = FileChannel.open(second, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short)2),
                DecisionLogDescriptor.MAJOR_VERSION_OFFSET);
        }
        ex = assertThrows(DecisionLogCorruptException.class, () -> readAll(new ArrayList<>()));
        assertEquals(DecisionLogDescriptor.MAJOR_VERSION_OFFSET, ex.offset());
        assertTrue(ex.reason().contains("major version 2"), ex.getMessage());
    }

    @Test
    void aSegmentWhoseHeaderWasNeverWrittenIsATornTailAtOffsetZero() throws IOException
    {
        final Path empty = dir.resolve(DecisionLogDescriptor.fileName(files.size()));
        Files.write(empty, new byte[8192]);
        final List<TornTail> tears = new ArrayList<>();
        assertEquals(RECORDS, readAll(tears));
        assertEquals(List.of(new TornTail(empty, 0, 8192, "segment header never completed (all 8192 bytes zero)")),
            tears);
        assertEquals(recordsBeforeLast + lastOffsets.size(), RECORDS);
    }

    @Test
    void aSegmentIndexThatDisagreesWithTheFileNameIsCorruption() throws IOException
    {
        final Path renamed = dir.resolve(DecisionLogDescriptor.fileName(99));
        Files.move(files.get(0), renamed);
        final DecisionLogCorruptException ex = assertThrows(DecisionLogCorruptException.class,
            () -> LogFixtures.requestIds(dir));
        assertEquals(renamed, ex.file());
        assertEquals(DecisionLogDescriptor.SEGMENT_INDEX_OFFSET, ex.offset());
    }
}
