package io.decide.tools.scalars;

/**
 * One bid solved by one method.
 *
 * @param bid         quality bid id.
 * @param method      the method.
 * @param fits        per-cohort fits used.
 * @param baseline    B, the baseline performance.
 * @param certificate the policy and its certificate.
 * @param solveNanos  wall time of the solve (fits excluded).
 */
public record BidSolution(
    int bid, ScalarMethod method, CohortFit[] fits, double baseline, ScalarCertificate certificate, long solveNanos)
{
}
