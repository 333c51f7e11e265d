package io.decide.sidecar.protocol;

import org.agrona.DirectBuffer;

import static io.decide.sidecar.protocol.AdSlotResponseDescriptor.MASK_OFFSET;
import static io.decide.sidecar.protocol.AdSlotResponseDescriptor.PATTERN_OFFSET;
import static io.decide.sidecar.protocol.AdSlotResponseDescriptor.PROBABILITIES_OFFSET;
import static io.decide.sidecar.protocol.AdSlotResponseDescriptor.PROPENSITY_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** Reads the payload of a successful ad-slot response in place ({@link AdSlotResponseDescriptor}). */
public final class AdSlotResponseFlyweight
{
    private DirectBuffer buffer;
    private int payload;
    private int patternCount;

    /**
     * @param response a response with status 0 and kind AD_SLOT.
     * @return this.
     */
    public AdSlotResponseFlyweight wrap(final ResponseFlyweight response)
    {
        return wrap(response.buffer(), response.offset());
    }

    /**
     * @param buffer holds the response frame.
     * @param offset frame start.
     * @return this.
     */
    public AdSlotResponseFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.payload = offset + ResponseDescriptor.PAYLOAD_OFFSET;
        this.patternCount = buffer.getInt(offset + ResponseDescriptor.RESULT_COUNT_OFFSET, LITTLE_ENDIAN);
        return this;
    }

    /** @return the chosen pattern index (the action). */
    public int pattern()
    {
        return buffer.getInt(payload + PATTERN_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the chosen ad mask. */
    public int mask()
    {
        return buffer.getInt(payload + MASK_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the chosen pattern's probability. */
    public double propensity()
    {
        return buffer.getDouble(payload + PROPENSITY_OFFSET, LITTLE_ENDIAN);
    }

    /** @return P, the number of probabilities (the response's Result Count). */
    public int patternCount()
    {
        return patternCount;
    }

    /**
     * @param pattern pattern index, 0..P-1.
     * @return its probability.
     */
    public double probability(final int pattern)
    {
        return buffer.getDouble(payload + PROBABILITIES_OFFSET + 8 * pattern, LITTLE_ENDIAN);
    }
}
