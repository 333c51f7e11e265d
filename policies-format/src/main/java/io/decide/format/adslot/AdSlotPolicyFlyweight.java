package io.decide.format.adslot;

import org.agrona.DirectBuffer;

import static io.decide.format.adslot.AdSlotPolicyDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** View of a validated AD_SLOT_POLICY section; see {@link AdSlotPolicyDescriptor}. Accessors do no checks. */
public final class AdSlotPolicyFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer artifact bytes.
     * @param offset file offset of the section.
     * @return this.
     */
    public AdSlotPolicyFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return feed slots n. */
    public int slotCount()
    {
        return buffer.getByte(offset + SLOT_COUNT_OFFSET) & 0xFF;
    }

    /** @return most ads per feed m. */
    public int maxAds()
    {
        return buffer.getByte(offset + MAX_ADS_OFFSET) & 0xFF;
    }

    /** @return minimum clear slots between two ads g. */
    public int minGap()
    {
        return buffer.getByte(offset + MIN_GAP_OFFSET) & 0xFF;
    }

    /** @return policy kind ({@code KIND_*}). */
    public int policyKind()
    {
        return buffer.getByte(offset + POLICY_KIND_OFFSET) & 0xFF;
    }

    /** @return forbidden positions, bit i = slot i. */
    public int forbiddenMask()
    {
        return buffer.getShort(offset + FORBIDDEN_MASK_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return model mode ({@code MODELS_*}). */
    public int modelMode()
    {
        return buffer.getByte(offset + MODEL_MODE_OFFSET) & 0xFF;
    }

    /** @return exploration ({@code EXPLORE_*}). */
    public int exploration()
    {
        return buffer.getByte(offset + EXPLORATION_OFFSET) & 0xFF;
    }

    /** @return pattern count P. */
    public int patternCount()
    {
        return buffer.getInt(offset + PATTERN_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return context feature count C. */
    public int contextFeatureCount()
    {
        return buffer.getInt(offset + CONTEXT_FEATURE_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return reward weight λ. */
    public double lambda()
    {
        return buffer.getDouble(offset + LAMBDA_OFFSET, LITTLE_ENDIAN);
    }

    /** @return ε. */
    public double epsilon()
    {
        return buffer.getDouble(offset + EPSILON_OFFSET, LITTLE_ENDIAN);
    }

    /** @return softmax temperature τ. */
    public double temperature()
    {
        return buffer.getDouble(offset + TEMPERATURE_OFFSET, LITTLE_ENDIAN);
    }

    /** @return holdout percentage of users, 0..100. */
    public double holdoutPercent()
    {
        return buffer.getDouble(offset + HOLDOUT_PERCENT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return probability floor f. */
    public double floor()
    {
        return buffer.getDouble(offset + FLOOR_OFFSET, LITTLE_ENDIAN);
    }

    /** @return holdout salt. */
    public long holdoutSalt()
    {
        return buffer.getLong(offset + HOLDOUT_SALT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return static baseline: posts before a session's first ad. */
    public int staticOffset()
    {
        return buffer.getInt(offset + STATIC_OFFSET_OFFSET, LITTLE_ENDIAN);
    }

    /** @return static baseline: posts between ads. */
    public int staticPostGap()
    {
        return buffer.getInt(offset + STATIC_POST_GAP_OFFSET, LITTLE_ENDIAN);
    }

    /** @return fatigue baseline: the context index compared with the threshold. */
    public int fatigueFeature()
    {
        return buffer.getInt(offset + FATIGUE_FEATURE_OFFSET, LITTLE_ENDIAN);
    }

    /** @return {@link AdSlotPolicyDescriptor#SCORE_RAW} or {@link AdSlotPolicyDescriptor#SCORE_TRANSFORMED}. */
    public int scoreOutput()
    {
        return buffer.getByte(offset + SCORE_OUTPUT_OFFSET) & 0xFF;
    }

    /** @return fatigue baseline threshold. */
    public double fatigueThreshold()
    {
        return buffer.getDouble(offset + FATIGUE_THRESHOLD_OFFSET, LITTLE_ENDIAN);
    }

    /** @return fatigue baseline: pattern at or above the threshold. */
    public int fatigueLowPattern()
    {
        return buffer.getInt(offset + FATIGUE_LOW_PATTERN_OFFSET, LITTLE_ENDIAN);
    }

    /** @return fatigue baseline: pattern below the threshold. */
    public int fatigueHighPattern()
    {
        return buffer.getInt(offset + FATIGUE_HIGH_PATTERN_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param stateFeature state feature id ({@code STATE_*}).
     * @return the context index it feeds, or {@link AdSlotPolicyDescriptor#NO_SLOT}.
     */
    public int stateSlot(final int stateFeature)
    {
        return buffer.getInt(offset + stateSlotOffset(stateFeature), LITTLE_ENDIAN);
    }

    /**
     * @param pattern pattern index.
     * @return its mask.
     */
    public int mask(final int pattern)
    {
        return buffer.getInt(offset + maskOffset(pattern), LITTLE_ENDIAN);
    }

    /** @return M, the number of model ordinals. */
    public int modelOrdinalCount()
    {
        return AdSlotPolicyDescriptor.modelOrdinalCount(modelMode(), patternCount());
    }

    /**
     * @param index 0 .. M-1 (per action: 2p = SAT of pattern p, 2p+1 = its ADS; joint: 0 = SAT, 1 = ADS).
     * @return the GBDT_ENSEMBLE ordinal.
     */
    public int modelOrdinal(final int index)
    {
        return buffer.getInt(offset + modelOrdinalOffset(patternCount(), index), LITTLE_ENDIAN);
    }
}
