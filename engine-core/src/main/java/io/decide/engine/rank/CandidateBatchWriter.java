package io.decide.engine.rank;

import org.agrona.MutableDirectBuffer;

import static io.decide.engine.rank.CandidateBatchDescriptor.CANDIDATE_COUNT_OFFSET;
import static io.decide.engine.rank.CandidateBatchDescriptor.ECPM_OFFSET;
import static io.decide.engine.rank.CandidateBatchDescriptor.P_QUALITY_OFFSET;
import static io.decide.engine.rank.CandidateBatchDescriptor.QUALITY_COUNT_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Writes a candidate batch ({@link CandidateBatchDescriptor}) in place: {@link #header} first, then the records.
 * Allocates nothing; the caller sizes the buffer with {@link CandidateBatchDescriptor#batchLength}.
 */
public final class CandidateBatchWriter
{
    private MutableDirectBuffer buffer;
    private int offset;
    private int qualityCount;

    /** Creates an unwrapped writer; {@link #wrap} it before use. */
    public CandidateBatchWriter()
    {
    }

    /**
     * @param buffer buffer to write into.
     * @param offset offset of the batch start.
     * @return this.
     */
    public CandidateBatchWriter wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @param candidateCount N.
     * @param qualityCount   Q.
     * @return this.
     */
    public CandidateBatchWriter header(final int candidateCount, final int qualityCount)
    {
        buffer.putInt(offset + CANDIDATE_COUNT_OFFSET, candidateCount, LITTLE_ENDIAN);
        buffer.putInt(offset + QUALITY_COUNT_OFFSET, qualityCount, LITTLE_ENDIAN);
        this.qualityCount = qualityCount;
        return this;
    }

    /**
     * @param candidate candidate index.
     * @param ecpm      its eCPM (bid x estimated action rate).
     * @return this.
     */
    public CandidateBatchWriter ecpm(final int candidate, final double ecpm)
    {
        buffer.putDouble(offset + CandidateBatchDescriptor.recordOffset(candidate, qualityCount) + ECPM_OFFSET, ecpm,
            LITTLE_ENDIAN);
        return this;
    }

    /**
     * @param candidate candidate index.
     * @param quality   quality event q.
     * @param p         its pQuality_q.
     * @return this.
     */
    public CandidateBatchWriter pQuality(final int candidate, final int quality, final double p)
    {
        buffer.putDouble(offset + CandidateBatchDescriptor.recordOffset(candidate, qualityCount) + P_QUALITY_OFFSET +
            8 * quality, p, LITTLE_ENDIAN);
        return this;
    }
}
