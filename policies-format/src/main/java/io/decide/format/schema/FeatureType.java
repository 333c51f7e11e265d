package io.decide.format.schema;

/** How a feature's value is interpreted. The ordinal is the on-disk code. */
public enum FeatureType
{
    /** A real number. */
    NUMERIC,
    /** A non-negative integer category id, carried as a number. */
    CATEGORICAL,
    /** 0 or 1. */
    BOOLEAN;

    private static final FeatureType[] VALUES = values();

    /**
     * @param code on-disk code.
     * @return the type, or null if the code is unknown.
     */
    public static FeatureType fromCode(final int code)
    {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }
}
