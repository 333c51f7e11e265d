package io.decide.sidecar.protocol;

import io.decide.engine.service.DecisionStatus;

/**
 * Status codes of a response: the engine's {@link DecisionStatus} codes (0 .. 15) and the protocol's own (16 ..).
 * Every code has a fixed ASCII reason that error responses carry as their payload.
 */
public final class ProtocolStatus
{
    /** The frame cannot be delimited (length out of range or unaligned); the connection is closed after this. */
    public static final int MALFORMED_FRAME = 16;
    /** The frame's major version is not spoken here; the frame was skipped. */
    public static final int UNSUPPORTED_VERSION = 17;
    /** The frame is delimited but its body is inconsistent (type, counts, lengths, name); the frame was skipped. */
    public static final int BAD_FRAME = 18;
    /** The daemon is shutting down and takes no new requests. */
    public static final int SHUTTING_DOWN = 19;
    /** One more than the highest code. */
    public static final int LIMIT = 20;

    private static final String[] REASONS = new String[LIMIT];
    private static final byte[][] REASON_BYTES = new byte[LIMIT][];

    static
    {
        REASONS[DecisionStatus.OK] = "ok";
        REASONS[DecisionStatus.UNKNOWN_ARTIFACT] = "no artifact of that name is served";
        REASONS[DecisionStatus.WRONG_KIND] = "the artifact cannot answer this decision kind";
        REASONS[DecisionStatus.BAD_SIZE] = "an input or output size does not match the artifact";
        REASONS[DecisionStatus.UNSUPPORTED_KIND] = "decision kind not served";
        REASONS[DecisionStatus.BAD_REQUEST] = "malformed decision input (e.g. candidate batch)";
        REASONS[DecisionStatus.INTERNAL_ERROR] = "internal engine error";
        REASONS[MALFORMED_FRAME] = "frame length out of range or not a multiple of 8; connection closed";
        REASONS[UNSUPPORTED_VERSION] = "unsupported protocol major version";
        REASONS[BAD_FRAME] = "frame body inconsistent with its length, type or counts";
        REASONS[SHUTTING_DOWN] = "daemon shutting down";
        for (int i = 0; i < LIMIT; i++)
        {
            if (REASONS[i] == null)
            {
                REASONS[i] = "status " + i;
            }
            REASON_BYTES[i] = REASONS[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private ProtocolStatus()
    {
    }

    /**
     * @param status a status code.
     * @return its fixed reason text.
     */
    public static String reason(final int status)
    {
        return status >= 0 && status < LIMIT ? REASONS[status] : "status " + status;
    }

    static byte[] reasonBytes(final int status)
    {
        return REASON_BYTES[status >= 0 && status < LIMIT ? status : DecisionStatus.INTERNAL_ERROR];
    }

    /**
     * @param status a status code.
     * @return a short constant name.
     */
    public static String name(final int status)
    {
        return switch (status)
        {
            case MALFORMED_FRAME -> "MALFORMED_FRAME";
            case UNSUPPORTED_VERSION -> "UNSUPPORTED_VERSION";
            case BAD_FRAME -> "BAD_FRAME";
            case SHUTTING_DOWN -> "SHUTTING_DOWN";
            default -> DecisionStatus.name(status);
        };
    }
}
