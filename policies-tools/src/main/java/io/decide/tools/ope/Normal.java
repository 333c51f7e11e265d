package io.decide.tools.ope;

/**
 * The standard normal distribution: upper tail probability and quantile, from erfc computed by its power series
 * (|x| &lt; 2.5) or its continued fraction (x ≥ 2.5), both to about 1e-14 relative error.
 */
public final class Normal
{
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    private Normal()
    {
    }

    /**
     * @param z a z-score.
     * @return P(Z &gt; z) for a standard normal Z.
     */
    public static double upperTail(final double z)
    {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /**
     * @param z a z-score.
     * @return the two-sided p-value P(|Z| &ge; |z|).
     */
    public static double twoSided(final double z)
    {
        if (Double.isNaN(z))
        {
            return Double.NaN;
        }
        return Math.min(1.0, erfc(Math.abs(z) / Math.sqrt(2)));
    }

    /**
     * @param p a probability in (0, 1).
     * @return z with P(Z ≤ z) = p (bisection on the CDF to 1e-12).
     */
    public static double quantile(final double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new IllegalArgumentException("p must be in (0, 1): " + p);
        }
        double lo = -40;
        double hi = 40;
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++)
        {
            final double mid = 0.5 * (lo + hi);
            if (1 - upperTail(mid) < p)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * @param x any value.
     * @return the complementary error function erfc(x) = 1 - erf(x).
     */
    public static double erfc(final double x)
    {
        if (Double.isNaN(x))
        {
            return Double.NaN;
        }
        if (x < 0)
        {
            return 2 - erfc(-x);
        }
        if (x < 2.5)
        {
            // erf x = 2/√π Σ_n (-1)^n x^(2n+1) / (n! (2n+1))
            final double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                final double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum))
                {
                    break;
                }
            }
            return 1 - TWO_OVER_SQRT_PI * sum;
        }
        if (x > 27)
        {
            return 0;
        }
        // erfc x = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), modified Lentz.
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++)
        {
            final double an = n * 0.5;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            final double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16)
            {
                break;
            }
        }
        return Math.exp(-x * x) * ONE_OVER_SQRT_PI / f;
    }
}
