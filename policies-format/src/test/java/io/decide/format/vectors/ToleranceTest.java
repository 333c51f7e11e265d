package io.decide.format.vectors;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.decide.format.vectors.Tolerance.*;
import static java.lang.Double.*;
import static org.junit.jupiter.api.Assertions.*;

/** Edge cases of {@link Tolerance#matches} and {@link Tolerance#ulpDistance}. */
final class ToleranceTest
{
    private static final double OTHER_NAN = longBitsToDouble(0x7FF8_0000_0000_0001L);
    private static final double NEGATIVE_NAN = longBitsToDouble(0xFFF8_0000_0000_0000L);

    private static double up(final double value, final int ulps)
    {
        double result = value;
        for (int i = 0; i < ulps; i++)
        {
            result = Math.nextUp(result);
        }
        return result;
    }

    @Test
    void decodesKinds()
    {
        assertEquals(EXACT, fromCode(0));
        assertEquals(ULPS, fromCode(1));
        assertEquals(ABSOLUTE, fromCode(2));
        assertEquals(RELATIVE, fromCode(3));
        assertNull(fromCode(4));
        assertNull(fromCode(-1));
    }

    @Test
    void anyNanMatchesAnyNanAndNothingElseForEveryKind()
    {
        for (final Tolerance kind : values())
        {
            final double tolerance = kind == EXACT ? 0 : MAX_VALUE;
            assertTrue(kind.matches(NaN, NaN, tolerance), kind::name);
            assertTrue(kind.matches(NaN, OTHER_NAN, tolerance), kind::name);
            assertTrue(kind.matches(NEGATIVE_NAN, NaN, tolerance), kind::name);
            assertFalse(kind.matches(NaN, 0.0, tolerance), kind::name);
            assertFalse(kind.matches(1.0, NaN, tolerance), kind::name);
            assertFalse(kind.matches(POSITIVE_INFINITY, NaN, tolerance), kind::name);
        }
    }

    @Test
    void infinitiesMatchOnlyThemselvesForEveryKind()
    {
        for (final Tolerance kind : values())
        {
            final double tolerance = kind == EXACT ? 0 : kind == ULPS ? 0 : 0.5;
            assertTrue(kind.matches(POSITIVE_INFINITY, POSITIVE_INFINITY, tolerance), kind::name);
            assertTrue(kind.matches(NEGATIVE_INFINITY, NEGATIVE_INFINITY, tolerance), kind::name);
            assertFalse(kind.matches(POSITIVE_INFINITY, NEGATIVE_INFINITY, tolerance), kind::name);
            assertFalse(kind.matches(NEGATIVE_INFINITY, POSITIVE_INFINITY, tolerance), kind::name);
            assertFalse(kind.matches(POSITIVE_INFINITY, 1.0, tolerance), kind::name);
            assertFalse(kind.matches(1.0, NEGATIVE_INFINITY, tolerance), kind::name);
            assertFalse(kind.matches(POSITIVE_INFINITY, 0.0, tolerance), kind::name);
        }
        assertFalse(RELATIVE.matches(POSITIVE_INFINITY, MAX_VALUE, 1e300));
        assertFalse(ABSOLUTE.matches(POSITIVE_INFINITY, MAX_VALUE, MAX_VALUE));
    }

    @Test
    void exactIsBitIdentity()
    {
        assertTrue(EXACT.matches(1.5, 1.5, 0));
        assertFalse(EXACT.matches(1.0, Math.nextUp(1.0), 0));
        assertFalse(EXACT.matches(0.0, -0.0, 0), "+0 and -0 differ in their bits");
        assertFalse(EXACT.matches(-0.0, 0.0, 0));
        assertTrue(EXACT.matches(MIN_VALUE, MIN_VALUE, 0));
        assertFalse(EXACT.matches(MIN_VALUE, 0.0, 0));
    }

    @Test
    void ulpDistanceCountsRepresentableDoubles()
    {
        assertEquals(0.0, ulpDistance(0.0, -0.0));
        assertEquals(0.0, ulpDistance(-0.0, 0.0));
        assertEquals(1.0, ulpDistance(0.0, MIN_VALUE));
        assertEquals(1.0, ulpDistance(-0.0, -MIN_VALUE));
        assertEquals(2.0, ulpDistance(-MIN_VALUE, MIN_VALUE), "across zero: -min, 0, +min");
        assertEquals(1.0, ulpDistance(1.0, Math.nextUp(1.0)));
        assertEquals(1.0, ulpDistance(1.0, Math.nextDown(1.0)));
        assertEquals(1.0, ulpDistance(MAX_VALUE, POSITIVE_INFINITY));
        assertEquals(1.0, ulpDistance(-MAX_VALUE, NEGATIVE_INFINITY));
        assertEquals(1.0, ulpDistance(MIN_NORMAL, Math.nextDown(MIN_NORMAL)));
        assertEquals(2.0 * doubleToLongBits(POSITIVE_INFINITY), ulpDistance(NEGATIVE_INFINITY, POSITIVE_INFINITY));
        assertEquals(2.0 * doubleToLongBits(1.0), ulpDistance(-1.0, 1.0));
        assertEquals((double)(1L << 52), ulpDistance(1.0, 2.0));
    }

    @Test
    void ulpDistanceIsExactForNearbyValuesOfAnyMagnitude()
    {
        final Random random = new Random(42);
        final double[] bases = {1.0, -1.0, 1e300, -1e-300, 123456.789, MIN_NORMAL, MAX_VALUE / 4, 3 * MIN_VALUE};
        for (final double base : bases)
        {
            for (int i = 0; i < 50; i++)
            {
                final int n = random.nextInt(1000);
                final double other = up(base, n);
                assertEquals(n, ulpDistance(base, other), () -> base + " + " + n + " ulps");
                assertEquals(n, ulpDistance(other, base), "symmetric");
            }
        }
    }

    @Test
    void ulpsMatchesWithinTheBound()
    {
        assertTrue(ULPS.matches(1.0, 1.0, 0));
        assertFalse(ULPS.matches(1.0, Math.nextUp(1.0), 0), "one ulp apart is not zero ulps apart");
        assertTrue(ULPS.matches(1.0, up(1.0, 3), 3));
        assertFalse(ULPS.matches(1.0, up(1.0, 4), 3));
        assertFalse(ULPS.matches(1.0, up(1.0, 300), 4));
        assertTrue(ULPS.matches(1e300, up(1e300, 16), 16));
        assertFalse(ULPS.matches(1e300, up(1e300, 17), 16));
        assertTrue(ULPS.matches(0.0, -0.0, 0));
        assertTrue(ULPS.matches(-MIN_VALUE, MIN_VALUE, 2));
        assertFalse(ULPS.matches(-MIN_VALUE, MIN_VALUE, 1));
        assertTrue(ULPS.matches(MAX_VALUE, POSITIVE_INFINITY, 1), "infinity is one ulp above MAX_VALUE");
        assertFalse(ULPS.matches(-1.0, 1.0, 1e18));
    }

    @Test
    void absoluteBoundsTheDifference()
    {
        assertTrue(ABSOLUTE.matches(1.0, 1.5, 0.5));
        assertTrue(ABSOLUTE.matches(1.5, 1.0, 0.5));
        assertFalse(ABSOLUTE.matches(1.0, 1.5, Math.nextDown(0.5)));
        assertTrue(ABSOLUTE.matches(0.0, -0.0, 0));
        assertTrue(ABSOLUTE.matches(2.0, 2.0, 0));
        assertFalse(ABSOLUTE.matches(2.0, Math.nextUp(2.0), 0));
        assertTrue(ABSOLUTE.matches(1e-300, -1e-300, 1e-299));
        assertFalse(ABSOLUTE.matches(MAX_VALUE, -MAX_VALUE, MAX_VALUE), "the difference overflows to infinity");
    }

    @Test
    void relativeBoundsTheDifferenceByTheLargerMagnitude()
    {
        assertTrue(RELATIVE.matches(100, 101, 0.01), "1 <= 0.01 * 101");
        assertFalse(RELATIVE.matches(100, 102, 0.01), "2 > 0.01 * 102");
        assertTrue(RELATIVE.matches(-100, -101, 0.01));
        assertTrue(RELATIVE.matches(0.0, 0.0, 0));
        assertTrue(RELATIVE.matches(0.0, -0.0, 0));
        assertFalse(RELATIVE.matches(0.0, 1e-300, 0.5), "nothing but zero is relatively close to zero");
        assertTrue(RELATIVE.matches(1.0, -1.0, 2.0), "|1 - -1| = 2 <= 2 * 1");
        assertFalse(RELATIVE.matches(1.0, -1.0, Math.nextDown(2.0)));
        assertFalse(RELATIVE.matches(5.0, Math.nextUp(5.0), 0));
        assertTrue(RELATIVE.matches(MAX_VALUE, MAX_VALUE / 2, 0.5));
    }
}
