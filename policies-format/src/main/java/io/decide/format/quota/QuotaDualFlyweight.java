package io.decide.format.quota;

import org.agrona.DirectBuffer;

import static io.decide.format.quota.QuotaDualDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** View of a validated QUOTA_DUAL section; see {@link QuotaDualDescriptor}. Accessors do no checks. */
public final class QuotaDualFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer artifact bytes.
     * @param offset file offset of the section.
     * @return this.
     */
    public QuotaDualFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return number of options K. */
    public int optionCount()
    {
        return buffer.getInt(offset + OPTION_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return {@link QuotaDualDescriptor#SOURCE_CALLER} or {@link QuotaDualDescriptor#SOURCE_GBDT}. */
    public int valueSource()
    {
        return buffer.getByte(offset + VALUE_SOURCE_OFFSET) & 0xFF;
    }

    /** @return ordinal of the GBDT_ENSEMBLE section that values the options (GBDT source). */
    public int gbdtOrdinal()
    {
        return buffer.getInt(offset + GBDT_ORDINAL_OFFSET, LITTLE_ENDIAN);
    }

    /** @return model feature index that carries the option label (GBDT source). */
    public int kFeature()
    {
        return buffer.getInt(offset + K_FEATURE_OFFSET, LITTLE_ENDIAN);
    }

    /** @return raw-margin index that is the option's value (GBDT source). */
    public int gbdtOutput()
    {
        return buffer.getInt(offset + GBDT_OUTPUT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the dual λ. */
    public double lambda()
    {
        return buffer.getDouble(offset + LAMBDA_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the explore weight w. */
    public double exploreWeight()
    {
        return buffer.getDouble(offset + EXPLORE_WEIGHT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the capacity λ was solved for. */
    public double capacity()
    {
        return buffer.getDouble(offset + CAPACITY_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the pacing gain, 0 for the pacer's default. */
    public double pacingGain()
    {
        return buffer.getDouble(offset + PACING_GAIN_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param option option index.
     * @return its cost.
     */
    public double cost(final int option)
    {
        return buffer.getDouble(offset + costOffset(option), LITTLE_ENDIAN);
    }

    /**
     * @param option option index.
     * @return its label (the k fed to a value model).
     */
    public double label(final int option)
    {
        return buffer.getDouble(offset + labelOffset(optionCount(), option), LITTLE_ENDIAN);
    }
}
