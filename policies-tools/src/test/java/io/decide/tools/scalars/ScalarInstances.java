package io.decide.tools.scalars;

import java.util.Random;

/** Random convex scalar instances for the property tests. */
final class ScalarInstances
{
    static final double LOWER = 0.5;
    static final double UPPER = 2.0;

    private ScalarInstances()
    {
    }

    /**
     * @param seed      seed.
     * @param n         cohorts.
     * @param quadratic whether a_i &lt; 0 (else 0).
     * @param chain     chain code.
     * @param rho       allowed loss.
     * @return an instance with R = (1−ρ)·G(1), feasible since x = 1 meets it.
     */
    static ScalarProblem random(final long seed, final int n, final boolean quadratic, final int chain, final double rho)
    {
        final CohortFit[] fits = fits(seed, n, quadratic);
        final ScalarProblem probe = ScalarProblem.of(fits, LOWER, UPPER, 0, chain);
        return ScalarProblem.of(fits, LOWER, UPPER, (1 - rho) * probe.uniformPerformance(1.0), chain);
    }

    static CohortFit[] fits(final long seed, final int n, final boolean quadratic)
    {
        final Random random = new Random(seed);
        final CohortFit[] fits = new CohortFit[n];
        for (int i = 0; i < n; i++)
        {
            final double sensitivity = n == 1 ? 0.5 : (double)i / (n - 1);
            final double k = 0.3 - sensitivity + 0.4 * (random.nextDouble() - 0.5);
            final double d = 10 + 5 * random.nextDouble();
            final double a = quadratic ? -0.6 * random.nextDouble() : 0.0;
            final double b = 0.2 + 2.5 * random.nextDouble() - 2 * a;
            final double c = 1 + random.nextDouble();
            fits[i] = new CohortFit(i, k, d, a, b, c);
        }
        return fits;
    }
}
