package io.decide.sidecar.protocol;

/**
 * The ad-slot block of an {@link io.decide.engine.service.DecisionKind#AD_SLOT} request: it travels as the request's
 * candidate-batch section (Batch Length = {@link #BLOCK_LENGTH}), after the context features. Offsets from the
 * block's start, little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |               Decision Request Id (i64)                       |  0
 *  +---------------------------------------------------------------+
 *  |               Time (i64, epoch milliseconds, > 0)             |  8
 *  +---------------------------------------------------------------+
 * </pre>
 * The decision request id is the host's id of the feed fetch (it seeds the draw with the artifact version, and is
 * logged); it is independent of the frame's request id, which only pairs a response with its request.
 */
public final class AdSlotRequestDescriptor
{
    /** Offset of the decision request id. */
    public static final int DECISION_REQUEST_ID_OFFSET = 0;
    /** Offset of the request time. */
    public static final int TIME_MILLIS_OFFSET = 8;
    /** Length of the block (the request's Batch Length). */
    public static final int BLOCK_LENGTH = 16;

    private AdSlotRequestDescriptor()
    {
    }
}
