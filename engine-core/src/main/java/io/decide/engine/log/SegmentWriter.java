package io.decide.engine.log;

import com.lmax.disruptor.EventHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static io.decide.engine.log.DecisionLogDescriptor.ACTION_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.ACTION_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.ARTIFACT_VERSION_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.CRC_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.CREATION_TIME_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.DATA_END_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.FEATURE_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.FLAGS_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.HEADER_LENGTH;
import static io.decide.engine.log.DecisionLogDescriptor.HEADER_LENGTH_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.KIND_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.LENGTH_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.MAGIC;
import static io.decide.engine.log.DecisionLogDescriptor.MAGIC_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.MAJOR_VERSION;
import static io.decide.engine.log.DecisionLogDescriptor.MAJOR_VERSION_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.MINOR_VERSION;
import static io.decide.engine.log.DecisionLogDescriptor.MINOR_VERSION_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.NAMES_LENGTH_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.NAMES_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.NAME_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.NAME_ID_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.POSITION_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.PROPENSITY_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.RECORD_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.RECORD_HEADER_LENGTH;
import static io.decide.engine.log.DecisionLogDescriptor.REQUEST_ID_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.SEGMENT_INDEX_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.STATE_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.STATE_OPEN;
import static io.decide.engine.log.DecisionLogDescriptor.STATE_SEALED;
import static io.decide.engine.log.DecisionLogDescriptor.TIME_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.USER_ID_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The writer thread's side of a {@link DecisionLog}: encodes each {@link DecisionEvent} as a record
 * ({@link DecisionLogDescriptor}) in the current memory-mapped segment, rolling to a new segment by size and age.
 * A record's bytes and checksum are stored first and its length last, after a release fence, so a crash leaves
 * every record either complete or with a zero length. Never throws out of {@link #onEvent}: an event it cannot
 * write is counted ({@link DecisionLog#rejected()}, {@link DecisionLog#failures()}) and the writer continues.
 * Single-threaded: the Disruptor's processor thread, then the thread closing the log after that thread ended.
 */
final class SegmentWriter implements EventHandler<DecisionEvent>
{
    private final Path directory;
    private final long segmentBytes;
    private final long rollIntervalNs;
    private final int maxActions;
    private final int maxFeatures;
    private final boolean forceOnSeal;
    private final ArtifactNames names;
    private final EpochNanoClock clock;
    private final DecisionLog.Counters counters;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final CRC32C crc = new CRC32C();

    private long nextSegmentIndex;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private Path segmentFile;
    private int position;
    private long segmentRecords;
    private long segmentCreatedNs;
    private int segmentNameCount;
    private int segmentNamesLength;

    SegmentWriter(
        final DecisionLogConfig config,
        final ArtifactNames names,
        final EpochNanoClock clock,
        final DecisionLog.Counters counters) throws IOException
    {
        this.directory = config.directory();
        this.segmentBytes = config.segmentBytes();
        this.rollIntervalNs = config.rollInterval().toNanos();
        this.maxActions = config.maxActions();
        this.maxFeatures = config.maxFeatures();
        this.forceOnSeal = config.forceOnSeal();
        this.names = names;
        this.clock = clock;
        this.counters = counters;
        Files.createDirectories(directory);
        this.nextSegmentIndex = lastSegmentIndex(directory) + 1;
    }

    /**
     * @param directory a log directory.
     * @return the highest segment index in it, or -1 when it holds none.
     * @throws IOException when it cannot be listed.
     */
    static long lastSegmentIndex(final Path directory) throws IOException
    {
        long last = -1;
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                last = Math.max(last, DecisionLogDescriptor.segmentIndex(file.getFileName().toString()));
            }
        }
        return last;
    }

    /** @return the segment being written, or null. */
    Path segmentFile()
    {
        return segmentFile;
    }

    @Override
    public void onEvent(final DecisionEvent event, final long sequence, final boolean endOfBatch)
    {
        write(event);
    }

    /**
     * Append one record; rejects (and counts) an event whose counts or name id are out of range.
     *
     * @param event the decision.
     */
    void write(final DecisionEvent event)
    {
        if (event.voided)
        {
            event.voided = false;
            return;
        }
        final int actionCount = event.actionCount;
        final int featureCount = maxFeatures == 0 ? 0 : event.featureCount;
        final int nameId = event.artifactNameId;
        if (actionCount < 0 || actionCount > maxActions || featureCount < 0 || featureCount > maxFeatures ||
            nameId < 0 || nameId >= names.count() || (event.kind & ~0xFF) != 0)
        {
            counters.rejected.incrementAndGet();
            return;
        }
        final int length = RECORD_HEADER_LENGTH + 8 * actionCount + 8 * featureCount;
        try
        {
            if (mapped == null || position + length > segmentBytes ||
                (segmentRecords > 0 && System.nanoTime() - segmentCreatedNs >= rollIntervalNs))
            {
                roll();
            }
            if (nameId >= segmentNameCount)
            {
                appendNames(nameId);
            }
            final UnsafeBuffer buffer = this.buffer;
            final int p = position;
            buffer.putLong(p + REQUEST_ID_OFFSET, event.requestId, LITTLE_ENDIAN);
            buffer.putLong(p + USER_ID_OFFSET, event.userId, LITTLE_ENDIAN);
            buffer.putLong(p + TIME_OFFSET, event.timeEpochNanos, LITTLE_ENDIAN);
            buffer.putLong(p + ARTIFACT_VERSION_OFFSET, event.artifactVersion, LITTLE_ENDIAN);
            buffer.putShort(p + NAME_ID_OFFSET, (short)nameId, LITTLE_ENDIAN);
            buffer.putByte(p + KIND_OFFSET, (byte)event.kind);
            buffer.putByte(p + FLAGS_OFFSET, (byte)0);
            buffer.putShort(p + ACTION_COUNT_OFFSET, (short)actionCount, LITTLE_ENDIAN);
            buffer.putShort(p + FEATURE_COUNT_OFFSET, (short)featureCount, LITTLE_ENDIAN);
            buffer.putInt(p + ACTION_OFFSET, event.action, LITTLE_ENDIAN);
            buffer.putInt(p + POSITION_OFFSET, event.position, LITTLE_ENDIAN);
            buffer.putDouble(p + PROPENSITY_OFFSET, event.propensity, LITTLE_ENDIAN);
            final double[] probabilities = event.probabilities;
            int at = p + RECORD_HEADER_LENGTH;
            for (int a = 0; a < actionCount; a++, at += 8)
            {
                buffer.putDouble(at, probabilities[a], LITTLE_ENDIAN);
            }
            final double[] features = event.features;
            for (int f = 0; f < featureCount; f++, at += 8)
            {
                buffer.putDouble(at, features[f], LITTLE_ENDIAN);
            }
            final MappedByteBuffer mapped = this.mapped;
            mapped.limit(p + length).position(p + CRC_OFFSET + 4);
            crc.reset();
            crc.update(mapped);
            buffer.putInt(p + CRC_OFFSET, (int)crc.getValue(), LITTLE_ENDIAN);
            // The length commits the record: every byte above must be stored before it.
            VarHandle.releaseFence();
            buffer.putInt(p + LENGTH_OFFSET, length, LITTLE_ENDIAN);
            position = p + length;
            segmentRecords++;
            counters.written.lazySet(counters.written.get() + 1);
        }
        catch (final IOException | RuntimeException | InternalError ex)
        {
            // InternalError: a fault in a mapped page (disk full on a sparse file) surfaces as one.
            counters.failed(ex, segmentFile);
            abandonSegment();
        }
    }

    /** Seal the current segment and map the next one. */
    private void roll() throws IOException
    {
        if (mapped != null)
        {
            seal();
        }
        final long index = nextSegmentIndex++;
        final Path file = directory.resolve(DecisionLogDescriptor.fileName(index));
        segmentFile = file;
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, segmentBytes);
        buffer.wrap(mapped);
        buffer.putShort(MAJOR_VERSION_OFFSET, (short)MAJOR_VERSION, LITTLE_ENDIAN);
        buffer.putShort(MINOR_VERSION_OFFSET, (short)MINOR_VERSION, LITTLE_ENDIAN);
        buffer.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH, LITTLE_ENDIAN);
        buffer.putLong(SEGMENT_INDEX_OFFSET, index, LITTLE_ENDIAN);
        buffer.putLong(CREATION_TIME_OFFSET, clock.nanoTime(), LITTLE_ENDIAN);
        buffer.putInt(STATE_OFFSET, STATE_OPEN, LITTLE_ENDIAN);
        segmentNameCount = 0;
        segmentNamesLength = 0;
        position = HEADER_LENGTH;
        segmentRecords = 0;
        segmentCreatedNs = System.nanoTime();
        // The magic commits the header: a crash before it leaves a header of zeros.
        VarHandle.releaseFence();
        buffer.putLong(MAGIC_OFFSET, MAGIC, LITTLE_ENDIAN);
        counters.segments.incrementAndGet();
    }

    /** Copy names {@code segmentNameCount .. nameId} into the header's table; the count is stored last. */
    private void appendNames(final int nameId)
    {
        for (int id = segmentNameCount; id <= nameId; id++)
        {
            final byte[] bytes = names.bytes(id);
            final int at = NAMES_OFFSET + segmentNamesLength;
            buffer.putShort(at, (short)bytes.length, LITTLE_ENDIAN);
            buffer.putBytes(at + 2, bytes);
            segmentNamesLength += DecisionLogDescriptor.nameEntryLength(bytes.length);
            buffer.putInt(NAMES_LENGTH_OFFSET, segmentNamesLength, LITTLE_ENDIAN);
            VarHandle.releaseFence();
            buffer.putInt(NAME_COUNT_OFFSET, id + 1, LITTLE_ENDIAN);
            segmentNameCount = id + 1;
        }
    }

    /** Mark the segment sealed (data end, record count, then the state), unmap it and cut the unused tail. */
    private void seal() throws IOException
    {
        final MappedByteBuffer mapped = this.mapped;
        final FileChannel channel = this.channel;
        this.mapped = null;
        this.channel = null;
        try
        {
            buffer.putLong(DATA_END_OFFSET, position, LITTLE_ENDIAN);
            buffer.putLong(RECORD_COUNT_OFFSET, segmentRecords, LITTLE_ENDIAN);
            VarHandle.releaseFence();
            buffer.putInt(STATE_OFFSET, STATE_SEALED, LITTLE_ENDIAN);
            if (forceOnSeal)
            {
                mapped.force();
            }
            buffer.wrap(0, 0);
            IoUtil.unmap(mapped);
            channel.truncate(position);
        }
        finally
        {
            channel.close();
        }
    }

    /** After a failure: drop the mapping without sealing; the next record starts a new segment. */
    private void abandonSegment()
    {
        final MappedByteBuffer mapped = this.mapped;
        final FileChannel channel = this.channel;
        this.mapped = null;
        this.channel = null;
        buffer.wrap(0, 0);
        if (mapped != null)
        {
            IoUtil.unmap(mapped);
        }
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                counters.failed(ex, segmentFile);
            }
        }
    }

    /** Seal the current segment, if any. Called once, after the last event. */
    void close()
    {
        if (mapped != null)
        {
            try
            {
                seal();
            }
            catch (final IOException | RuntimeException ex)
            {
                counters.failed(ex, segmentFile);
            }
        }
    }
}
