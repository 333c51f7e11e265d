package io.decide.sidecar.protocol;

import org.agrona.MutableDirectBuffer;

import static io.decide.sidecar.protocol.ResponseDescriptor.ARTIFACT_VERSION_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.ENGINE_NANOS_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.FLAGS_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.KIND_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.PAYLOAD_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.RESULT_COUNT_OFFSET;
import static io.decide.sidecar.protocol.ResponseDescriptor.STATUS_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Writes a response frame: {@link #begin}, the result values, then {@link #finish}, or {@link #error} for a frame
 * that carries only a status and its reason. Allocates nothing.
 */
public final class ResponseEncoder
{
    /** Bytes an error response takes at most (header, body and the longest reason). */
    public static final int MAX_ERROR_LENGTH = 160;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Start a successful response.
     *
     * @param buffer    destination.
     * @param offset    frame start.
     * @param requestId request id.
     * @param kind      decision kind id.
     * @return this.
     */
    public ResponseEncoder begin(final MutableDirectBuffer buffer, final int offset, final long requestId, final int kind)
    {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putByte(offset + FrameDescriptor.VERSION_MAJOR_OFFSET, (byte)FrameDescriptor.VERSION_MAJOR);
        buffer.putByte(offset + FrameDescriptor.VERSION_MINOR_OFFSET, (byte)FrameDescriptor.VERSION_MINOR);
        buffer.putByte(offset + FrameDescriptor.FRAME_TYPE_OFFSET, (byte)FrameDescriptor.TYPE_RESPONSE);
        buffer.putByte(offset + FrameDescriptor.RESERVED_OFFSET, (byte)0);
        buffer.putLong(offset + FrameDescriptor.REQUEST_ID_OFFSET, requestId, LITTLE_ENDIAN);
        buffer.putShort(offset + STATUS_OFFSET, (short)0, LITTLE_ENDIAN);
        buffer.putByte(offset + KIND_OFFSET, (byte)kind);
        buffer.putByte(offset + FLAGS_OFFSET, (byte)0);
        buffer.putInt(offset + RESULT_COUNT_OFFSET, 0, LITTLE_ENDIAN);
        buffer.putLong(offset + ARTIFACT_VERSION_OFFSET, 0, LITTLE_ENDIAN);
        buffer.putInt(offset + ENGINE_NANOS_OFFSET, 0, LITTLE_ENDIAN);
        return this;
    }

    /**
     * @param status status code.
     * @return this.
     */
    public ResponseEncoder status(final int status)
    {
        buffer.putShort(offset + STATUS_OFFSET, (short)status, LITTLE_ENDIAN);
        return this;
    }

    /**
     * @param flags response flags.
     * @return this.
     */
    public ResponseEncoder flags(final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        return this;
    }

    /**
     * @param version artifact version that answered.
     * @return this.
     */
    public ResponseEncoder artifactVersion(final long version)
    {
        buffer.putLong(offset + ARTIFACT_VERSION_OFFSET, version, LITTLE_ENDIAN);
        return this;
    }

    /**
     * @param nanos engine time, saturated to u32.
     * @return this.
     */
    public ResponseEncoder engineNanos(final long nanos)
    {
        buffer.putInt(offset + ENGINE_NANOS_OFFSET, (int)Math.min(nanos, 0xFFFF_FFFFL), LITTLE_ENDIAN);
        return this;
    }

    /**
     * Write f64 results and finish.
     *
     * @param values results.
     * @param count  how many.
     * @return the frame length.
     */
    public int doubles(final double[] values, final int count)
    {
        final int at = offset + PAYLOAD_OFFSET;
        for (int i = 0; i < count; i++)
        {
            buffer.putDouble(at + 8 * i, values[i], LITTLE_ENDIAN);
        }
        return finish(count, 8 * count);
    }

    /**
     * Write i32 results and finish.
     *
     * @param values results.
     * @param count  how many.
     * @return the frame length.
     */
    public int ints(final int[] values, final int count)
    {
        final int at = offset + PAYLOAD_OFFSET;
        for (int i = 0; i < count; i++)
        {
            buffer.putInt(at + 4 * i, values[i], LITTLE_ENDIAN);
        }
        return finish(count, 4 * count);
    }

    /**
     * Write an ad-slot payload ({@link AdSlotResponseDescriptor}) and finish; Result Count is P.
     *
     * @param pattern       chosen pattern index.
     * @param mask          chosen ad mask.
     * @param propensity    the chosen pattern's probability.
     * @param probabilities the P probabilities.
     * @param patternCount  P.
     * @return the frame length.
     */
    public int adSlot(
        final int pattern, final int mask, final double propensity, final double[] probabilities,
        final int patternCount)
    {
        final int at = offset + PAYLOAD_OFFSET;
        buffer.putInt(at + AdSlotResponseDescriptor.PATTERN_OFFSET, pattern, LITTLE_ENDIAN);
        buffer.putInt(at + AdSlotResponseDescriptor.MASK_OFFSET, mask, LITTLE_ENDIAN);
        buffer.putDouble(at + AdSlotResponseDescriptor.PROPENSITY_OFFSET, propensity, LITTLE_ENDIAN);
        final int p = at + AdSlotResponseDescriptor.PROBABILITIES_OFFSET;
        for (int i = 0; i < patternCount; i++)
        {
            buffer.putDouble(p + 8 * i, probabilities[i], LITTLE_ENDIAN);
        }
        return finish(patternCount, AdSlotResponseDescriptor.payloadLength(patternCount));
    }

    /**
     * Finish with a status and its fixed reason as payload (nothing else written).
     *
     * @param status status code.
     * @return the frame length.
     */
    public int error(final int status)
    {
        status(status);
        final byte[] reason = ProtocolStatus.reasonBytes(status);
        buffer.putBytes(offset + PAYLOAD_OFFSET, reason);
        return finish(0, reason.length);
    }

    /**
     * Write a whole error response.
     *
     * @param buffer    destination.
     * @param offset    frame start.
     * @param requestId request id (0 when unknown).
     * @param kind      kind id (0 when unknown).
     * @param status    status code.
     * @return the frame length.
     */
    public int error(
        final MutableDirectBuffer buffer, final int offset, final long requestId, final int kind, final int status)
    {
        return begin(buffer, offset, requestId, kind).error(status);
    }

    private int finish(final int resultCount, final int payloadLength)
    {
        buffer.putInt(offset + RESULT_COUNT_OFFSET, resultCount, LITTLE_ENDIAN);
        buffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, LITTLE_ENDIAN);
        final int end = PAYLOAD_OFFSET + payloadLength;
        final int length = FrameDescriptor.align(end);
        buffer.setMemory(offset + end, length - end, (byte)0);
        buffer.putInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET, length, LITTLE_ENDIAN);
        return length;
    }
}
