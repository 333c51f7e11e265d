package io.decide.tools.scalars;

/**
 * A solved policy and the evidence that it is optimal.
 *
 * @param x           the scalars, one per cohort.
 * @param objective   primal value {@code Σ (k_i x_i + d_i)}.
 * @param performance {@code Σ (a_i x_i² + b_i x_i + c_i)}.
 * @param required    R.
 * @param dualBound   an upper bound on the optimum: {@code min_μ D(μ)} over the multipliers evaluated, where
 *                    {@code D(μ) = max_x [F(x) + μ(G(x) − R)]}; for the ILP the same bound is not computed and this
 *                    is the objective.
 * @param gap         {@code dualBound − objective} (≥ 0 up to rounding).
 * @param residual    {@code performance − required} (≥ 0: feasible).
 * @param multiplier  the multiplier μ at the solution.
 * @param iterations  bisection steps (or search nodes for the ILP).
 */
public record ScalarCertificate(
    double[] x, double objective, double performance, double required, double dualBound, double gap,
    double residual, double multiplier, long iterations)
{
}
