package io.decide.sidecar.protocol;

/**
 * The body of a response frame ({@link FrameDescriptor#TYPE_RESPONSE}), offsets from the frame start,
 * little-endian. The header's request id echoes the request's (0 when the request's id could not be read).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Frame header (16 bytes)                       |  0
 *  +-------------------------------+---------------+---------------+
 *  |         Status (u16)          |     Kind      |     Flags     |  16
 *  +-------------------------------+---------------+---------------+
 *  |                     Result Count (u32)                        |  20
 *  +---------------------------------------------------------------+
 *  |                   Artifact Version (i64)                      |  24
 *  +---------------------------------------------------------------+
 *  |                     Engine Nanos (u32)                        |  32
 *  +---------------------------------------------------------------+
 *  |                    Payload Length (u32)                       |  36
 *  +===============================================================+
 *  |  Payload, zero-padded to 8:                                   |  40
 *  |   status OK: the decision, by kind:                           |
 *  |     GBDT_PREDICT  f64 x Result Count (transformed outputs)    |
 *  |     QUOTA         i32 k* (Result Count = 1)                   |
 *  |     RANK          i32 x Result Count (candidate indices)      |
 *  |   other status: ASCII reason text                             |
 *  +---------------------------------------------------------------+
 * </pre>
 * Flags: {@link #FLAG_FALLBACK} when a fallback answered (the artifact's last good version or a static default),
 * {@link #FLAG_SHED} when the request was shed (its deadline could not be met) and answered by the fallback.
 * Engine Nanos is the time spent inside the engine deciding (0 when shed or failed).
 */
public final class ResponseDescriptor
{
    public static final int STATUS_OFFSET = 16;
    public static final int KIND_OFFSET = 18;
    public static final int FLAGS_OFFSET = 19;
    public static final int RESULT_COUNT_OFFSET = 20;
    public static final int ARTIFACT_VERSION_OFFSET = 24;
    public static final int ENGINE_NANOS_OFFSET = 32;
    public static final int PAYLOAD_LENGTH_OFFSET = 36;
    public static final int PAYLOAD_OFFSET = 40;

    /** A fallback answered. */
    public static final int FLAG_FALLBACK = 1;
    /** The request was shed (deadline) and answered by the fallback. */
    public static final int FLAG_SHED = 2;

    private ResponseDescriptor()
    {
    }
}
