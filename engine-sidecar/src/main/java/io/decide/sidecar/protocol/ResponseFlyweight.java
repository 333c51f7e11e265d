package io.decide.sidecar.protocol;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.decide.sidecar.protocol.ResponseDescriptor.ARTIFACT_VERSION_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.ENGINE_NANOS_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.FLAGS_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.KIND_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.PAYLOAD_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.RESULT_COUNT_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.STATUS_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** Reads a response frame in place ({@link ResponseDescriptor}). */
public final class ResponseFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer holds the frame.
     * @param offset frame start.
     * @return this.
     */
    public ResponseFlyweight wrap(final DirectBuffer buffer, final int offset)
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

    /** @return frame length. */
    public int frameLength()
    {
        return buffer.getInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET, LITTLE_ENDIAN);
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

    /** @return status code. */
    public int status()
    {
        return buffer.getShort(offset + STATUS_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
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

    /** @return whether a fallback answered. */
    public boolean fallback()
    {
        return (flags() & ResponseDescriptor.FLAG_FALLBACK) != 0;
    }

    /** @return whether the request was shed. */
    public boolean shed()
    {
        return (flags() & ResponseDescriptor.FLAG_SHED) != 0;
    }

    /** @return result count. */
    public int resultCount()
    {
        return buffer.getInt(offset + RESULT_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return artifact version. */
    public long artifactVersion()
    {
        return buffer.getLong(offset + ARTIFACT_VERSION_OFFSET, LITTLE_ENDIAN);
    }

    /** @return engine nanoseconds. */
    public long engineNanos()
    {
        return buffer.getInt(offset + ENGINE_NANOS_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    /** @return payload length in bytes. */
    public int payloadLength()
    {
        return buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param i index.
     * @return f64 result i.
     */
    public double doubleResult(final int i)
    {
        return buffer.getDouble(offset + PAYLOAD_OFFSET + 8 * i, LITTLE_ENDIAN);
    }

    /**
     * @param i index.
     * @return i32 result i.
     */
    public int intResult(final int i)
    {
        return buffer.getInt(offset + PAYLOAD_OFFSET + 4 * i, LITTLE_ENDIAN);
    }

    /** @return the payload as ASCII text (error reasons; allocates). */
    public String reason()
    {
        final byte[] bytes = new byte[Math.max(0, payloadLength())];
        buffer.getBytes(offset + PAYLOAD_OFFSET, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
