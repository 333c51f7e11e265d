package io.decide.tools.scalars;

/**
 * Exact solver of the Opus scalar problems ({@link ScalarProblem}: lp, lp-sorted, lpqc, lpqc-sorted) by Lagrangian
 * duality on the performance constraint.
 * <p>
 * <b>Method.</b> For a multiplier {@code μ ≥ 0} the Lagrangian {@code L(x, μ) = Σ k_i x_i + μ(Σ g_i(x_i) − R)} is
 * separable with concave terms {@code h_i(x) = μ a_i x² + (k_i + μ b_i) x}. Without a chain each term is maximised on
 * [l, u] in closed form (vertex of the parabola clamped to the box, or an end for a linear term). With the chain the
 * maximiser over {@code {l ≤ x ≤ u, x monotone}} is found by pool-adjacent-violators: blocks of consecutive cohorts
 * share one value, a block's value is the maximiser over [l, u] of the block's summed term (a concave quadratic, in
 * closed form), and adjacent blocks whose values violate the order are merged. This is exact: generalised PAVA is
 * exact for separable concave maximisation (convex minimisation) under a simple chain, the box being absorbed into
 * each term as −∞ outside [l, u], which keeps every term concave (Best, Chakravarti and Padmanabhan, "Minimizing
 * separable convex functions subject to simple chain constraints", SIAM J. Optim. 10(3), 2000; Ahuja and Orlin,
 * Oper. Res. 49(5), 2001). The performance at the maximiser, {@code G(x(μ))}, is non-decreasing in μ, so μ* is found
 * by doubling then bisection until the bracket {@code [μ_lo, μ_hi]} is one rounding step wide (or 200 steps). The
 * answer is the point on the segment {@code x(μ_lo) → x(μ_hi)} with the most engagement that still meets R:
 * both ends maximise {@code L(·, μ*)} in the limit (for a linear term the maximiser is piecewise constant in μ; for a
 * strictly concave one it is continuous), so a convex combination that meets R with equality is optimal by
 * complementary slackness; for concave G the segment's performance is a concave quadratic in the weight, solved in
 * closed form and then checked.
 * <p>
 * <b>Certificate.</b> Weak duality gives the dual bound {@code min(D(0), D(μ_lo), D(μ_hi)) ≥ optimum} with
 * {@code D(μ) = F(x(μ)) + μ(G(x(μ)) − R)}; the gap is that bound minus the primal objective, and the residual is
 * {@code G(x) − R ≥ 0}. Refusals: a cohort with {@code a_i > 0} (the set {@code G ≥ R} is then not convex) and
 * instances where even the performance-maximising policy falls short of R.
 * <p>
 * Not thread-safe: one instance owns its scratch arrays; reuse it across solves to avoid allocation beyond the
 * returned certificate.
 */
public final class ScalarDualSolver
{
    private static final int MAX_BISECTIONS = 200;
    private static final int MAX_DOUBLINGS = 400;

    private double[] blockA = new double[0];
    private double[] blockB = new double[0];
    private double[] blockValue = new double[0];
    private int[] blockStart = new int[0];
    private double[] xLo = new double[0];
    private double[] xHi = new double[0];
    private double[] xMid = new double[0];

    /**
     * Solve a problem.
     *
     * @param problem the problem.
     * @return the optimal policy and its certificate.
     * @throws ScalarInfeasibleException when the problem is not convex or infeasible.
     */
    public ScalarCertificate solve(final ScalarProblem problem)
    {
        final int n = problem.size();
        check(problem);
        ensure(n);
        final double required = problem.required();

        maximise(problem, 0.0, 1.0, xHi);
        final double bestPerformance = problem.performance(xHi);
        if (bestPerformance < required - 1e-12 * Math.abs(required))
        {
            throw new ScalarInfeasibleException("infeasible: the most performance any policy within [" +
                problem.lower() + ", " + problem.upper() + "]" + (problem.chain() == 0 ? "" : " and the chain") +
                " reaches is " + bestPerformance + ", below the required " + required);
        }
        final double[] maxPerformance = xHi.clone();

        maximise(problem, 1.0, 0.0, xLo);
        final double f0 = problem.engagement(xLo);
        final double g0 = problem.performance(xLo);
        if (g0 >= required)
        {
            return new ScalarCertificate(xLo.clone(), f0, g0, required, f0, 0.0, g0 - required, 0.0, 0);
        }
        double dualBound = f0;

        double muLo = 0;
        double muHi = 1;
        long steps = 0;
        boolean bracketed = false;
        for (int i = 0; i < MAX_DOUBLINGS; i++)
        {
            steps++;
            maximise(problem, 1.0, muHi, xHi);
            final double g = problem.performance(xHi);
            dualBound = Math.min(dualBound, problem.engagement(xHi) + muHi * (g - required));
            if (g >= required)
            {
                bracketed = true;
                break;
            }
            muLo = muHi;
            System.arraycopy(xHi, 0, xLo, 0, n);
            muHi *= 2;
        }
        if (!bracketed)
        {
            System.arraycopy(maxPerformance, 0, xHi, 0, n);
        }
        else
        {
            dualBound = Math.min(dualBound, problem.engagement(xLo) + muLo * (problem.performance(xLo) - required));
            for (int i = 0; i < MAX_BISECTIONS; i++)
            {
                final double mid = 0.5 * (muLo + muHi);
                if (mid <= muLo || mid >= muHi)
                {
                    break;
                }
                steps++;
                maximise(problem, 1.0, mid, xMid);
                final double g = problem.performance(xMid);
                dualBound = Math.min(dualBound, problem.engagement(xMid) + mid * (g - required));
                if (g >= required)
                {
                    muHi = mid;
                    System.arraycopy(xMid, 0, xHi, 0, n);
                }
                else
                {
                    muLo = mid;
                    System.arraycopy(xMid, 0, xLo, 0, n);
                }
            }
        }
        final double[] x = combine(problem, xLo, xHi, required);
        final double objective = problem.engagement(x);
        final double performance = problem.performance(x);
        return new ScalarCertificate(x, objective, performance, required, dualBound, dualBound - objective,
            performance - required, muHi, steps);
    }

    private static void check(final ScalarProblem problem)
    {
        final double l = problem.lower();
        final double u = problem.upper();
        if (!Double.isFinite(l) || !Double.isFinite(u) || l > u)
        {
            throw new ScalarInfeasibleException("bounds [" + l + ", " + u + "] must be finite with lower <= upper");
        }
        if (!Double.isFinite(problem.required()))
        {
            throw new ScalarInfeasibleException("required performance " + problem.required() + " is not finite");
        }
        for (int i = 0; i < problem.size(); i++)
        {
            if (!Double.isFinite(problem.k()[i]) || !Double.isFinite(problem.a()[i]) ||
                !Double.isFinite(problem.b()[i]) || !Double.isFinite(problem.c()[i]) ||
                !Double.isFinite(problem.d()[i]))
            {
                throw new ScalarInfeasibleException("cohort " + i + ": a fit coefficient is not finite");
            }
            if (problem.a()[i] > 0)
            {
                throw new ScalarInfeasibleException("not convex: cohort " + i + " has performance curvature a = " +
                    problem.a()[i] + " > 0, so {performance >= required} is not a convex set; use a linear fit " +
                    "(lp, lp-sorted) or more data for this cohort");
            }
        }
    }

    /**
     * The policy on the segment {@code lo → hi} (weight θ on lo) with the largest θ whose performance is ≥ R. hi
     * meets R; lo does not and has at least hi's engagement, so the largest feasible θ is the best point.
     */
    private static double[] combine(
        final ScalarProblem problem, final double[] lo, final double[] hi, final double required)
    {
        final int n = lo.length;
        double q2 = 0;
        double q1 = 0;
        for (int i = 0; i < n; i++)
        {
            final double delta = lo[i] - hi[i];
            q2 += problem.a()[i] * delta * delta;
            q1 += (2 * problem.a()[i] * hi[i] + problem.b()[i]) * delta;
        }
        final double q0 = problem.performance(hi) - required;
        double theta;
        if (q2 < 0)
        {
            final double disc = Math.max(0.0, q1 * q1 - 4 * q2 * q0);
            theta = (-q1 - Math.sqrt(disc)) / (2 * q2);
        }
        else
        {
            theta = q1 < 0 ? q0 / -q1 : 1.0;
        }
        theta = Math.max(0.0, Math.min(1.0, theta));
        final double[] x = new double[n];
        mix(lo, hi, theta, x, problem.lower(), problem.upper());
        if (problem.performance(x) >= required)
        {
            return x;
        }
        double feasible = 0;
        double infeasible = theta;
        for (int i = 0; i < 80 && infeasible - feasible > 0; i++)
        {
            final double mid = 0.5 * (feasible + infeasible);
            if (mid <= feasible || mid >= infeasible)
            {
                break;
            }
            mix(lo, hi, mid, x, problem.lower(), problem.upper());
            if (problem.performance(x) >= required)
            {
                feasible = mid;
            }
            else
            {
                infeasible = mid;
            }
        }
        mix(lo, hi, feasible, x, problem.lower(), problem.upper());
        return x;
    }

    /** Computed as {@code (1−θ)·hi + θ·lo}: rounding is monotone, so two monotone vectors mix to a monotone one. */
    private static void mix(
        final double[] lo, final double[] hi, final double theta, final double[] out, final double l, final double u)
    {
        for (int i = 0; i < out.length; i++)
        {
            final double v = (1.0 - theta) * hi[i] + theta * lo[i];
            out[i] = v < l ? l : (v > u ? u : v);
        }
    }

    /**
     * Maximise {@code Σ [wF·k_i x_i + wG·(a_i x_i² + b_i x_i)]} over the box (and the chain) into {@code out}.
     */
    void maximise(final ScalarProblem problem, final double wF, final double wG, final double[] out)
    {
        final double[] k = problem.k();
        final double[] a = problem.a();
        final double[] b = problem.b();
        final double l = problem.lower();
        final double u = problem.upper();
        final int n = k.length;
        final int chain = problem.chain();
        if (chain == ScalarProblem.NO_CHAIN)
        {
            for (int i = 0; i < n; i++)
            {
                out[i] = argmax(wG * a[i], wF * k[i] + wG * b[i], l, u);
            }
            return;
        }
        final double[] bA = blockA;
        final double[] bB = blockB;
        final double[] bV = blockValue;
        final int[] bS = blockStart;
        int top = -1;
        for (int j = 0; j < n; j++)
        {
            final int i = chain == ScalarProblem.INCREASING ? j : n - 1 - j;
            top++;
            bA[top] = wG * a[i];
            bB[top] = wF * k[i] + wG * b[i];
            bS[top] = j;
            bV[top] = argmax(bA[top], bB[top], l, u);
            while (top > 0 && bV[top - 1] > bV[top])
            {
                bA[top - 1] += bA[top];
                bB[top - 1] += bB[top];
                top--;
                bV[top] = argmax(bA[top], bB[top], l, u);
            }
        }
        for (int block = 0; block <= top; block++)
        {
            final int end = block < top ? bS[block + 1] : n;
            final double v = bV[block];
            for (int j = bS[block]; j < end; j++)
            {
                out[chain == ScalarProblem.INCREASING ? j : n - 1 - j] = v;
            }
        }
    }

    /** Maximiser over [l, u] of {@code A x² + B x} with {@code A ≤ 0}; a flat term takes l. */
    static double argmax(final double a, final double b, final double l, final double u)
    {
        if (a < 0)
        {
            final double v = -b / (2 * a);
            return v < l ? l : (v > u ? u : v);
        }
        return b > 0 ? u : l;
    }

    private void ensure(final int n)
    {
        if (blockA.length != n)
        {
            blockA = new double[n];
            blockB = new double[n];
            blockValue = new double[n];
            blockStart = new int[n];
            xLo = new double[n];
            xHi = new double[n];
            xMid = new double[n];
        }
    }
}
