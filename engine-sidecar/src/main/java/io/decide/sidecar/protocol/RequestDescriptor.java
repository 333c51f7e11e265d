package io.decide.sidecar.protocol;

/**
 * The body of a request frame ({@link FrameDescriptor#TYPE_REQUEST}), offsets from the frame start, little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Frame header (16 bytes)                       |  0
 *  +---------------+---------------+-------------------------------+
 *  |     Kind      |     Flags     |        Name Length (u16)      |  16
 *  +---------------+---------------+-------------------------------+
 *  |                    Timeout Micros (u32)                       |  20
 *  +---------------------------------------------------------------+
 *  |               Deadline Nanos (i64, CLOCK_MONOTONIC)           |  24
 *  +---------------------------------------------------------------+
 *  |                        User Id (i64)                          |  32
 *  +---------------------------------------------------------------+
 *  |                    Feature Count (u32)                        |  40
 *  +---------------------------------------------------------------+
 *  |                          K (u32)                              |  44
 *  +---------------------------------------------------------------+
 *  |                    Scalar Count (u32)                         |  48
 *  +---------------------------------------------------------------+
 *  |                    Batch Length (u32)                         |  52
 *  +===============================================================+
 *  |  Artifact name: Name Length bytes of UTF-8, zero-padded to 8  |  56
 *  +---------------------------------------------------------------+
 *  |  Features: dense f64 x Feature Count, or (SPARSE flag)        |
 *  |  entries of 16 bytes: index (u32), 0 (u32), value (f64)       |
 *  +---------------------------------------------------------------+
 *  |  Scalars: f64 x Scalar Count                                  |
 *  +---------------------------------------------------------------+
 *  |  Candidate batch: Batch Length bytes (CandidateBatchDescriptor)|
 *  +---------------------------------------------------------------+
 * </pre>
 * Kind is a {@link io.decide.engine.service.DecisionKind} id. The sections after the name are contiguous and each
 * a multiple of 8 bytes long; the frame length must be at least their end (a newer minor version may append).
 */
public final class RequestDescriptor
{
    public static final int KIND_OFFSET = 16;
    public static final int FLAGS_OFFSET = 17;
    public static final int NAME_LENGTH_OFFSET = 18;
    public static final int TIMEOUT_MICROS_OFFSET = 20;
    public static final int DEADLINE_NANOS_OFFSET = 24;
    public static final int USER_ID_OFFSET = 32;
    public static final int FEATURE_COUNT_OFFSET = 40;
    public static final int K_OFFSET = 44;
    public static final int SCALAR_COUNT_OFFSET = 48;
    public static final int BATCH_LENGTH_OFFSET = 52;
    public static final int NAME_OFFSET = 56;

    /** Flag: features are sparse (index, value) entries; missing features are NaN. */
    public static final int FLAG_SPARSE = 1;
    /** Longest artifact name in bytes. */
    public static final int MAX_NAME_LENGTH = 255;
    /** Bytes per sparse feature entry. */
    public static final int SPARSE_ENTRY_LENGTH = 16;
    /** Offset of the value inside a sparse entry. */
    public static final int SPARSE_VALUE_OFFSET = 8;

    private RequestDescriptor()
    {
    }

    /**
     * The exact length of a request frame.
     *
     * @param nameLength   artifact name bytes.
     * @param featureCount features (dense values or sparse entries).
     * @param sparse       whether features are sparse.
     * @param scalarCount  scalars.
     * @param batchLength  candidate batch bytes (a multiple of 8).
     * @return the frame length.
     */
    public static long frameLength(
        final int nameLength, final int featureCount, final boolean sparse, final int scalarCount, final int batchLength)
    {
        return NAME_OFFSET + FrameDescriptor.align(nameLength) +
            (long)featureCount * (sparse ? SPARSE_ENTRY_LENGTH : 8) + 8L * scalarCount + batchLength;
    }
}
