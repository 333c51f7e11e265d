package io.decide.engine.rank;

/**
 * Layout of a candidate batch, the off-heap input of {@link Ranker}: a header, then N fixed-size candidate
 * records. Offsets are relative to the batch start, which must be 8-byte aligned for the fastest reads; all
 * numbers little-endian. The batch is exactly {@code 8 + N x 8 x (1 + Q)} bytes.
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Candidate Count N (u32)                      |  0
 *  +---------------------------------------------------------------+
 *  |                  Quality Count Q (u32)                        |  4
 *  +===============================================================+
 *  |  Candidate 0: eCPM (f64) = bid x estimated action rate        |  8
 *  +---------------------------------------------------------------+
 *  |  Candidate 0: pQuality_0 (f64)                                |  16
 *  +---------------------------------------------------------------+
 *  |  ...                                                          |
 *  +---------------------------------------------------------------+
 *  |  Candidate 0: pQuality_{Q-1} (f64)                            |  8 + 8Q
 *  +===============================================================+
 *  |  Candidate 1: eCPM, pQuality_0 .. pQuality_{Q-1}              |  8 + S
 *  +---------------------------------------------------------------+
 *  |  ...                                                          |
 *  +===============================================================+  8 + N x S,  S = 8 x (1 + Q)
 * </pre>
 * pQuality_q is the predicted probability (or rate) of quality event q, the event the q-th quality bid prices: in
 * Decide's convention a <em>negative</em> quality event (hide, report, low-quality feedback), so a higher
 * consolidated quality score lowers the candidate's total value (see {@link Ranker}). Candidate indices are the
 * record order, 0-based; they are what {@link Ranker#topK} returns. Writer: {@link CandidateBatchWriter}; reader:
 * {@link CandidateBatchFlyweight}; the counts are checked against the buffer once with
 * {@link CandidateBatchFlyweight#validate}.
 */
public final class CandidateBatchDescriptor
{
    public static final int CANDIDATE_COUNT_OFFSET = 0;
    public static final int QUALITY_COUNT_OFFSET = 4;
    public static final int HEADER_LENGTH = 8;

    /** Offset of eCPM inside a candidate record. */
    public static final int ECPM_OFFSET = 0;
    /** Offset of pQuality_0 inside a candidate record. */
    public static final int P_QUALITY_OFFSET = 8;

    /** Most quality events per candidate. */
    public static final int MAX_QUALITY_COUNT = 64;

    private CandidateBatchDescriptor()
    {
    }

    /**
     * @param qualityCount Q.
     * @return bytes per candidate record, {@code 8 x (1 + Q)}.
     */
    public static int recordLength(final int qualityCount)
    {
        return 8 * (1 + qualityCount);
    }

    /**
     * @param candidate    candidate index.
     * @param qualityCount Q.
     * @return offset of the candidate's record from the batch start.
     */
    public static int recordOffset(final int candidate, final int qualityCount)
    {
        return HEADER_LENGTH + candidate * recordLength(qualityCount);
    }

    /**
     * @param candidateCount N.
     * @param qualityCount   Q.
     * @return bytes of the whole batch.
     */
    public static long batchLength(final int candidateCount, final int qualityCount)
    {
        return HEADER_LENGTH + (long)candidateCount * recordLength(qualityCount);
    }
}
