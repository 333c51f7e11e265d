package io.decide.format;

/**
 * Section type ids. A reader skips section types it does not know (after checking their bounds and CRC); the
 * ids below are reserved, and each section's layout is defined by the descriptor of its package.
 */
public final class SectionType
{
    /** Feature names, types and missing-value conventions: {@code io.decide.format.schema}. */
    public static final int FEATURE_SCHEMA = 1;
    /** UTF-8 JSON object: provenance, solver certificates, training data description. */
    public static final int METADATA = 2;
    /** Inputs and expected outputs replayed at load: {@code io.decide.format.vectors}. */
    public static final int VERIFICATION_VECTORS = 3;
    /** Gradient-boosted tree ensemble (layout defined with the GBDT evaluator). */
    public static final int GBDT_ENSEMBLE = 16;
    /** Per-cohort quality-bid scalars, boundaries, bounds and direction: {@code io.decide.format.scalars}. */
    public static final int COHORT_SCALARS = 17;
    /** Creative-quota dual λ, option costs and value source: {@code io.decide.format.quota}. */
    public static final int QUOTA_DUAL = 18;
    /** Ad-slot bandit policy and its action space, models and exploration: {@code io.decide.format.adslot}. */
    public static final int AD_SLOT_POLICY = 19;
    /** Feed-forward network of dense float32 layers (e.g. multi-task sensitivity): {@code io.decide.format.network}. */
    public static final int DENSE_NETWORK = 20;
    /** Ed25519 signature over the artifact digest; always the last section: {@code io.decide.format.signature}. */
    public static final int SIGNATURE = 255;

    /** Largest type id a table entry may carry. */
    public static final int MAX_TYPE_ID = 0xFFFF;

    private SectionType()
    {
    }

    /**
     * Human-readable name of a section type, for messages and {@code decide inspect}.
     *
     * @param type type id.
     * @return its name, or {@code UNKNOWN(id)}.
     */
    public static String name(final int type)
    {
        switch (type)
        {
            case FEATURE_SCHEMA: return "FEATURE_SCHEMA";
            case METADATA: return "METADATA";
            case VERIFICATION_VECTORS: return "VERIFICATION_VECTORS";
            case GBDT_ENSEMBLE: return "GBDT_ENSEMBLE";
            case COHORT_SCALARS: return "COHORT_SCALARS";
            case QUOTA_DUAL: return "QUOTA_DUAL";
            case AD_SLOT_POLICY: return "AD_SLOT_POLICY";
            case DENSE_NETWORK: return "DENSE_NETWORK";
            case SIGNATURE: return "SIGNATURE";
            default: return "UNKNOWN(" + type + ")";
        }
    }

    /**
     * Type id for a name as printed by {@link #name(int)}.
     *
     * @param name section type name, case-insensitive.
     * @return the id, or -1 when the name is not a known type.
     */
    public static int byName(final String name)
    {
        for (final int type : new int[]{
            FEATURE_SCHEMA, METADATA, VERIFICATION_VECTORS, GBDT_ENSEMBLE, COHORT_SCALARS, QUOTA_DUAL,
            AD_SLOT_POLICY, DENSE_NETWORK, SIGNATURE})
        {
            if (name(type).equalsIgnoreCase(name))
            {
                return type;
            }
        }
        return -1;
    }
}
