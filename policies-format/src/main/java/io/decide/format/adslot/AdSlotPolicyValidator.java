package io.decide.format.adslot;

import io.decide.format.ArtifactLayout;
import io.decide.format.SectionContext;
import io.decide.format.SectionType;
import io.decide.format.SectionValidator;
import io.decide.format.gbdt.GbdtDescriptor;
import org.agrona.DirectBuffer;

import static io.decide.format.adslot.AdSlotPolicyDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Checks every field of an AD_SLOT_POLICY section (see {@link AdSlotPolicyDescriptor}): the action space, each
 * pattern against it and the canonical order, the policy kind with its model mode and exploration, the probability
 * parameters, the state slots; then that every referenced GBDT_ENSEMBLE section exists with exactly the feature
 * count the model mode needs (C, or C + 2 for joint models). {@link AdSlotPolicyWriter} applies the same field
 * rules through {@link #checkFields}, so it never writes a section this refuses (except a GBDT cross-reference).
 */
public final class AdSlotPolicyValidator implements SectionValidator
{
    /** Where a field check reports a problem. */
    @FunctionalInterface
    interface Failure
    {
        /**
         * @param relativeOffset offset inside the section.
         * @param reason         what was found and expected.
         * @return an exception to throw.
         */
        RuntimeException fail(int relativeOffset, String reason);
    }

    @Override
    public void validate(
        final DirectBuffer buffer, final int offset, final int length, final int sectionVersion,
        final SectionContext context)
    {
        checkFields(buffer, offset, length, context::fail);
        final AdSlotPolicyFlyweight policy = new AdSlotPolicyFlyweight().wrap(buffer, offset);
        final int patterns = policy.patternCount();
        final int models = policy.modelOrdinalCount();
        final int features = policy.contextFeatureCount() + (policy.modelMode() == MODELS_JOINT ? 2 : 0);
        final ArtifactLayout layout = context.layout();
        for (int i = 0; i < models; i++)
        {
            final int field = modelOrdinalOffset(patterns, i);
            final long ordinal = buffer.getInt(offset + field, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            final String role = modelRole(policy.modelMode(), i);
            final int gbdt = ordinal > Integer.MAX_VALUE ? -1 : layout.indexOf(SectionType.GBDT_ENSEMBLE, (int)ordinal);
            if (gbdt < 0)
            {
                throw context.fail(field, role + " model GBDT_ENSEMBLE #" + ordinal + " is not in the artifact (it has " +
                    layout.count(SectionType.GBDT_ENSEMBLE) + ")");
            }
            if (layout.sectionLength(gbdt) < GbdtDescriptor.HEADER_LENGTH)
            {
                throw context.fail(field, role + " model " + layout.label(gbdt) + " is too short");
            }
            final int gbdtOffset = layout.sectionOffset(gbdt);
            final long count =
                buffer.getInt(gbdtOffset + GbdtDescriptor.FEATURE_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            if (count != features)
            {
                throw context.fail(field, role + " model " + layout.label(gbdt) + " takes " + count +
                    " features, expected " + features + (policy.modelMode() == MODELS_JOINT ?
                    " (" + policy.contextFeatureCount() + " context features + ad count + mask)" : " context features"));
            }
            final long outputs =
                buffer.getInt(gbdtOffset + GbdtDescriptor.OUTPUT_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            if (outputs < 1)
            {
                throw context.fail(field, role + " model " + layout.label(gbdt) + " has no output");
            }
        }
    }

    private static String modelRole(final int modelMode, final int index)
    {
        final String which = (index & 1) == 0 ? "SAT" : "ADS";
        return modelMode == MODELS_JOINT ? which : which + " (pattern " + (index >> 1) + ")";
    }

    /**
     * Every rule that needs only the section's own bytes.
     *
     * @param buffer  bytes.
     * @param offset  section start.
     * @param length  section length.
     * @param failure how to report the first problem (it must return an exception, which is thrown).
     */
    static void checkFields(final DirectBuffer buffer, final int offset, final int length, final Failure failure)
    {
        if (length < HEADER_LENGTH)
        {
            throw failure.fail(0, "section is " + length + " bytes, expected at least " + HEADER_LENGTH);
        }
        final int slots = buffer.getByte(offset + SLOT_COUNT_OFFSET) & 0xFF;
        if (slots < 1 || slots > MAX_SLOTS)
        {
            throw failure.fail(SLOT_COUNT_OFFSET, "slot count " + slots + ", expected 1.." + MAX_SLOTS);
        }
        final int maxAds = buffer.getByte(offset + MAX_ADS_OFFSET) & 0xFF;
        if (maxAds > slots)
        {
            throw failure.fail(MAX_ADS_OFFSET, "max ads " + maxAds + ", expected 0.." + slots + " (the slot count)");
        }
        final int minGap = buffer.getByte(offset + MIN_GAP_OFFSET) & 0xFF;
        if (minGap > MAX_GAP)
        {
            throw failure.fail(MIN_GAP_OFFSET, "min gap " + minGap + ", expected 0.." + MAX_GAP);
        }
        final int forbidden = buffer.getShort(offset + FORBIDDEN_MASK_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
        if ((forbidden >>> slots) != 0)
        {
            throw failure.fail(FORBIDDEN_MASK_OFFSET, "forbidden mask 0x" + Integer.toHexString(forbidden) +
                " has bits at or above slot " + slots);
        }
        final int kind = buffer.getByte(offset + POLICY_KIND_OFFSET) & 0xFF;
        if (kind > KIND_FATIGUE_THRESHOLD)
        {
            throw failure.fail(POLICY_KIND_OFFSET, "policy kind " + kind +
                ", expected 0 (model-greedy), 1 (static) or 2 (fatigue-threshold)");
        }
        final int modelMode = buffer.getByte(offset + MODEL_MODE_OFFSET) & 0xFF;
        if (modelMode > MODELS_JOINT)
        {
            throw failure.fail(MODEL_MODE_OFFSET, "model mode " + modelMode +
                ", expected 0 (none), 1 (per action) or 2 (joint)");
        }
        if ((kind == KIND_MODEL_GREEDY) == (modelMode == MODELS_NONE))
        {
            throw failure.fail(MODEL_MODE_OFFSET, kind == KIND_MODEL_GREEDY ?
                "a model-greedy policy needs models (mode 1 or 2), found none" :
                "a baseline policy (kind " + kind + ") takes no models, found model mode " + modelMode);
        }
        final int exploration = buffer.getByte(offset + EXPLORATION_OFFSET) & 0xFF;
        if (exploration > EXPLORE_SOFTMAX)
        {
            throw failure.fail(EXPLORATION_OFFSET, "exploration " + exploration +
                ", expected 0 (greedy), 1 (epsilon-greedy) or 2 (softmax)");
        }
        if (exploration == EXPLORE_SOFTMAX && kind != KIND_MODEL_GREEDY)
        {
            throw failure.fail(EXPLORATION_OFFSET, "softmax needs model scores; a baseline policy cannot use it");
        }
        final long patternCount = buffer.getInt(offset + PATTERN_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (patternCount < 1 || patternCount > MAX_PATTERNS)
        {
            throw failure.fail(PATTERN_COUNT_OFFSET, "pattern count " + patternCount + ", expected 1.." + MAX_PATTERNS);
        }
        final int p = (int)patternCount;
        final int m = AdSlotPolicyDescriptor.modelOrdinalCount(modelMode, p);
        if (length != sectionLength(p, m))
        {
            throw failure.fail(0, "section is " + length + " bytes, expected " + sectionLength(p, m) + " for " + p +
                " patterns and " + m + " model ordinals");
        }
        final long contextCount = buffer.getInt(offset + CONTEXT_FEATURE_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (contextCount > MAX_CONTEXT_FEATURES)
        {
            throw failure.fail(CONTEXT_FEATURE_COUNT_OFFSET, "context feature count " + contextCount + ", expected 0.." +
                MAX_CONTEXT_FEATURES);
        }
        final int c = (int)contextCount;
        unit(buffer, offset, LAMBDA_OFFSET, "lambda", 1, failure);
        unit(buffer, offset, EPSILON_OFFSET, "epsilon", 1, failure);
        unit(buffer, offset, HOLDOUT_PERCENT_OFFSET, "holdout percent", 100, failure);
        final double epsilon = buffer.getDouble(offset + EPSILON_OFFSET, LITTLE_ENDIAN);
        if (exploration != EXPLORE_EPSILON_GREEDY && epsilon != 0)
        {
            throw failure.fail(EPSILON_OFFSET, "epsilon " + epsilon + " set without epsilon-greedy exploration");
        }
        final double temperature = buffer.getDouble(offset + TEMPERATURE_OFFSET, LITTLE_ENDIAN);
        if (exploration == EXPLORE_SOFTMAX ? !(temperature > 0 && temperature < Double.POSITIVE_INFINITY) :
            temperature != 0)
        {
            throw failure.fail(TEMPERATURE_OFFSET, "temperature " + temperature + (exploration == EXPLORE_SOFTMAX ?
                ", expected finite and > 0 for softmax" : ", expected 0 without softmax"));
        }
        final double floor = buffer.getDouble(offset + FLOOR_OFFSET, LITTLE_ENDIAN);
        if (!(floor >= 0 && floor * p <= 1))
        {
            throw failure.fail(FLOOR_OFFSET, "probability floor " + floor + ", expected 0 <= floor <= 1/" + p +
                " (the pattern count)");
        }
        final long staticOffset = buffer.getInt(offset + STATIC_OFFSET_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final long postGap = buffer.getInt(offset + STATIC_POST_GAP_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (kind == KIND_STATIC)
        {
            if (staticOffset > Integer.MAX_VALUE / 2)
            {
                throw failure.fail(STATIC_OFFSET_OFFSET, "static offset " + staticOffset + " is too large");
            }
            if (postGap < minGap || postGap > Integer.MAX_VALUE / 2)
            {
                throw failure.fail(STATIC_POST_GAP_OFFSET, "static post gap " + postGap + ", expected >= the min gap " +
                    minGap);
            }
        }
        else if (staticOffset != 0 || postGap != 0)
        {
            throw failure.fail(STATIC_OFFSET_OFFSET, "static offset and post gap must be 0 unless the policy is static");
        }
        final long fatigueFeature = buffer.getInt(offset + FATIGUE_FEATURE_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final double threshold = buffer.getDouble(offset + FATIGUE_THRESHOLD_OFFSET, LITTLE_ENDIAN);
        final long low = buffer.getInt(offset + FATIGUE_LOW_PATTERN_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final long high = buffer.getInt(offset + FATIGUE_HIGH_PATTERN_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (kind == KIND_FATIGUE_THRESHOLD)
        {
            if (fatigueFeature >= c)
            {
                throw failure.fail(FATIGUE_FEATURE_OFFSET, "fatigue feature " + fatigueFeature +
                    " is not a context feature (there are " + c + ")");
            }
            if (!Double.isFinite(threshold))
            {
                throw failure.fail(FATIGUE_THRESHOLD_OFFSET, "fatigue threshold " + threshold + ", expected finite");
            }
            if (low >= p)
            {
                throw failure.fail(FATIGUE_LOW_PATTERN_OFFSET, "fatigue low pattern " + low + ", expected < " + p);
            }
            if (high >= p)
            {
                throw failure.fail(FATIGUE_HIGH_PATTERN_OFFSET, "fatigue high pattern " + high + ", expected < " + p);
            }
        }
        else if (fatigueFeature != 0 || Double.doubleToRawLongBits(threshold) != 0 || low != 0 || high != 0)
        {
            throw failure.fail(FATIGUE_FEATURE_OFFSET,
                "fatigue feature, threshold and patterns must be 0 unless the policy is fatigue-threshold");
        }
        final int scoreOutput = buffer.getByte(offset + SCORE_OUTPUT_OFFSET) & 0xFF;
        if (scoreOutput > SCORE_TRANSFORMED)
        {
            throw failure.fail(SCORE_OUTPUT_OFFSET, "score output " + scoreOutput + ", expected 0 (raw) or 1 (transformed)");
        }
        for (int i = 0; i < 3; i++)
        {
            if (buffer.getByte(offset + RESERVED_OFFSET + i) != 0)
            {
                throw failure.fail(RESERVED_OFFSET + i, "reserved bytes must be 0");
            }
        }
        for (int s = 0; s < STATE_SLOT_ENTRIES; s++)
        {
            final int slot = buffer.getInt(offset + stateSlotOffset(s), LITTLE_ENDIAN);
            if (slot == NO_SLOT)
            {
                continue;
            }
            if (s >= STATE_FEATURE_COUNT)
            {
                throw failure.fail(stateSlotOffset(s), "state slot " + s + " is reserved and must be -1");
            }
            if (slot < 0 || slot >= c)
            {
                throw failure.fail(stateSlotOffset(s), "state feature " + s + " slot " + slot +
                    ", expected -1 or a context index 0.." + (c - 1));
            }
            for (int t = 0; t < s; t++)
            {
                if (buffer.getInt(offset + stateSlotOffset(t), LITTLE_ENDIAN) == slot)
                {
                    throw failure.fail(stateSlotOffset(s), "state features " + t + " and " + s +
                        " both feed context index " + slot);
                }
            }
        }
        int previous = -1;
        for (int i = 0; i < p; i++)
        {
            final int mask = buffer.getInt(offset + maskOffset(i), LITTLE_ENDIAN);
            if (i == 0 && mask != 0)
            {
                throw failure.fail(maskOffset(0), "pattern 0 is 0x" + Integer.toHexString(mask) +
                    ", expected the empty pattern 0");
            }
            if (!validPattern(mask, slots, maxAds, forbidden, minGap))
            {
                throw failure.fail(maskOffset(i), "pattern " + i + " (mask 0x" + Integer.toHexString(mask) +
                    ") breaks the action space: " + slots + " slots, at most " + maxAds + " ads, forbidden 0x" +
                    Integer.toHexString(forbidden) + ", min gap " + minGap);
            }
            if (i > 0 && compareMasks(previous, mask) >= 0)
            {
                throw failure.fail(maskOffset(i), "pattern " + i + " (mask 0x" + Integer.toHexString(mask) +
                    ") is not after pattern " + (i - 1) + " (mask 0x" + Integer.toHexString(previous) +
                    ") in (ad count, mask) order");
            }
            previous = mask;
        }
    }

    private static void unit(
        final DirectBuffer buffer, final int offset, final int field, final String what, final double max,
        final Failure failure)
    {
        final double value = buffer.getDouble(offset + field, LITTLE_ENDIAN);
        if (!(value >= 0 && value <= max))
        {
            throw failure.fail(field, what + " is " + value + ", expected 0.." + max);
        }
    }
}
