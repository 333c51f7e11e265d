package io.decide.tools.scalars;

import java.util.ArrayList;
import java.util.List;

/**
 * Trade-off curves of one bid (the paper's Figures 6 and 7): for each method and each ρ of a sweep, the solved
 * policy's deltas against the uniform policy x = 1 ({@link PolicyDeltas}); the uniform policy's own curve over
 * uniform scalars in [l, u]; and two operating points per method: the most performance at neutral engagement
 * (engagement delta 0, interpolated linearly between the adjacent sweep points where it changes sign) and the most
 * engagement at neutral performance (the solve at ρ = 0). Every policy is evaluated under the quadratic fit of the
 * same responses, the most faithful model available, so the methods are compared on one scale.
 */
public final class TradeoffCurve
{
    /**
     * One point.
     *
     * @param series  method name, or {@code uniform}, or {@code neutral-engagement:M} / {@code neutral-performance:M}.
     * @param rho     ρ (NaN for the uniform curve).
     * @param scalar  the uniform scalar (NaN for solved policies).
     * @param deltas  deltas against x = 1.
     */
    public record Point(String series, double rho, double scalar, PolicyDeltas deltas)
    {
    }

    private TradeoffCurve()
    {
    }

    /**
     * @param responses  the bid's responses (3 distinct scalars per cohort).
     * @param methods    methods to sweep (not ilp).
     * @param rhoFrom    first ρ (may be negative: a performance gain is required).
     * @param rhoTo      last ρ.
     * @param steps      number of ρ values, >= 2.
     * @param lower      l.
     * @param upper      u.
     * @param increasing chain direction for -sorted methods.
     * @return the points; infeasible ρ are skipped.
     */
    public static List<Point> compute(
        final BidResponses responses, final List<ScalarMethod> methods, final double rhoFrom, final double rhoTo,
        final int steps, final double lower, final double upper, final boolean increasing)
    {
        final CohortFit[] evaluation = ScalarPolicySolver.fit(responses, true);
        final ScalarPolicySolver solver = new ScalarPolicySolver();
        final List<Point> points = new ArrayList<>();
        for (int j = 0; j <= 60; j++)
        {
            final double value = lower + (upper - lower) * j / 60;
            points.add(new Point("uniform", Double.NaN, value, PolicyDeltas.uniform(evaluation, value)));
        }
        for (final ScalarMethod method : methods)
        {
            final List<Point> sweep = new ArrayList<>();
            for (int s = 0; s < steps; s++)
            {
                final double rho = rhoFrom + (rhoTo - rhoFrom) * s / (steps - 1);
                final PolicyDeltas d = solve(solver, responses, method, rho, lower, upper, increasing, evaluation);
                if (d != null)
                {
                    sweep.add(new Point(method.cliName(), rho, Double.NaN, d));
                }
            }
            points.addAll(sweep);
            for (int s = 1; s < sweep.size(); s++)
            {
                final PolicyDeltas a = sweep.get(s - 1).deltas();
                final PolicyDeltas b = sweep.get(s).deltas();
                if ((a.engagementDelta() <= 0) != (b.engagementDelta() <= 0))
                {
                    final double t = a.engagementDelta() / (a.engagementDelta() - b.engagementDelta());
                    final double rho = sweep.get(s - 1).rho() + t * (sweep.get(s).rho() - sweep.get(s - 1).rho());
                    final double dp = a.performanceDelta() + t * (b.performanceDelta() - a.performanceDelta());
                    points.add(new Point("neutral-engagement:" + method.cliName(), rho, Double.NaN,
                        new PolicyDeltas(dp, 0.0, Double.NaN)));
                    break;
                }
            }
            final PolicyDeltas neutral = solve(solver, responses, method, 0.0, lower, upper, increasing, evaluation);
            if (neutral != null)
            {
                points.add(new Point("neutral-performance:" + method.cliName(), 0.0, Double.NaN, neutral));
            }
        }
        return points;
    }

    private static PolicyDeltas solve(
        final ScalarPolicySolver solver, final BidResponses responses, final ScalarMethod method, final double rho,
        final double lower, final double upper, final boolean increasing, final CohortFit[] evaluation)
    {
        try
        {
            final BidSolution solution = solver.solve(responses, method, rho, Double.NaN, lower, upper, increasing);
            return PolicyDeltas.of(evaluation, solution.certificate().x());
        }
        catch (final ScalarInfeasibleException ex)
        {
            return null;
        }
    }
}
