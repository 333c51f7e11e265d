package io.decide.sidecar.client;

import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.sidecar.protocol.ShmDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * A {@link ClientConnection} over the daemon's shared-memory file ({@link ShmDescriptor}): claims a free slot
 * (compare-and-set of its owner word to this process's pid), writes request frames into the slot's request ring and
 * reads responses from its response ring. One connection per slot; closing releases the slot (the daemon resets
 * its rings).
 */
public final class ShmClientConnection implements ClientConnection
{
    /** Longest a dead daemon goes unnoticed by a waiting {@link #send} or {@link #receive}. */
    private static final long CHECK_INTERVAL_NANOS = 50_000_000L;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer slotHeader;
    private final OneToOneRingBuffer requests;
    private final OneToOneRingBuffer responses;
    private final long pid = ProcessHandle.current().pid();
    private final long daemonStart;
    private final UnsafeBuffer file;
    private final ResponseFlyweight response = new ResponseFlyweight();
    private final Adapter adapter = new Adapter();
    private final Object sendLock = new Object();
    private boolean closed;
    private long nextCheckNanos;

    private ShmClientConnection(final MappedByteBuffer mapped) throws IOException
    {
        this.mapped = mapped;
        this.file = new UnsafeBuffer(mapped);
        if (file.capacity() < ShmDescriptor.HEADER_LENGTH ||
            file.getLong(ShmDescriptor.MAGIC_OFFSET, LITTLE_ENDIAN) != ShmDescriptor.MAGIC ||
            file.getInt(ShmDescriptor.LAYOUT_VERSION_OFFSET, LITTLE_ENDIAN) != ShmDescriptor.LAYOUT_VERSION ||
            file.getIntVolatile(ShmDescriptor.READY_OFFSET) != 1)
        {
            IoUtil.unmap(mapped);
            throw new IOException("not a ready decided shared-memory file (magic, layout version or ready flag)");
        }
        final int slots = file.getInt(ShmDescriptor.SLOT_COUNT_OFFSET, LITTLE_ENDIAN);
        final int ringCapacity = file.getInt(ShmDescriptor.RING_CAPACITY_OFFSET, LITTLE_ENDIAN);
        daemonStart = file.getLong(ShmDescriptor.DAEMON_START_OFFSET, LITTLE_ENDIAN);
        if (ShmDescriptor.fileLength(slots, ringCapacity) > file.capacity())
        {
            IoUtil.unmap(mapped);
            throw new IOException("shared-memory file shorter than its header declares");
        }
        int claimed = -1;
        for (int i = 0; i < slots && claimed < 0; i++)
        {
            final int at = (int)ShmDescriptor.slotOffset(i, ringCapacity) + ShmDescriptor.SLOT_OWNER_OFFSET;
            if (file.compareAndSetLong(at, 0, pid))
            {
                claimed = i;
            }
        }
        if (claimed < 0)
        {
            IoUtil.unmap(mapped);
            throw new IOException("all " + slots + " shared-memory slots are in use");
        }
        final int slot = (int)ShmDescriptor.slotOffset(claimed, ringCapacity);
        final int ringLength = ShmDescriptor.ringLength(ringCapacity);
        slotHeader = new UnsafeBuffer(file, slot, ShmDescriptor.SLOT_HEADER_LENGTH);
        requests = new OneToOneRingBuffer(new UnsafeBuffer(file, slot + ShmDescriptor.SLOT_HEADER_LENGTH, ringLength));
        responses = new OneToOneRingBuffer(
            new UnsafeBuffer(file, slot + ShmDescriptor.SLOT_HEADER_LENGTH + ringLength, ringLength));
    }

    /**
     * Map the daemon's file and claim a slot.
     *
     * @param path the daemon's {@code --shm} file.
     * @return the connection.
     * @throws IOException when the file is not a ready daemon file or every slot is taken.
     */
    public static ShmClientConnection open(final Path path) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw"))
        {
            return new ShmClientConnection(raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, raf.length()));
        }
    }

    @Override
    public void send(final DirectBuffer frame, final int offset, final int length) throws IOException
    {
        send(frame, offset, length, null);
    }

    @Override
    public void send(final DirectBuffer frame, final int offset, final int length, final ResponseHandler whileBlocked)
        throws IOException
    {
        synchronized (sendLock)
        {
            int idle = 0;
            while (!requests.write(ShmDescriptor.MSG_TYPE_FRAME, frame, offset, length))
            {
                if (whileBlocked != null && receive(whileBlocked, 0) > 0)
                {
                    continue;
                }
                checkDaemon();
                idle = idle(idle);
            }
        }
    }

    @Override
    public int receive(final ResponseHandler handler, final long timeoutMillis) throws IOException
    {
        adapter.handler = handler;
        int handled = responses.read(adapter);
        if (handled > 0)
        {
            return handled;
        }
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        int idle = 0;
        while ((handled = responses.read(adapter)) == 0)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                checkDaemon();
                return 0;
            }
            idle = idle(idle);
        }
        return handled;
    }

    private static int idle(final int idle)
    {
        if (idle < 20_000)
        {
            Thread.onSpinWait();
        }
        else if (idle < 40_000)
        {
            Thread.yield();
        }
        else
        {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
        return idle + 1;
    }

    /**
     * Fail when the daemon is gone or reset this slot. Looking the daemon's process up costs a system call and a
     * {@code /proc} read, so it runs at most every {@link #CHECK_INTERVAL_NANOS}: a caller that polls with a zero
     * timeout (the load generator, between sends) would otherwise spend most of its time here.
     */
    private void checkDaemon() throws IOException
    {
        final long now = System.nanoTime();
        if (now - nextCheckNanos < 0)
        {
            return;
        }
        nextCheckNanos = now + CHECK_INTERVAL_NANOS;
        if (file.getIntVolatile(ShmDescriptor.READY_OFFSET) != 1 ||
            file.getLong(ShmDescriptor.DAEMON_START_OFFSET, LITTLE_ENDIAN) != daemonStart ||
            slotHeader.getLongVolatile(ShmDescriptor.SLOT_OWNER_OFFSET) != pid ||
            ProcessHandle.of(file.getLong(ShmDescriptor.DAEMON_PID_OFFSET, LITTLE_ENDIAN)).isEmpty())
        {
            throw new IOException("the daemon behind this shared-memory file stopped or reset this slot");
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        slotHeader.compareAndSetLong(ShmDescriptor.SLOT_OWNER_OFFSET, pid, -pid);
        IoUtil.unmap(mapped);
    }

    private final class Adapter implements MessageHandler
    {
        ResponseHandler handler;

        @Override
        public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index,
            final int length)
        {
            handler.onResponse(response.wrap(buffer, index));
        }
    }
}
