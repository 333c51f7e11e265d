package io.decide.format.adslot;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static io.decide.format.adslot.AdSlotPolicyDescriptor.*;

/**
 * Builds the bytes of an AD_SLOT_POLICY section; see {@link AdSlotPolicyDescriptor}. Defaults: 5 slots, at most
 * 2 ads, the first slot forbidden, min gap 1, every valid pattern, model-greedy without exploration, λ = 1, no
 * floor, no holdout, no state slots. {@link #toBytes()} applies the validator's field rules
 * ({@link AdSlotPolicyValidator}), so a section it returns is refused only for a GBDT cross-reference.
 */
public final class AdSlotPolicyWriter
{
    /** Default feed slots. */
    public static final int DEFAULT_SLOTS = 5;
    /** Default most ads per feed. */
    public static final int DEFAULT_MAX_ADS = 2;
    /** Default forbidden positions: the first slot. */
    public static final int DEFAULT_FORBIDDEN = 0b1;
    /** Default minimum clear slots between ads. */
    public static final int DEFAULT_MIN_GAP = 1;

    private int slots = DEFAULT_SLOTS;
    private int maxAds = DEFAULT_MAX_ADS;
    private int forbidden = DEFAULT_FORBIDDEN;
    private int minGap = DEFAULT_MIN_GAP;
    private int[] masks = enumeratePatterns(DEFAULT_SLOTS, DEFAULT_MAX_ADS, DEFAULT_FORBIDDEN, DEFAULT_MIN_GAP);
    private int kind = KIND_MODEL_GREEDY;
    private int modelMode = MODELS_NONE;
    private int[] modelOrdinals = new int[0];
    private int exploration = EXPLORE_GREEDY;
    private int contextFeatures;
    private double lambda = 1;
    private double epsilon;
    private double temperature;
    private double holdoutPercent;
    private double floor;
    private long holdoutSalt;
    private int staticOffset;
    private int staticPostGap;
    private int fatigueFeature;
    private double fatigueThreshold;
    private int fatigueLow;
    private int fatigueHigh;
    private int scoreOutput = SCORE_RAW;
    private final int[] stateSlots = filledSlots();

    /**
     * Every mask valid for the action space, in the canonical order (ad count, then mask value); the first is 0.
     *
     * @param slots     n, 1..16.
     * @param maxAds    m, 0..n.
     * @param forbidden forbidden-position mask.
     * @param minGap    g, 0..15.
     * @return the masks.
     */
    public static int[] enumeratePatterns(final int slots, final int maxAds, final int forbidden, final int minGap)
    {
        if (slots < 1 || slots > MAX_SLOTS || maxAds < 0 || maxAds > slots || minGap < 0 || minGap > MAX_GAP ||
            (forbidden >>> slots) != 0 || forbidden < 0)
        {
            throw new IllegalArgumentException("action space: " + slots + " slots (1.." + MAX_SLOTS + "), " + maxAds +
                " max ads (0..slots), forbidden 0x" + Integer.toHexString(forbidden) + " (inside the slots), min gap " +
                minGap + " (0.." + MAX_GAP + ")");
        }
        int count = 0;
        final int[] all = new int[1 << slots];
        for (int mask = 0; mask < 1 << slots; mask++)
        {
            if (validPattern(mask, slots, maxAds, forbidden, minGap))
            {
                all[count++] = mask;
            }
        }
        final Integer[] boxed = new Integer[count];
        for (int i = 0; i < count; i++)
        {
            boxed[i] = all[i];
        }
        Arrays.sort(boxed, AdSlotPolicyDescriptor::compareMasks);
        if (count > MAX_PATTERNS)
        {
            throw new IllegalArgumentException(count + " patterns, at most " + MAX_PATTERNS);
        }
        final int[] masks = new int[count];
        for (int i = 0; i < count; i++)
        {
            masks[i] = boxed[i];
        }
        return masks;
    }

    /**
     * Set the action space and enumerate all its patterns.
     *
     * @param slots     n.
     * @param maxAds    m.
     * @param forbidden forbidden-position mask.
     * @param minGap    g.
     * @return this.
     */
    public AdSlotPolicyWriter actionSpace(final int slots, final int maxAds, final int forbidden, final int minGap)
    {
        this.masks = enumeratePatterns(slots, maxAds, forbidden, minGap);
        this.slots = slots;
        this.maxAds = maxAds;
        this.forbidden = forbidden;
        this.minGap = minGap;
        return this;
    }

    /**
     * Serve only these patterns (each valid for the action space, in canonical order, the first 0).
     *
     * @param masks the masks.
     * @return this.
     */
    public AdSlotPolicyWriter patterns(final int[] masks)
    {
        this.masks = masks.clone();
        return this;
    }

    /** @return the patterns the section will hold. */
    public int[] patterns()
    {
        return masks.clone();
    }

    /**
     * @param count C, the number of context features (host features plus the state slots).
     * @return this.
     */
    public AdSlotPolicyWriter contextFeatures(final int count)
    {
        this.contextFeatures = count;
        return this;
    }

    /**
     * @param stateFeature state feature id ({@code STATE_*}).
     * @param index        the context index it feeds, or {@link AdSlotPolicyDescriptor#NO_SLOT}.
     * @return this.
     */
    public AdSlotPolicyWriter stateSlot(final int stateFeature, final int index)
    {
        if (stateFeature < 0 || stateFeature >= STATE_FEATURE_COUNT)
        {
            throw new IllegalArgumentException("state feature " + stateFeature + ", expected 0.." +
                (STATE_FEATURE_COUNT - 1));
        }
        stateSlots[stateFeature] = index;
        return this;
    }

    /**
     * @param lambda reward weight λ in [0, 1]: reward = λ·SAT + (1−λ)·ADS.
     * @return this.
     */
    public AdSlotPolicyWriter lambda(final double lambda)
    {
        this.lambda = lambda;
        return this;
    }

    /**
     * One SAT and one ADS model per pattern (in pattern order), each on the context features; model-greedy.
     *
     * @param satOrdinals GBDT_ENSEMBLE ordinals of the SAT models, one per pattern.
     * @param adsOrdinals GBDT_ENSEMBLE ordinals of the ADS models, one per pattern.
     * @return this.
     */
    public AdSlotPolicyWriter perActionModels(final int[] satOrdinals, final int[] adsOrdinals)
    {
        if (satOrdinals.length != adsOrdinals.length)
        {
            throw new IllegalArgumentException(satOrdinals.length + " SAT models and " + adsOrdinals.length +
                " ADS models");
        }
        modelOrdinals = new int[2 * satOrdinals.length];
        for (int p = 0; p < satOrdinals.length; p++)
        {
            modelOrdinals[2 * p] = satOrdinals[p];
            modelOrdinals[2 * p + 1] = adsOrdinals[p];
        }
        modelMode = MODELS_PER_ACTION;
        kind = KIND_MODEL_GREEDY;
        return this;
    }

    /**
     * One SAT and one ADS model taking the context features then the pattern's ad count and mask; model-greedy.
     *
     * @param satOrdinal GBDT_ENSEMBLE ordinal of the SAT model.
     * @param adsOrdinal GBDT_ENSEMBLE ordinal of the ADS model.
     * @return this.
     */
    public AdSlotPolicyWriter jointModels(final int satOrdinal, final int adsOrdinal)
    {
        modelOrdinals = new int[]{satOrdinal, adsOrdinal};
        modelMode = MODELS_JOINT;
        kind = KIND_MODEL_GREEDY;
        return this;
    }

    /**
     * @param transformed whether model scores are the transformed output (e.g. probabilities) instead of margins.
     * @return this.
     */
    public AdSlotPolicyWriter transformedScores(final boolean transformed)
    {
        this.scoreOutput = transformed ? SCORE_TRANSFORMED : SCORE_RAW;
        return this;
    }

    /**
     * The static baseline (no models).
     *
     * @param offset  posts before a session's first ad.
     * @param postGap posts between ads, >= the min gap.
     * @return this.
     */
    public AdSlotPolicyWriter staticBaseline(final int offset, final int postGap)
    {
        kind = KIND_STATIC;
        modelMode = MODELS_NONE;
        modelOrdinals = new int[0];
        staticOffset = offset;
        staticPostGap = postGap;
        return this;
    }

    /**
     * The fatigue-threshold baseline (no models).
     *
     * @param feature     context index of the fatigue score.
     * @param threshold   at or above it the low pattern is served, below it the high pattern.
     * @param lowPattern  pattern index served to fatigued users.
     * @param highPattern pattern index served otherwise.
     * @return this.
     */
    public AdSlotPolicyWriter fatigueBaseline(
        final int feature, final double threshold, final int lowPattern, final int highPattern)
    {
        kind = KIND_FATIGUE_THRESHOLD;
        modelMode = MODELS_NONE;
        modelOrdinals = new int[0];
        fatigueFeature = feature;
        fatigueThreshold = threshold;
        fatigueLow = lowPattern;
        fatigueHigh = highPattern;
        return this;
    }

    /** @return this, exploring nothing (all mass on the greedy pattern, then the floor). */
    public AdSlotPolicyWriter greedy()
    {
        exploration = EXPLORE_GREEDY;
        epsilon = 0;
        temperature = 0;
        return this;
    }

    /**
     * @param epsilon ε in [0, 1].
     * @return this.
     */
    public AdSlotPolicyWriter epsilonGreedy(final double epsilon)
    {
        exploration = EXPLORE_EPSILON_GREEDY;
        this.epsilon = epsilon;
        temperature = 0;
        return this;
    }

    /**
     * @param temperature τ, finite and > 0.
     * @return this.
     */
    public AdSlotPolicyWriter softmax(final double temperature)
    {
        exploration = EXPLORE_SOFTMAX;
        this.temperature = temperature;
        epsilon = 0;
        return this;
    }

    /**
     * @param percent percentage of users (by hash) served uniformly at random, 0..100.
     * @param salt    mixed into the user hash, so holdouts of different policies can differ.
     * @return this.
     */
    public AdSlotPolicyWriter holdout(final double percent, final long salt)
    {
        this.holdoutPercent = percent;
        this.holdoutSalt = salt;
        return this;
    }

    /**
     * @param floor least probability of every allowed pattern, 0 .. 1/P.
     * @return this.
     */
    public AdSlotPolicyWriter floor(final double floor)
    {
        this.floor = floor;
        return this;
    }

    /**
     * @return the section bytes.
     * @throws IllegalArgumentException naming the first field the validator would refuse.
     */
    public byte[] toBytes()
    {
        final int p = masks.length;
        final int length = sectionLength(p, modelOrdinals.length);
        final ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(SLOT_COUNT_OFFSET, (byte)slots);
        out.put(MAX_ADS_OFFSET, (byte)maxAds);
        out.put(MIN_GAP_OFFSET, (byte)minGap);
        out.put(POLICY_KIND_OFFSET, (byte)kind);
        out.putShort(FORBIDDEN_MASK_OFFSET, (short)forbidden);
        out.put(MODEL_MODE_OFFSET, (byte)modelMode);
        out.put(EXPLORATION_OFFSET, (byte)exploration);
        out.putInt(PATTERN_COUNT_OFFSET, p);
        out.putInt(CONTEXT_FEATURE_COUNT_OFFSET, contextFeatures);
        out.putDouble(LAMBDA_OFFSET, lambda);
        out.putDouble(EPSILON_OFFSET, epsilon);
        out.putDouble(TEMPERATURE_OFFSET, temperature);
        out.putDouble(HOLDOUT_PERCENT_OFFSET, holdoutPercent);
        out.putDouble(FLOOR_OFFSET, floor);
        out.putLong(HOLDOUT_SALT_OFFSET, holdoutSalt);
        out.putInt(STATIC_OFFSET_OFFSET, staticOffset);
        out.putInt(STATIC_POST_GAP_OFFSET, staticPostGap);
        out.putInt(FATIGUE_FEATURE_OFFSET, fatigueFeature);
        out.put(SCORE_OUTPUT_OFFSET, (byte)scoreOutput);
        out.putDouble(FATIGUE_THRESHOLD_OFFSET, fatigueThreshold);
        out.putInt(FATIGUE_LOW_PATTERN_OFFSET, fatigueLow);
        out.putInt(FATIGUE_HIGH_PATTERN_OFFSET, fatigueHigh);
        for (int s = 0; s < STATE_SLOT_ENTRIES; s++)
        {
            out.putInt(stateSlotOffset(s), stateSlots[s]);
        }
        for (int i = 0; i < p; i++)
        {
            out.putInt(maskOffset(i), masks[i]);
        }
        for (int i = 0; i < modelOrdinals.length; i++)
        {
            if (modelOrdinals[i] < 0)
            {
                throw new IllegalArgumentException("model ordinal " + modelOrdinals[i] + " < 0");
            }
            out.putInt(modelOrdinalOffset(p, i), modelOrdinals[i]);
        }
        final byte[] bytes = out.array();
        AdSlotPolicyValidator.checkFields(new UnsafeBuffer(bytes), 0, length,
            (field, reason) -> new IllegalArgumentException("AD_SLOT_POLICY offset " + field + ": " + reason));
        return bytes;
    }

    private static int[] filledSlots()
    {
        final int[] slots = new int[STATE_SLOT_ENTRIES];
        Arrays.fill(slots, NO_SLOT);
        return slots;
    }
}
