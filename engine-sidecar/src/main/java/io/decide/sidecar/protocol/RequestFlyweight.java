package io.decide.sidecar.protocol;

import org.agrona.DirectBuffer;

import static io.decide.sidecar.protocol.RequestDescriptor.BATCH_LENGTH_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.DEADLINE_NANOS_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.FEATURE_COUNT_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.FLAGS_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.FLAG_SPARSE;
import static io.decide.sidecar.protocol.RequestDescriptor.KIND_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.K_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.MAX_NAME_LENGTH;
import static io.decide.sidecar.protocol.RequestDescriptor.NAME_LENGTH_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.NAME_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.SCALAR_COUNT_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.SPARSE_ENTRY_LENGTH;
import static io.decide.sidecar.protocol.RequestDescriptor.TIMEOUT_MICROS_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.USER_ID_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Reads a request frame in place ({@link RequestDescriptor}). Call {@link #validate} once per frame before any
 * section accessor; accessors do no checks.
 */
public final class RequestFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer holds the frame.
     * @param offset frame start.
     * @return this.
     */
    public RequestFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return the wrapped buffer. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return frame start. */
    public int offset()
    {
        return offset;
    }

    /** @return frame length (header field). */
    public int frameLength()
    {
        return buffer.getInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET, LITTLE_ENDIAN);
    }

    /** @return major version. */
    public int versionMajor()
    {
        return buffer.getByte(offset + FrameDescriptor.VERSION_MAJOR_OFFSET) & 0xFF;
    }

    /** @return frame type. */
    public int frameType()
    {
        return buffer.getByte(offset + FrameDescriptor.FRAME_TYPE_OFFSET) & 0xFF;
    }

    /** @return request id. */
    public long requestId()
    {
        return buffer.getLong(offset + FrameDescriptor.REQUEST_ID_OFFSET, LITTLE_ENDIAN);
    }

    /** @return decision kind id. */
    public int kind()
    {
        return buffer.getByte(offset + KIND_OFFSET) & 0xFF;
    }

    /** @return flags. */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /** @return whether features are sparse. */
    public boolean sparse()
    {
        return (flags() & FLAG_SPARSE) != 0;
    }

    /** @return artifact name length in bytes. */
    public int nameLength()
    {
        return buffer.getShort(offset + NAME_LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return timeout in microseconds from receipt, 0 = none. */
    public long timeoutMicros()
    {
        return buffer.getInt(offset + TIMEOUT_MICROS_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    /** @return absolute deadline on CLOCK_MONOTONIC in nanoseconds, 0 = none. */
    public long deadlineNanos()
    {
        return buffer.getLong(offset + DEADLINE_NANOS_OFFSET, LITTLE_ENDIAN);
    }

    /** @return user id. */
    public long userId()
    {
        return buffer.getLong(offset + USER_ID_OFFSET, LITTLE_ENDIAN);
    }

    /** @return feature count (dense values or sparse entries). */
    public int featureCount()
    {
        return buffer.getInt(offset + FEATURE_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return K (rank). */
    public int k()
    {
        return buffer.getInt(offset + K_OFFSET, LITTLE_ENDIAN);
    }

    /** @return scalar count. */
    public int scalarCount()
    {
        return buffer.getInt(offset + SCALAR_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return candidate batch length in bytes. */
    public int batchLength()
    {
        return buffer.getInt(offset + BATCH_LENGTH_OFFSET, LITTLE_ENDIAN);
    }

    /** @return absolute offset of the artifact name. */
    public int nameOffset()
    {
        return offset + NAME_OFFSET;
    }

    /** @return absolute offset of the features section. */
    public int featuresOffset()
    {
        return offset + NAME_OFFSET + FrameDescriptor.align(nameLength());
    }

    /** @return absolute offset of the scalars section. */
    public int scalarsOffset()
    {
        return featuresOffset() + featureCount() * (sparse() ? SPARSE_ENTRY_LENGTH : 8);
    }

    /** @return absolute offset of the candidate batch. */
    public int batchOffset()
    {
        return scalarsOffset() + 8 * scalarCount();
    }

    /** @return AD_SLOT: the decision request id of the ad-slot block ({@link AdSlotRequestDescriptor}). */
    public long adSlotRequestId()
    {
        return buffer.getLong(batchOffset() + AdSlotRequestDescriptor.DECISION_REQUEST_ID_OFFSET, LITTLE_ENDIAN);
    }

    /** @return AD_SLOT: the request time of the ad-slot block, epoch milliseconds. */
    public long adSlotTimeMillis()
    {
        return buffer.getLong(batchOffset() + AdSlotRequestDescriptor.TIME_MILLIS_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * Dense feature i (no check).
     *
     * @param i index.
     * @return the value.
     */
    public double denseFeature(final int i)
    {
        return buffer.getDouble(featuresOffset() + 8 * i, LITTLE_ENDIAN);
    }

    /**
     * Check a delimited request frame's body against its length, once, before any section accessor. The header's
     * length and version have been checked by the framer.
     *
     * @param frameLength the frame's length as delimited.
     * @return {@link io.decide.engine.service.DecisionStatus#OK} when consistent, else
     *         {@link ProtocolStatus#BAD_FRAME}.
     */
    public int validate(final int frameLength)
    {
        if (frameLength < NAME_OFFSET || frameType() != FrameDescriptor.TYPE_REQUEST ||
            buffer.getByte(offset + FrameDescriptor.RESERVED_OFFSET) != 0 || (flags() & ~FLAG_SPARSE) != 0)
        {
            return ProtocolStatus.BAD_FRAME;
        }
        final int nameLength = nameLength();
        final int features = featureCount();
        final int scalars = scalarCount();
        final int batch = batchLength();
        if (nameLength > MAX_NAME_LENGTH || features < 0 || scalars < 0 || batch < 0 || (batch & 7) != 0 ||
            k() < 0)
        {
            return ProtocolStatus.BAD_FRAME;
        }
        if (RequestDescriptor.frameLength(nameLength, features, sparse(), scalars, batch) > frameLength)
        {
            return ProtocolStatus.BAD_FRAME;
        }
        return 0;
    }
}
