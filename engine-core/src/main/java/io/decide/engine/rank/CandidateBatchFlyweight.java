package io.decide.engine.rank;

import org.agrona.DirectBuffer;

import static io.decide.engine.rank.CandidateBatchDescriptor.CANDIDATE_COUNT_OFFSET;
import static io.decide.engine.rank.CandidateBatchDescriptor.ECPM_OFFSET;
import static io.decide.engine.rank.CandidateBatchDescriptor.HEADER_LENGTH;
import static io.decide.engine.rank.CandidateBatchDescriptor.MAX_QUALITY_COUNT;
import static io.decide.engine.rank.CandidateBatchDescriptor.P_QUALITY_OFFSET;
import static io.decide.engine.rank.CandidateBatchDescriptor.QUALITY_COUNT_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Reads a candidate batch ({@link CandidateBatchDescriptor}) in place. Accessors do not check; call
 * {@link #validate} once where the batch enters the engine.
 */
public final class CandidateBatchFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /** Creates an unwrapped flyweight; {@link #wrap} it before use. */
    public CandidateBatchFlyweight()
    {
    }

    /**
     * @param buffer buffer holding the batch.
     * @param offset offset of the batch start.
     * @return this.
     */
    public CandidateBatchFlyweight wrap(final DirectBuffer buffer, final int offset)
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

    /** @return the offset of the batch start. */
    public int offset()
    {
        return offset;
    }

    /** @return N. */
    public int candidateCount()
    {
        return buffer.getInt(offset + CANDIDATE_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return Q. */
    public int qualityCount()
    {
        return buffer.getInt(offset + QUALITY_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param candidate candidate index.
     * @return its eCPM.
     */
    public double ecpm(final int candidate)
    {
        return buffer.getDouble(offset + CandidateBatchDescriptor.recordOffset(candidate, qualityCount()) +
            ECPM_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param candidate candidate index.
     * @param quality   quality event q.
     * @return its pQuality_q.
     */
    public double pQuality(final int candidate, final int quality)
    {
        return buffer.getDouble(offset + CandidateBatchDescriptor.recordOffset(candidate, qualityCount()) +
            P_QUALITY_OFFSET + 8 * quality, LITTLE_ENDIAN);
    }

    /**
     * Check the header against the buffer: N >= 0, 0 <= Q <= {@link CandidateBatchDescriptor#MAX_QUALITY_COUNT}, and
     * the records fit. Values are not checked (a NaN total value ranks last, see {@link Ranker}).
     *
     * @return null when valid, else what is wrong (allocates only then).
     */
    public String validate()
    {
        if (offset < 0 || (long)offset + HEADER_LENGTH > buffer.capacity())
        {
            return "candidate batch header at offset " + offset + " does not fit a buffer of " + buffer.capacity() +
                " bytes";
        }
        final int n = candidateCount();
        final int q = qualityCount();
        if (n < 0)
        {
            return "candidate batch at offset " + offset + ": candidate count " + n + " < 0";
        }
        if (q < 0 || q > MAX_QUALITY_COUNT)
        {
            return "candidate batch at offset " + offset + ": quality count " + q + ", expected 0.." +
                MAX_QUALITY_COUNT;
        }
        final long end = offset + CandidateBatchDescriptor.batchLength(n, q);
        if (end > buffer.capacity())
        {
            return "candidate batch at offset " + offset + ": " + n + " candidates x " + q + " quality events end at " +
                end + ", past the buffer's " + buffer.capacity() + " bytes";
        }
        return null;
    }
}
