package io.decide.sidecar.protocol;

/**
 * The payload of a successful {@link io.decide.engine.service.DecisionKind#AD_SLOT} response, offsets from the
 * payload's start ({@link ResponseDescriptor#PAYLOAD_OFFSET} of the frame), little-endian. Result Count is P, the
 * number of patterns; the answering artifact version is the response header's.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Pattern (i32, the action)                    |  0
 *  +---------------------------------------------------------------+
 *  |             Mask (i32, bit i: an ad in feed slot i)           |  4
 *  +---------------------------------------------------------------+
 *  |               Propensity (f64, p[Pattern])                    |  8
 *  +---------------------------------------------------------------+
 *  |               Probabilities: f64 x P                          |  16
 *  +---------------------------------------------------------------+
 * </pre>
 * Payload Length = 16 + 8 P.
 */
public final class AdSlotResponseDescriptor
{
    /** Offset of the chosen pattern index. */
    public static final int PATTERN_OFFSET = 0;
    /** Offset of the chosen ad mask. */
    public static final int MASK_OFFSET = 4;
    /** Offset of the propensity. */
    public static final int PROPENSITY_OFFSET = 8;
    /** Offset of probability 0. */
    public static final int PROBABILITIES_OFFSET = 16;

    private AdSlotResponseDescriptor()
    {
    }

    /**
     * @param patternCount P.
     * @return the payload length.
     */
    public static int payloadLength(final int patternCount)
    {
        return PROBABILITIES_OFFSET + 8 * patternCount;
    }
}
