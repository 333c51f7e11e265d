package io.decide.format.quota;

/**
 * Layout of a QUOTA_DUAL section (section layout version 1). Offsets are relative to the section start; all
 * numbers little-endian. The section is exactly {@code 64 + 16 x K} bytes.
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                    Option Count K (u32)                       |  0
 *  +---------------+---------------+-------------------------------+
 *  | Value Source  |  Reserved (u8)|        Reserved (u16) = 0     |  4
 *  |  (u8)         |      = 0      |                               |
 *  +---------------+---------------+-------------------------------+
 *  |   GBDT Ordinal (u32): which GBDT_ENSEMBLE section values it   |  8
 *  +---------------------------------------------------------------+
 *  |   K Feature (u32): model input feature that carries the label |  12
 *  +---------------------------------------------------------------+
 *  |   GBDT Output (u32): which raw margin is the option's value   |  16
 *  +---------------------------------------------------------------+
 *  |                     Flags (u32) = 0                           |  20
 *  +---------------------------------------------------------------+
 *  |                     Lambda λ (f64), finite, >= 0              |  24
 *  +---------------------------------------------------------------+
 *  |             Explore Weight w (f64), finite, >= 0              |  32
 *  +---------------------------------------------------------------+
 *  |         Capacity C the λ was solved for (f64), finite, >= 0   |  40
 *  +---------------------------------------------------------------+
 *  |  Pacing Gain η (f64), finite, >= 0; 0 = the pacer's default   |  48
 *  +---------------------------------------------------------------+
 *  |                     Reserved (u64) = 0                        |  56
 *  +---------------------------------------------------------------+
 *  |  Costs: K x f64, finite, >= 0, non-decreasing in option index |  64
 *  +---------------------------------------------------------------+
 *  |  Labels: K x f64, finite: the value of k fed to the model     |  64 + 8K
 *  |  (e.g. the number of creatives) for each option               |
 *  +---------------------------------------------------------------+  64 + 16K
 * </pre>
 * Value source {@link #SOURCE_CALLER}: the caller passes K values per item (or K pvalues and K explore scores, and
 * value = pvalue + w·explore); GBDT ordinal, K feature and GBDT output must be 0. Value source {@link #SOURCE_GBDT}:
 * option k's value is raw margin {@code GBDT Output} of GBDT_ENSEMBLE section number {@code GBDT Ordinal} evaluated on
 * the caller's feature row with feature {@code K Feature} set to {@code label_k}; that section must exist, and the
 * feature and output must be inside its feature and output counts. Because costs are non-decreasing, the rule
 * "ties go to the lower cost" is "ties go to the lower option index". Writer: {@link QuotaDualWriter}; validator:
 * {@link QuotaDualValidator}; reader: {@link QuotaDualFlyweight}.
 */
public final class QuotaDualDescriptor
{
    public static final int VERSION = 1;

    public static final int OPTION_COUNT_OFFSET = 0;
    public static final int VALUE_SOURCE_OFFSET = 4;
    public static final int RESERVED8_OFFSET = 5;
    public static final int RESERVED16_OFFSET = 6;
    public static final int GBDT_ORDINAL_OFFSET = 8;
    public static final int K_FEATURE_OFFSET = 12;
    public static final int GBDT_OUTPUT_OFFSET = 16;
    public static final int FLAGS_OFFSET = 20;
    public static final int LAMBDA_OFFSET = 24;
    public static final int EXPLORE_WEIGHT_OFFSET = 32;
    public static final int CAPACITY_OFFSET = 40;
    public static final int PACING_GAIN_OFFSET = 48;
    public static final int RESERVED64_OFFSET = 56;
    public static final int HEADER_LENGTH = 64;

    /** Values are passed by the caller. */
    public static final int SOURCE_CALLER = 0;
    /** Values come from a GBDT_ENSEMBLE section of the same artifact, evaluated once per option. */
    public static final int SOURCE_GBDT = 1;

    /** Most options per item. */
    public static final int MAX_OPTIONS = 4096;

    private QuotaDualDescriptor()
    {
    }

    /**
     * @param option option index.
     * @return offset of its cost.
     */
    public static int costOffset(final int option)
    {
        return HEADER_LENGTH + 8 * option;
    }

    /**
     * @param optionCount K.
     * @param option      option index.
     * @return offset of its label.
     */
    public static int labelOffset(final int optionCount, final int option)
    {
        return HEADER_LENGTH + 8 * optionCount + 8 * option;
    }

    /**
     * @param optionCount K.
     * @return section length.
     */
    public static int sectionLength(final int optionCount)
    {
        return HEADER_LENGTH + 16 * optionCount;
    }
}
