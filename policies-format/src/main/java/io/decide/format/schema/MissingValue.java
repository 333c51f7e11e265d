package io.decide.format.schema;

/** How a missing value of a feature is represented in a request. The ordinal is the on-disk code. */
public enum MissingValue
{
    /** Missing is NaN. */
    NAN,
    /** Missing is indistinguishable from 0 (sparse inputs). */
    ZERO,
    /** Missing is a declared sentinel value. */
    SENTINEL,
    /** The feature must always be present. */
    NOT_ALLOWED;

    private static final MissingValue[] VALUES = values();

    /**
     * @param code on-disk code.
     * @return the convention, or null if the code is unknown.
     */
    public static MissingValue fromCode(final int code)
    {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }
}
