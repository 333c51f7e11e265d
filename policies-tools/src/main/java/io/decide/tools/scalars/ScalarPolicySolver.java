package io.decide.tools.scalars;

import java.util.Arrays;

/**
 * From one bid's responses to a solved policy: fit each cohort (performance quadratic for lpqc, lpqc-sorted and
 * ilp, linear otherwise), set R = (1−ρ)·B with B the given baseline or, by default, the fitted performance of the
 * uniform policy x_i = 1, and solve with {@link ScalarDualSolver} (or {@link DiscreteScalarSolver} for ilp).
 */
public final class ScalarPolicySolver
{
    /** Node budget of the discrete baseline. */
    public static final long ILP_MAX_NODES = 50_000_000L;

    private final ScalarDualSolver dual = new ScalarDualSolver();

    /**
     * @param responses  the bid's responses.
     * @param method     the method.
     * @param rho        allowed relative performance loss ρ, in [0, 1).
     * @param baseline   B, or NaN for the uniform policy's fitted performance.
     * @param lower      l.
     * @param upper      u.
     * @param increasing scalars non-decreasing (true) or non-increasing (false) with sensitivity, for -sorted.
     * @return the solution.
     * @throws ScalarInfeasibleException naming the cohort or the shortfall.
     */
    public BidSolution solve(
        final BidResponses responses, final ScalarMethod method, final double rho, final double baseline,
        final double lower, final double upper, final boolean increasing)
    {
        final CohortFit[] fits = fit(responses, method.quadratic());
        final int chain = !method.sorted() ? ScalarProblem.NO_CHAIN :
            (increasing ? ScalarProblem.INCREASING : ScalarProblem.DECREASING);
        final ScalarProblem probe = ScalarProblem.of(fits, lower, upper, 0, chain);
        final double b = Double.isNaN(baseline) ? probe.uniformPerformance(1.0) : baseline;
        final double required = (1.0 - rho) * b;
        final ScalarProblem problem = ScalarProblem.of(fits, lower, upper, required, chain);
        final long start = System.nanoTime();
        final ScalarCertificate certificate;
        try
        {
            if (method == ScalarMethod.ILP)
            {
                final double[][] tested = new double[fits.length][];
                for (int i = 0; i < fits.length; i++)
                {
                    tested[i] = Arrays.stream(responses.scalars()[i])
                        .filter(v -> v >= lower && v <= upper).toArray();
                    if (tested[i].length == 0)
                    {
                        throw new ScalarInfeasibleException("ilp: cohort " + i + " has no tested scalar within [" +
                            lower + ", " + upper + "]");
                    }
                }
                certificate = new DiscreteScalarSolver(ILP_MAX_NODES).solve(fits, tested, required, chain);
            }
            else
            {
                certificate = dual.solve(problem);
            }
        }
        catch (final ScalarInfeasibleException ex)
        {
            throw new ScalarInfeasibleException("bid " + responses.bid() + " (" + method.cliName() + "): " +
                ex.getMessage());
        }
        return new BidSolution(responses.bid(), method, fits, b, certificate, System.nanoTime() - start);
    }

    /**
     * @param responses the bid's responses.
     * @param quadratic performance fitted quadratically.
     * @return one fit per cohort.
     */
    public static CohortFit[] fit(final BidResponses responses, final boolean quadratic)
    {
        final CohortFit[] fits = new CohortFit[responses.cohortCount()];
        for (int i = 0; i < fits.length; i++)
        {
            fits[i] = CohortFit.fit(i, responses.scalars()[i], responses.engagement()[i], responses.performance()[i],
                quadratic);
        }
        return fits;
    }
}
