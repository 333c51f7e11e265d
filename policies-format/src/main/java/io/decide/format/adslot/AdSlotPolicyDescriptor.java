package io.decide.format.adslot;

/**
 * Layout of an AD_SLOT_POLICY section (section layout version 1). Offsets are relative to the section start; all
 * numbers little-endian. The section is exactly {@code 128 + 4·P + 4·M} bytes, P patterns and M model ordinals.
 * <pre>
 *  +---------------+---------------+---------------+---------------+
 *  | Slots n (u8)  | Max Ads m (u8)| Min Gap g (u8)| Policy Kind   |  0
 *  | 1..16         | 0..n          | 0..15         | (u8)          |
 *  +---------------+---------------+---------------+---------------+
 *  |  Forbidden Positions (u16 bitmask, bit i = slot i) | Model    | Exploration |  4
 *  |                                                    | Mode (u8)| (u8)        |
 *  +---------------------------------------------------------------+
 *  |                   Pattern Count P (u32)                       |  8
 *  +---------------------------------------------------------------+
 *  |           Context Feature Count C (u32)                       |  12
 *  +---------------------------------------------------------------+
 *  |   Lambda λ (f64) in [0, 1]: reward = λ·SAT + (1−λ)·ADS        |  16
 *  +---------------------------------------------------------------+
 *  |   Epsilon ε (f64) in [0, 1]; 0 unless ε-greedy                |  24
 *  +---------------------------------------------------------------+
 *  |   Temperature τ (f64) > 0 for softmax; 0 otherwise            |  32
 *  +---------------------------------------------------------------+
 *  |   Holdout Percent (f64) in [0, 100]: users served uniformly   |  40
 *  +---------------------------------------------------------------+
 *  |   Probability Floor f (f64) in [0, 1/P]                       |  48
 *  +---------------------------------------------------------------+
 *  |   Holdout Salt (u64): mixed with the user id for the holdout  |  56
 *  +---------------------------------------------------------------+
 *  |   Static Offset (u32): posts before a session's first ad      |  64
 *  +---------------------------------------------------------------+
 *  |   Static Post Gap (u32) >= g: posts between ads               |  68
 *  +---------------------------------------------------------------+
 *  |   Fatigue Feature (u32) &lt; C: context index compared        |  72
 *  +---------------+-----------------------------------------------+
 *  | Score Output  |           Reserved (3 x u8) = 0               |  76
 *  | (u8) 0 raw, 1 transformed                                     |
 *  +---------------------------------------------------------------+
 *  |   Fatigue Threshold (f64), finite                             |  80
 *  +---------------------------------------------------------------+
 *  |   Fatigue Low Pattern (u32) &lt; P: chosen at fatigue >= thr.|  88
 *  +---------------------------------------------------------------+
 *  |   Fatigue High Pattern (u32) &lt; P: chosen below the thresh.|  92
 *  +---------------------------------------------------------------+
 *  |   State Slots: 8 x i32, slot s = context index that receives  |  96
 *  |   state feature s (ids below), or -1; slot 7 is -1            |
 *  +---------------------------------------------------------------+
 *  |   Pattern Masks: P x u32, bit i set = an ad at slot i         |  128
 *  +---------------------------------------------------------------+
 *  |   Model Ordinals: M x u32, GBDT_ENSEMBLE ordinals             |  128 + 4P
 *  +---------------------------------------------------------------+  128 + 4P + 4M
 * </pre>
 * <b>Patterns.</b> Pattern 0 is the empty mask (no ad), so some pattern is always allowed. Every mask has no bit at
 * or above n, no forbidden bit, at most m bits, and at least g clear slots between two set bits; masks are listed
 * strictly ascending by (ad count, mask value), which is the order {@link AdSlotPolicyWriter#enumeratePatterns}
 * produces for the complete set. Per request a pattern is allowed unless the session already showed an ad and
 * {@code postsSinceLastAd + lowestSetSlot < g} (the gap across consecutive feeds).
 * <p>
 * <b>Models.</b> Model mode {@link #MODELS_NONE}: M = 0 (baseline policies). {@link #MODELS_PER_ACTION}: M = 2P,
 * ordinals {@code SAT_0, ADS_0, SAT_1, ADS_1, ...}, each model taking the C context features. {@link #MODELS_JOINT}:
 * M = 2, {@code SAT, ADS}, each taking C + 2 features: the context, then the pattern's ad count (feature C) and its
 * mask (feature C + 1). Output 0 of each model is used, raw margin or transformed ({@code Score Output}).
 * Referenced sections must exist with exactly that feature count.
 * <p>
 * <b>Policy kinds.</b> {@link #KIND_MODEL_GREEDY}: the allowed pattern of highest reward (ties to the lower index).
 * {@link #KIND_STATIC}: ads placed every {@code Static Post Gap} posts, the session's first after
 * {@code Static Offset} posts, skipping forbidden slots, at most m per feed. {@link #KIND_FATIGUE_THRESHOLD}: the
 * low pattern when context feature {@code Fatigue Feature} is >= the threshold, else the high pattern. A baseline
 * target that is not allowed (or not listed) falls back to the allowed pattern with the most ads not above the
 * target's count, lowest index first. Baselines have no models and cannot use softmax.
 * <p>
 * <b>Exploration.</b> {@link #EXPLORE_GREEDY}: all mass on the greedy pattern. {@link #EXPLORE_EPSILON_GREEDY}:
 * 1 − ε on it, ε spread uniformly over the allowed patterns. {@link #EXPLORE_SOFTMAX}: {@code exp(r/τ)} normalised
 * over the allowed patterns. A user in the holdout (hash of user id and salt, below the percentage) gets the uniform
 * distribution over allowed patterns. Then the floor: {@code p = f + (1 − A·f)·p} over the A allowed patterns, so
 * each allowed pattern has at least f and the vector still sums to 1; disallowed patterns have 0.
 * <p>
 * Writer: {@link AdSlotPolicyWriter}; validator: {@link AdSlotPolicyValidator}; reader: {@link AdSlotPolicyFlyweight};
 * interpreter: {@code io.decide.engine.adslot.AdSlotDecider} (change them together).
 */
public final class AdSlotPolicyDescriptor
{
    public static final int VERSION = 1;

    public static final int SLOT_COUNT_OFFSET = 0;
    public static final int MAX_ADS_OFFSET = 1;
    public static final int MIN_GAP_OFFSET = 2;
    public static final int POLICY_KIND_OFFSET = 3;
    public static final int FORBIDDEN_MASK_OFFSET = 4;
    public static final int MODEL_MODE_OFFSET = 6;
    public static final int EXPLORATION_OFFSET = 7;
    public static final int PATTERN_COUNT_OFFSET = 8;
    public static final int CONTEXT_FEATURE_COUNT_OFFSET = 12;
    public static final int LAMBDA_OFFSET = 16;
    public static final int EPSILON_OFFSET = 24;
    public static final int TEMPERATURE_OFFSET = 32;
    public static final int HOLDOUT_PERCENT_OFFSET = 40;
    public static final int FLOOR_OFFSET = 48;
    public static final int HOLDOUT_SALT_OFFSET = 56;
    public static final int STATIC_OFFSET_OFFSET = 64;
    public static final int STATIC_POST_GAP_OFFSET = 68;
    public static final int FATIGUE_FEATURE_OFFSET = 72;
    public static final int SCORE_OUTPUT_OFFSET = 76;
    public static final int RESERVED_OFFSET = 77;
    public static final int FATIGUE_THRESHOLD_OFFSET = 80;
    public static final int FATIGUE_LOW_PATTERN_OFFSET = 88;
    public static final int FATIGUE_HIGH_PATTERN_OFFSET = 92;
    public static final int STATE_SLOTS_OFFSET = 96;
    public static final int HEADER_LENGTH = 128;

    /** Policy kind: greedy on model reward, with exploration. */
    public static final int KIND_MODEL_GREEDY = 0;
    /** Policy kind: the paper's static baseline (offset, post gap). */
    public static final int KIND_STATIC = 1;
    /** Policy kind: the paper's fatigue-threshold baseline. */
    public static final int KIND_FATIGUE_THRESHOLD = 2;

    /** Model mode: no models (baselines). */
    public static final int MODELS_NONE = 0;
    /** Model mode: a SAT and an ADS model per pattern, on the context features. */
    public static final int MODELS_PER_ACTION = 1;
    /** Model mode: one SAT and one ADS model, on the context features plus ad count and mask. */
    public static final int MODELS_JOINT = 2;

    /** Exploration: none. */
    public static final int EXPLORE_GREEDY = 0;
    /** Exploration: ε-greedy. */
    public static final int EXPLORE_EPSILON_GREEDY = 1;
    /** Exploration: softmax with temperature. */
    public static final int EXPLORE_SOFTMAX = 2;

    /** Score output: raw margin (output 0). */
    public static final int SCORE_RAW = 0;
    /** Score output: transformed output (output 0), e.g. a probability. */
    public static final int SCORE_TRANSFORMED = 1;

    /** State feature id: the previous feed's ad mask. */
    public static final int STATE_PREV_AD_MASK = 0;
    /** State feature id: posts since the last ad of the session. */
    public static final int STATE_POSTS_SINCE_LAST_AD = 1;
    /** State feature id: ads over the last 3 feeds of the session. */
    public static final int STATE_ADS_LAST_3_FEEDS = 2;
    /** State feature id: ads over the last 5 feeds of the session. */
    public static final int STATE_ADS_LAST_5_FEEDS = 3;
    /** State feature id: ads shown in the session. */
    public static final int STATE_SESSION_AD_IMPRESSIONS = 4;
    /** State feature id: feeds already served in the session. */
    public static final int STATE_FEED_DEPTH = 5;
    /** State feature id: seconds since the user's last feed. */
    public static final int STATE_IDLE_SECONDS = 6;
    /** State features defined in this version. */
    public static final int STATE_FEATURE_COUNT = 7;
    /** State slot entries stored (the last is reserved, -1). */
    public static final int STATE_SLOT_ENTRIES = 8;
    /** A state slot that feeds no context index. */
    public static final int NO_SLOT = -1;

    /** Most feed slots. */
    public static final int MAX_SLOTS = 16;
    /** Largest minimum gap. */
    public static final int MAX_GAP = 15;
    /** Most patterns. */
    public static final int MAX_PATTERNS = 4096;
    /** Most context features. */
    public static final int MAX_CONTEXT_FEATURES = 1 << 16;

    private AdSlotPolicyDescriptor()
    {
    }

    /**
     * @param stateFeature state feature id.
     * @return offset of its slot.
     */
    public static int stateSlotOffset(final int stateFeature)
    {
        return STATE_SLOTS_OFFSET + 4 * stateFeature;
    }

    /**
     * @param pattern pattern index.
     * @return offset of its mask.
     */
    public static int maskOffset(final int pattern)
    {
        return HEADER_LENGTH + 4 * pattern;
    }

    /**
     * @param patternCount P.
     * @param index        model ordinal index (0 .. M-1).
     * @return offset of that ordinal.
     */
    public static int modelOrdinalOffset(final int patternCount, final int index)
    {
        return HEADER_LENGTH + 4 * patternCount + 4 * index;
    }

    /**
     * @param modelMode    model mode.
     * @param patternCount P.
     * @return M, the number of model ordinals, or -1 for an unknown mode.
     */
    public static int modelOrdinalCount(final int modelMode, final int patternCount)
    {
        switch (modelMode)
        {
            case MODELS_NONE: return 0;
            case MODELS_PER_ACTION: return 2 * patternCount;
            case MODELS_JOINT: return 2;
            default: return -1;
        }
    }

    /**
     * @param patternCount      P.
     * @param modelOrdinalCount M.
     * @return section length.
     */
    public static int sectionLength(final int patternCount, final int modelOrdinalCount)
    {
        return HEADER_LENGTH + 4 * patternCount + 4 * modelOrdinalCount;
    }

    /**
     * Whether a mask obeys the static rules of a pattern.
     *
     * @param mask      the mask.
     * @param slots     n.
     * @param maxAds    m.
     * @param forbidden forbidden-position mask.
     * @param minGap    g.
     * @return whether it is a valid pattern.
     */
    public static boolean validPattern(
        final int mask, final int slots, final int maxAds, final int forbidden, final int minGap)
    {
        if ((mask >>> slots) != 0 || (mask & forbidden) != 0 || Integer.bitCount(mask) > maxAds)
        {
            return false;
        }
        int last = -1;
        for (int i = 0; i < slots; i++)
        {
            if ((mask & (1 << i)) != 0)
            {
                if (last >= 0 && i - last - 1 < minGap)
                {
                    return false;
                }
                last = i;
            }
        }
        return true;
    }

    /**
     * The canonical pattern order: ascending ad count, then ascending mask value.
     *
     * @param a a mask.
     * @param b another mask.
     * @return negative, 0 or positive as a comes before, equals or comes after b.
     */
    public static int compareMasks(final int a, final int b)
    {
        final int byCount = Integer.compare(Integer.bitCount(a), Integer.bitCount(b));
        return byCount != 0 ? byCount : Integer.compare(a, b);
    }
}
