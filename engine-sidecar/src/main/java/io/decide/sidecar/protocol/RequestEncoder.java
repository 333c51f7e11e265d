package io.decide.sidecar.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.decide.sidecar.protocol.RequestDescriptor.BATCH_LENGTH_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.DEADLINE_NANOS_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.FEATURE_COUNT_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.FLAGS_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.FLAG_SPARSE;
import static io.decide.sidecar.protocol.RequestDescriptor.KIND_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.K_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.NAME_LENGTH_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.NAME_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.SCALAR_COUNT_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.SPARSE_ENTRY_LENGTH;
import static io.decide.sidecar.protocol.RequestDescriptor.SPARSE_VALUE_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.TIMEOUT_MICROS_OFFSET;
import static io.decide.sidecar.protocol.RequestDescriptor.USER_ID_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Writes a request frame section by section, in order: {@link #begin}, the name, the features, the scalars, the
 * batch, then {@link #finish} (which sets the frame length and pads). Allocates nothing; the caller's buffer must
 * hold the frame.
 */
public final class RequestEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;
    private int position;
    private int featureCount;
    private boolean sparse;

    /**
     * Start a request frame.
     *
     * @param buffer    destination.
     * @param offset    frame start (8-aligned for the fastest reads).
     * @param requestId request id (echoed by the response).
     * @param kind      decision kind id.
     * @return this.
     */
    public RequestEncoder begin(final MutableDirectBuffer buffer, final int offset, final long requestId, final int kind)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.featureCount = 0;
        this.sparse = false;
        buffer.setMemory(offset, NAME_OFFSET, (byte)0);
        buffer.putByte(offset + FrameDescriptor.VERSION_MAJOR_OFFSET, (byte)FrameDescriptor.VERSION_MAJOR);
        buffer.putByte(offset + FrameDescriptor.VERSION_MINOR_OFFSET, (byte)FrameDescriptor.VERSION_MINOR);
        buffer.putByte(offset + FrameDescriptor.FRAME_TYPE_OFFSET, (byte)FrameDescriptor.TYPE_REQUEST);
        buffer.putLong(offset + FrameDescriptor.REQUEST_ID_OFFSET, requestId, LITTLE_ENDIAN);
        buffer.putByte(offset + KIND_OFFSET, (byte)kind);
        position = offset + NAME_OFFSET;
        return this;
    }

    /**
     * @param timeoutMicros budget from receipt, 0 = none.
     * @param deadlineNanos absolute CLOCK_MONOTONIC deadline ({@code System.nanoTime()} on Linux), 0 = none.
     * @return this.
     */
    public RequestEncoder deadline(final int timeoutMicros, final long deadlineNanos)
    {
        buffer.putInt(offset + TIMEOUT_MICROS_OFFSET, timeoutMicros, LITTLE_ENDIAN);
        buffer.putLong(offset + DEADLINE_NANOS_OFFSET, deadlineNanos, LITTLE_ENDIAN);
        return this;
    }

    /**
     * @param userId user id.
     * @return this.
     */
    public RequestEncoder userId(final long userId)
    {
        buffer.putLong(offset + USER_ID_OFFSET, userId, LITTLE_ENDIAN);
        return this;
    }

    /**
     * @param k how many candidates to return (rank).
     * @return this.
     */
    public RequestEncoder k(final int k)
    {
        buffer.putInt(offset + K_OFFSET, k, LITTLE_ENDIAN);
        return this;
    }

    /**
     * Write the artifact name (first section).
     *
     * @param name   UTF-8 bytes.
     * @param from   first byte.
     * @param length byte count, at most {@link RequestDescriptor#MAX_NAME_LENGTH}.
     * @return this.
     */
    public RequestEncoder name(final DirectBuffer name, final int from, final int length)
    {
        buffer.putShort(offset + NAME_LENGTH_OFFSET, (short)length, LITTLE_ENDIAN);
        buffer.putBytes(position, name, from, length);
        final int padded = FrameDescriptor.align(length);
        buffer.setMemory(position + length, padded - length, (byte)0);
        position += padded;
        return this;
    }

    /**
     * Write the artifact name from a byte array.
     *
     * @param name UTF-8 bytes.
     * @return this.
     */
    public RequestEncoder name(final byte[] name)
    {
        buffer.putShort(offset + NAME_LENGTH_OFFSET, (short)name.length, LITTLE_ENDIAN);
        buffer.putBytes(position, name);
        final int padded = FrameDescriptor.align(name.length);
        buffer.setMemory(position + name.length, padded - name.length, (byte)0);
        position += padded;
        return this;
    }

    /**
     * Write dense features (after the name).
     *
     * @param values values.
     * @param count  how many.
     * @return this.
     */
    public RequestEncoder dense(final double[] values, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            buffer.putDouble(position + 8 * i, values[i], LITTLE_ENDIAN);
        }
        position += 8 * count;
        featureCount = count;
        buffer.putInt(offset + FEATURE_COUNT_OFFSET, count, LITTLE_ENDIAN);
        return this;
    }

    /**
     * Write sparse features (after the name).
     *
     * @param indices feature indices.
     * @param values  values.
     * @param count   how many entries.
     * @return this.
     */
    public RequestEncoder sparse(final int[] indices, final double[] values, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int at = position + SPARSE_ENTRY_LENGTH * i;
            buffer.putInt(at, indices[i], LITTLE_ENDIAN);
            buffer.putInt(at + 4, 0, LITTLE_ENDIAN);
            buffer.putDouble(at + SPARSE_VALUE_OFFSET, values[i], LITTLE_ENDIAN);
        }
        position += SPARSE_ENTRY_LENGTH * count;
        featureCount = count;
        sparse = true;
        buffer.putByte(offset + FLAGS_OFFSET, (byte)FLAG_SPARSE);
        buffer.putInt(offset + FEATURE_COUNT_OFFSET, count, LITTLE_ENDIAN);
        return this;
    }

    /**
     * Write the quality scalars (after the features).
     *
     * @param scalars values.
     * @param count   how many.
     * @return this.
     */
    public RequestEncoder scalars(final double[] scalars, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            buffer.putDouble(position + 8 * i, scalars[i], LITTLE_ENDIAN);
        }
        position += 8 * count;
        buffer.putInt(offset + SCALAR_COUNT_OFFSET, count, LITTLE_ENDIAN);
        return this;
    }

    /**
     * Copy a candidate batch (last section).
     *
     * @param batch  source.
     * @param from   batch start.
     * @param length batch bytes (a multiple of 8).
     * @return this.
     */
    public RequestEncoder batch(final DirectBuffer batch, final int from, final int length)
    {
        buffer.putBytes(position, batch, from, length);
        position += length;
        buffer.putInt(offset + BATCH_LENGTH_OFFSET, length, LITTLE_ENDIAN);
        return this;
    }

    /**
     * Write the ad-slot block ({@link AdSlotRequestDescriptor}) as the last section of an AD_SLOT request.
     *
     * @param decisionRequestId the host's id of the feed fetch (seeds the draw).
     * @param nowMillis         request time, epoch milliseconds.
     * @return this.
     */
    public RequestEncoder adSlot(final long decisionRequestId, final long nowMillis)
    {
        buffer.putLong(position + AdSlotRequestDescriptor.DECISION_REQUEST_ID_OFFSET, decisionRequestId,
            LITTLE_ENDIAN);
        buffer.putLong(position + AdSlotRequestDescriptor.TIME_MILLIS_OFFSET, nowMillis, LITTLE_ENDIAN);
        position += AdSlotRequestDescriptor.BLOCK_LENGTH;
        buffer.putInt(offset + BATCH_LENGTH_OFFSET, AdSlotRequestDescriptor.BLOCK_LENGTH, LITTLE_ENDIAN);
        return this;
    }

    /**
     * Set the frame length.
     *
     * @return the frame length in bytes.
     */
    public int finish()
    {
        final int length = position - offset;
        buffer.putInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET, length, LITTLE_ENDIAN);
        return length;
    }

    /** @return features written. */
    public int featureCount()
    {
        return featureCount;
    }

    /** @return whether the features written were sparse. */
    public boolean isSparse()
    {
        return sparse;
    }
}
