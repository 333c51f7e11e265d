package io.decide.sidecar.transport;

import io.decide.sidecar.dispatch.Dispatcher;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.metrics.StructuredLog;
import io.decide.sidecar.protocol.ShmDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The daemon side of the shared-memory transport ({@link ShmDescriptor}): creates the file (mode 0600), then
 * {@link #poll()} reads each claimed slot's request ring and answers every frame into that slot's response ring.
 * A slot's requests are read only while its response ring has room for a response, so a client that does not
 * consume its responses stalls only itself. Slots of clients that released them or died are reset (by the polling
 * thread, the only writer of a response ring and reader of a request ring) and freed.
 */
public final class ShmTransport implements AutoCloseable
{
    private static final int READ_LIMIT = 64;
    private static final long REAP_INTERVAL_NANOS = 1_000_000_000L;

    private final Dispatcher dispatcher;
    private final SidecarMetrics metrics;
    private final StructuredLog log;
    private final Path path;
    private final int slotCount;
    private final int ringCapacity;
    private final int maxFrameLength;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer file;
    private final UnsafeBuffer[] slotHeaders;
    private final OneToOneRingBuffer[] requests;
    private final OneToOneRingBuffer[] responses;
    private final long[] owners;
    private final UnsafeBuffer scratch;
    private final int responseRoom;
    private final FrameHandler handler = new FrameHandler();
    private long nextReapNanos;

    /**
     * Create (or replace) the shared-memory file and map it.
     *
     * @param path           file path.
     * @param slotCount      client slots.
     * @param ringCapacity   capacity of each ring (power of two, at least 8 x the largest frame).
     * @param maxFrameLength largest request frame.
     * @param dispatcher     answers frames (owned by the polling thread).
     * @param metrics        counters.
     * @param log            structured log.
     * @throws IOException when the file cannot be created.
     */
    public ShmTransport(
        final Path path,
        final int slotCount,
        final int ringCapacity,
        final int maxFrameLength,
        final Dispatcher dispatcher,
        final SidecarMetrics metrics,
        final StructuredLog log) throws IOException
    {
        final long length = ShmDescriptor.fileLength(slotCount, ringCapacity);
        if (length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("shared-memory file of " + length + " bytes is too large; use fewer " +
                "slots or smaller rings");
        }
        this.path = path.toAbsolutePath();
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.log = log;
        this.slotCount = slotCount;
        this.ringCapacity = ringCapacity;
        this.maxFrameLength = maxFrameLength;
        Files.deleteIfExists(this.path);
        Files.createFile(this.path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (RandomAccessFile raf = new RandomAccessFile(this.path.toFile(), "rw"))
        {
            raf.setLength(length);
            mapped = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
        file = new UnsafeBuffer(mapped);
        slotHeaders = new UnsafeBuffer[slotCount];
        requests = new OneToOneRingBuffer[slotCount];
        responses = new OneToOneRingBuffer[slotCount];
        owners = new long[slotCount];
        final int ringLength = ShmDescriptor.ringLength(ringCapacity);
        for (int i = 0; i < slotCount; i++)
        {
            final int slot = (int)ShmDescriptor.slotOffset(i, ringCapacity);
            slotHeaders[i] = new UnsafeBuffer(file, slot, ShmDescriptor.SLOT_HEADER_LENGTH);
            requests[i] = new OneToOneRingBuffer(
                new UnsafeBuffer(file, slot + ShmDescriptor.SLOT_HEADER_LENGTH, ringLength));
            responses[i] = new OneToOneRingBuffer(
                new UnsafeBuffer(file, slot + ShmDescriptor.SLOT_HEADER_LENGTH + ringLength, ringLength));
        }
        scratch = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(dispatcher.maxResponseLength()));
        responseRoom = dispatcher.maxResponseLength() + 64;
        file.putLong(ShmDescriptor.MAGIC_OFFSET, ShmDescriptor.MAGIC, LITTLE_ENDIAN);
        file.putInt(ShmDescriptor.LAYOUT_VERSION_OFFSET, ShmDescriptor.LAYOUT_VERSION, LITTLE_ENDIAN);
        file.putInt(ShmDescriptor.SLOT_COUNT_OFFSET, slotCount, LITTLE_ENDIAN);
        file.putInt(ShmDescriptor.RING_CAPACITY_OFFSET, ringCapacity, LITTLE_ENDIAN);
        file.putInt(ShmDescriptor.MAX_FRAME_LENGTH_OFFSET, maxFrameLength, LITTLE_ENDIAN);
        file.putLong(ShmDescriptor.DAEMON_PID_OFFSET, ProcessHandle.current().pid(), LITTLE_ENDIAN);
        file.putLong(ShmDescriptor.DAEMON_START_OFFSET, System.currentTimeMillis(), LITTLE_ENDIAN);
        file.putIntVolatile(ShmDescriptor.READY_OFFSET, 1);
        log.info("listen", "transport", "shm", "path", this.path, "slots", slotCount, "ring_bytes", ringCapacity,
            "mode", "0600");
    }

    /**
     * Answer what the claimed slots hold, without blocking.
     *
     * @return frames answered (0 when idle).
     */
    public int poll()
    {
        int work = 0;
        for (int i = 0; i < slotCount; i++)
        {
            final long owner = slotHeaders[i].getLongVolatile(ShmDescriptor.SLOT_OWNER_OFFSET);
            if (owner > 0)
            {
                owners[i] = owner;
                final OneToOneRingBuffer response = responses[i];
                if (response.capacity() - response.size() >= responseRoom)
                {
                    handler.slot = i;
                    handler.receivedNanos = System.nanoTime();
                    work += requests[i].controlledRead(handler, READ_LIMIT);
                }
            }
            else if (owner < 0)
            {
                reset(i, "released");
            }
        }
        final long now = System.nanoTime();
        if (now - nextReapNanos >= 0)
        {
            nextReapNanos = now + REAP_INTERVAL_NANOS;
            reapDeadClients();
        }
        return work;
    }

    private void reapDeadClients()
    {
        for (int i = 0; i < slotCount; i++)
        {
            final long owner = slotHeaders[i].getLongVolatile(ShmDescriptor.SLOT_OWNER_OFFSET);
            if (owner > 0 && ProcessHandle.of(owner).isEmpty())
            {
                reset(i, "owner-died");
            }
        }
    }

    private void reset(final int slot, final String reason)
    {
        final int ringLength = ShmDescriptor.ringLength(ringCapacity);
        final int start = (int)ShmDescriptor.slotOffset(slot, ringCapacity) + ShmDescriptor.SLOT_HEADER_LENGTH;
        file.setMemory(start, 2 * ringLength, (byte)0);
        final long owner = slotHeaders[slot].getLongVolatile(ShmDescriptor.SLOT_OWNER_OFFSET);
        slotHeaders[slot].putLongVolatile(ShmDescriptor.SLOT_OWNER_OFFSET, 0);
        log.debug("shm.slot_reset", "slot", slot, "owner", owner, "reason", reason);
        metrics.onConnectionClosed(false);
    }

    /** @return whether no claimed slot has unread requests. */
    public boolean idle()
    {
        for (int i = 0; i < slotCount; i++)
        {
            if (slotHeaders[i].getLongVolatile(ShmDescriptor.SLOT_OWNER_OFFSET) > 0 && requests[i].size() > 0)
            {
                return false;
            }
        }
        return true;
    }

    /** @return the file path. */
    public Path path()
    {
        return path;
    }

    /** Unmap and delete the file. */
    @Override
    public void close()
    {
        file.putIntVolatile(ShmDescriptor.READY_OFFSET, 0);
        IoUtil.unmap(mapped);
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignored)
        {
            // best effort
        }
    }

    private final class FrameHandler implements ControlledMessageHandler
    {
        int slot;
        long receivedNanos;

        @Override
        public Action onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index,
            final int length)
        {
            final OneToOneRingBuffer response = responses[slot];
            if (response.capacity() - response.size() < responseRoom)
            {
                return Action.ABORT;
            }
            final int written = answer(msgTypeId, buffer, index, length);
            if (!response.write(ShmDescriptor.MSG_TYPE_FRAME, scratch, 0, written))
            {
                metrics.onLoopError();
            }
            return Action.CONTINUE;
        }

        private int answer(final int msgTypeId, final DirectBuffer buffer, final int index, final int length)
        {
            final int frameLength = Dispatcher.frameLength(buffer, index, length, maxFrameLength);
            if (msgTypeId != ShmDescriptor.MSG_TYPE_FRAME || frameLength != length)
            {
                return dispatcher.malformed(buffer, index, length, scratch, 0);
            }
            return dispatcher.dispatch(buffer, index, length, scratch, 0, receivedNanos);
        }
    }
}
