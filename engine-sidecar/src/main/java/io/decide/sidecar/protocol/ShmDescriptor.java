package io.decide.sidecar.protocol;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Layout of the shared-memory transport file: a header, then fixed-size client slots, each holding a request ring
 * (client to daemon) and a response ring (daemon to client). The rings are Agrona
 * {@link org.agrona.concurrent.ringbuffer.OneToOneRingBuffer}s; each record is one frame of this protocol
 * (message type {@link #MSG_TYPE_FRAME}), unchanged. All numbers little-endian (native on x86-64 and arm64).
 * <pre>
 *  File header (4096 bytes)
 *  +---------------------------------------------------------------+
 *  |                 Magic (u64) = 0x4D48535F44494345 "ECID_SHM"   |  0
 *  +---------------------------------------------------------------+
 *  |                     Layout Version (u32) = 1                  |  8
 *  +---------------------------------------------------------------+
 *  |                        Slot Count (u32)                       |  12
 *  +---------------------------------------------------------------+
 *  |            Ring Capacity (u32, power of two, bytes)           |  16
 *  +---------------------------------------------------------------+
 *  |                     Max Frame Length (u32)                    |  20
 *  +---------------------------------------------------------------+
 *  |                        Daemon Pid (i64)                       |  24
 *  +---------------------------------------------------------------+
 *  |              Daemon Start (i64, epoch milliseconds)           |  32
 *  +---------------------------------------------------------------+
 *  |          Ready (i32, 1 once the file is initialised)          |  40
 *  +---------------------------------------------------------------+
 *  Slot i at 4096 + i x Slot Stride:
 *  +---------------------------------------------------------------+
 *  |  Owner (i64): 0 free; pid of the client that claimed it (CAS); |  +0
 *  |  -pid while the client releases it (the daemon then resets it) |
 *  +---------------------------------------------------------------+
 *  |  Request ring: Ring Capacity + TRAILER_LENGTH bytes           |  +128
 *  +---------------------------------------------------------------+
 *  |  Response ring: Ring Capacity + TRAILER_LENGTH bytes          |  +128 + R
 *  +---------------------------------------------------------------+
 * </pre>
 * R = Ring Capacity + {@link RingBufferDescriptor#TRAILER_LENGTH}; Slot Stride = 128 + 2R rounded up to 4096.
 */
public final class ShmDescriptor
{
    public static final long MAGIC = 0x4D48535F44494345L;
    public static final int LAYOUT_VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int SLOT_COUNT_OFFSET = 12;
    public static final int RING_CAPACITY_OFFSET = 16;
    public static final int MAX_FRAME_LENGTH_OFFSET = 20;
    public static final int DAEMON_PID_OFFSET = 24;
    public static final int DAEMON_START_OFFSET = 32;
    public static final int READY_OFFSET = 40;
    public static final int HEADER_LENGTH = 4096;

    public static final int SLOT_OWNER_OFFSET = 0;
    public static final int SLOT_HEADER_LENGTH = 128;

    /** Ring record type of a protocol frame. */
    public static final int MSG_TYPE_FRAME = 1;

    private ShmDescriptor()
    {
    }

    /**
     * @param ringCapacity ring capacity (power of two).
     * @return bytes one ring occupies, trailer included.
     */
    public static int ringLength(final int ringCapacity)
    {
        return ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * @param ringCapacity ring capacity.
     * @return bytes between slot starts.
     */
    public static long slotStride(final int ringCapacity)
    {
        final long raw = SLOT_HEADER_LENGTH + 2L * ringLength(ringCapacity);
        return (raw + 4095) & ~4095L;
    }

    /**
     * @param slot         slot index.
     * @param ringCapacity ring capacity.
     * @return file offset of the slot.
     */
    public static long slotOffset(final int slot, final int ringCapacity)
    {
        return HEADER_LENGTH + slot * slotStride(ringCapacity);
    }

    /**
     * @param slotCount    slots.
     * @param ringCapacity ring capacity.
     * @return file length.
     */
    public static long fileLength(final int slotCount, final int ringCapacity)
    {
        return HEADER_LENGTH + slotCount * slotStride(ringCapacity);
    }
}
