package io.decide.tools.scalars;

/**
 * One bid's scalar problem: maximise {@code Σ (k_i x_i + d_i)} subject to {@code Σ (a_i x_i² + b_i x_i + c_i) ≥ R},
 * {@code l ≤ x_i ≤ u}, and, when chained, {@code x_0 ≤ … ≤ x_{N-1}} (increasing) or {@code x_0 ≥ … ≥ x_{N-1}}
 * (decreasing). Convex when every {@code a_i ≤ 0}.
 *
 * @param k        engagement slopes.
 * @param d        engagement intercepts.
 * @param a        performance curvatures (0 for linear).
 * @param b        performance slopes.
 * @param c        performance intercepts.
 * @param lower    l.
 * @param upper    u.
 * @param required R = (1−ρ)·B.
 * @param chain    {@link #NO_CHAIN}, {@link #INCREASING} or {@link #DECREASING}.
 */
public record ScalarProblem(
    double[] k, double[] d, double[] a, double[] b, double[] c, double lower, double upper, double required, int chain)
{
    /** No monotone chain (lp, lpqc). */
    public static final int NO_CHAIN = 0;
    /** x non-decreasing in cohort index. */
    public static final int INCREASING = 1;
    /** x non-increasing in cohort index. */
    public static final int DECREASING = -1;

    /**
     * Build from fits.
     *
     * @param fits     per-cohort fits.
     * @param lower    l.
     * @param upper    u.
     * @param required R.
     * @param chain    chain code.
     * @return the problem.
     */
    public static ScalarProblem of(
        final CohortFit[] fits, final double lower, final double upper, final double required, final int chain)
    {
        final int n = fits.length;
        final double[] k = new double[n];
        final double[] d = new double[n];
        final double[] a = new double[n];
        final double[] b = new double[n];
        final double[] c = new double[n];
        for (int i = 0; i < n; i++)
        {
            k[i] = fits[i].k();
            d[i] = fits[i].d();
            a[i] = fits[i].a();
            b[i] = fits[i].b();
            c[i] = fits[i].c();
        }
        return new ScalarProblem(k, d, a, b, c, lower, upper, required, chain);
    }

    /** @return number of cohorts N. */
    public int size()
    {
        return k.length;
    }

    /**
     * @param x a policy.
     * @return total engagement {@code Σ (k_i x_i + d_i)}.
     */
    public double engagement(final double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.length; i++)
        {
            sum += k[i] * x[i] + d[i];
        }
        return sum;
    }

    /**
     * @param x a policy.
     * @return total performance {@code Σ (a_i x_i² + b_i x_i + c_i)}.
     */
    public double performance(final double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.length; i++)
        {
            sum += (a[i] * x[i] + b[i]) * x[i] + c[i];
        }
        return sum;
    }

    /**
     * @param value the same scalar for every cohort.
     * @return total performance of that uniform policy.
     */
    public double uniformPerformance(final double value)
    {
        double sum = 0;
        for (int i = 0; i < k.length; i++)
        {
            sum += (a[i] * value + b[i]) * value + c[i];
        }
        return sum;
    }
}
