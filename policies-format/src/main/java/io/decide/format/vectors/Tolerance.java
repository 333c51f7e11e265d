package io.decide.format.vectors;

/** How an evaluator's output is compared with the expected value of a verification vector. Ordinal = code. */
public enum Tolerance
{
    /** Bit-identical, except that any NaN matches any NaN. The tolerance value must be 0. */
    EXACT,
    /** At most {@code tolerance} units in the last place apart, comparing as doubles. */
    ULPS,
    /** {@code |expected - actual| <= tolerance}. */
    ABSOLUTE,
    /** {@code |expected - actual| <= tolerance * max(|expected|, |actual|)}; an infinity matches only itself. */
    RELATIVE;

    private static final Tolerance[] VALUES = values();

    /**
     * @param code on-disk code.
     * @return the kind, or null if unknown.
     */
    public static Tolerance fromCode(final int code)
    {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }

    /**
     * Compare two values.
     *
     * @param expected  value from the artifact.
     * @param actual    value the evaluator produced.
     * @param tolerance bound for this kind.
     * @return whether they agree.
     */
    public boolean matches(final double expected, final double actual, final double tolerance)
    {
        if (Double.isNaN(expected) || Double.isNaN(actual))
        {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        switch (this)
        {
            case EXACT:
                return Double.doubleToLongBits(expected) == Double.doubleToLongBits(actual);
            case ULPS:
                return ulpDistance(expected, actual) <= tolerance;
            case ABSOLUTE:
                return expected == actual || Math.abs(expected - actual) <= tolerance;
            case RELATIVE:
                return expected == actual || (Double.isFinite(expected) && Double.isFinite(actual) &&
                    Math.abs(expected - actual) <= tolerance * Math.max(Math.abs(expected), Math.abs(actual)));
            default:
                throw new IllegalStateException(name());
        }
    }

    /**
     * Distance in units in the last place between two non-NaN doubles (0 for +0 and -0).
     *
     * @param a first value.
     * @param b second value.
     * @return the distance as a double (may exceed the long range for opposite signs).
     */
    public static double ulpDistance(final double a, final double b)
    {
        if (a == b)
        {
            return 0;
        }
        final long la = ordered(Double.doubleToLongBits(a));
        final long lb = ordered(Double.doubleToLongBits(b));
        // Subtract as longs: converting each to double first would drop the low bits of large magnitudes.
        // The difference is exact as an unsigned 64-bit value; it exceeds Long.MAX_VALUE only for opposite signs.
        final long difference = Math.max(la, lb) - Math.min(la, lb);
        return difference >= 0 ? (double)difference : (double)(difference >>> 1) * 2.0 + (difference & 1);
    }

    private static long ordered(final long bits)
    {
        return bits < 0 ? Long.MIN_VALUE - bits : bits;
    }
}
