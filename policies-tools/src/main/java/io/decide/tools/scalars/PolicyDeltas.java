package io.decide.tools.scalars;

import java.util.Arrays;

/**
 * Deltas of a policy against the uniform policy x_i = 1 under given curves (the paper's (12)–(14)):
 * performance delta {@code (μ1 − μ0)/μ0}, engagement delta {@code (θ1 − θ0)/θ0}, and efficiency
 * {@code C0·(θ1 − θ0)/(μ1 − μ0)} with {@code C0 = −μ0/θ0}, i.e. engagement percent gained per performance percent
 * given up (NaN when performance does not change).
 *
 * @param performanceDelta (μ1 − μ0)/μ0.
 * @param engagementDelta  (θ1 − θ0)/θ0.
 * @param efficiency       −engagementDelta / performanceDelta.
 */
public record PolicyDeltas(double performanceDelta, double engagementDelta, double efficiency)
{
    /**
     * @param curves per-cohort curves to evaluate under.
     * @param x      the policy.
     * @return its deltas against x_i = 1.
     */
    public static PolicyDeltas of(final CohortFit[] curves, final double[] x)
    {
        double mu0 = 0;
        double mu1 = 0;
        double theta0 = 0;
        double theta1 = 0;
        for (int i = 0; i < curves.length; i++)
        {
            mu0 += curves[i].performance(1.0);
            mu1 += curves[i].performance(x[i]);
            theta0 += curves[i].engagement(1.0);
            theta1 += curves[i].engagement(x[i]);
        }
        final double dp = (mu1 - mu0) / mu0;
        final double de = (theta1 - theta0) / theta0;
        return new PolicyDeltas(dp, de, dp == 0 ? Double.NaN : -de / dp);
    }

    /**
     * @param curves per-cohort curves.
     * @param value  the uniform scalar.
     * @return deltas of the uniform policy x_i = value.
     */
    public static PolicyDeltas uniform(final CohortFit[] curves, final double value)
    {
        final double[] x = new double[curves.length];
        Arrays.fill(x, value);
        return of(curves, x);
    }
}
