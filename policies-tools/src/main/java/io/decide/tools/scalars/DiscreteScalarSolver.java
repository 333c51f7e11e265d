package io.decide.tools.scalars;

import java.util.Arrays;

/**
 * The paper's discrete baseline (ILP (9)): each cohort picks one of its tested scalars, maximising total engagement
 * subject to total performance ≥ R (and, optionally, the monotone chain), with engagement and performance taken
 * from each cohort's fit at the tested scalars. Exact depth-first branch and bound: a branch is cut when even the
 * best remaining performance cannot reach R, or when a Lagrangian bound on the engagement of any completion cannot
 * beat the incumbent. The bound, for a multiplier μ ≥ 0 and a partial assignment with engagement e and performance
 * p, is {@code e + μ(p − R) + Σ_{remaining i} max_j (E_ij + μ·P_ij)} (valid for every μ ≥ 0 by weak duality, and
 * ignoring the chain only relaxes it); it is taken at μ = 0 and at the μ minimising the whole instance's Lagrangian
 * dual (found by bisection on its subgradient). Exponential in the worst case; a node budget turns runaway
 * searches into a refusal.
 */
public final class DiscreteScalarSolver
{
    private final long maxNodes;
    private double[][] values;
    private double[][] engagement;
    private double[][] performance;
    private double[] suffixEngagement;
    private double[] suffixLagrangian;
    private double mu;
    private double[] suffixPerformance;
    private int[] choice;
    private int[] best;
    private double bestEngagement;
    private double required;
    private int chain;
    private long nodes;

    /**
     * @param maxNodes search-node budget, after which {@link #solve} refuses.
     */
    public DiscreteScalarSolver(final long maxNodes)
    {
        this.maxNodes = maxNodes;
    }

    /**
     * @param fits     per-cohort fits.
     * @param tested   per cohort, the candidate scalars.
     * @param required R.
     * @param chain    {@link ScalarProblem#NO_CHAIN}, {@link ScalarProblem#INCREASING} or
     *                 {@link ScalarProblem#DECREASING}.
     * @return the best discrete policy; the certificate's dual bound is its objective (no relaxation bound).
     * @throws ScalarInfeasibleException when no combination meets R or the node budget is exhausted.
     */
    public ScalarCertificate solve(
        final CohortFit[] fits, final double[][] tested, final double required, final int chain)
    {
        final int n = fits.length;
        values = new double[n][];
        engagement = new double[n][];
        performance = new double[n][];
        for (int i = 0; i < n; i++)
        {
            final double[] v = Arrays.stream(tested[i]).distinct().toArray();
            final Integer[] order = new Integer[v.length];
            final double[] e = new double[v.length];
            for (int j = 0; j < v.length; j++)
            {
                order[j] = j;
                e[j] = fits[i].engagement(v[j]);
            }
            Arrays.sort(order, (p, q) -> Double.compare(e[q], e[p]));
            values[i] = new double[v.length];
            engagement[i] = new double[v.length];
            performance[i] = new double[v.length];
            for (int j = 0; j < v.length; j++)
            {
                values[i][j] = v[order[j]];
                engagement[i][j] = e[order[j]];
                performance[i][j] = fits[i].performance(v[order[j]]);
            }
        }
        suffixEngagement = new double[n + 1];
        suffixPerformance = new double[n + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            double maxE = Double.NEGATIVE_INFINITY;
            double maxP = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < values[i].length; j++)
            {
                maxE = Math.max(maxE, engagement[i][j]);
                maxP = Math.max(maxP, performance[i][j]);
            }
            suffixEngagement[i] = suffixEngagement[i + 1] + maxE;
            suffixPerformance[i] = suffixPerformance[i + 1] + maxP;
        }
        this.required = required;
        this.chain = chain;
        mu = dualMultiplier(required);
        suffixLagrangian = new double[n + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < values[i].length; j++)
            {
                best = Math.max(best, engagement[i][j] + mu * performance[i][j]);
            }
            suffixLagrangian[i] = suffixLagrangian[i + 1] + best;
        }
        choice = new int[n];
        best = null;
        bestEngagement = Double.NEGATIVE_INFINITY;
        nodes = 0;
        for (int i = 0; i < n; i++)
        {
            sortByLagrangian(i);
        }
        if (chain == ScalarProblem.NO_CHAIN)
        {
            seedIncumbent();
        }
        search(0, 0.0, 0.0, Double.NaN);
        if (best == null)
        {
            throw new ScalarInfeasibleException("ilp: no combination of the tested scalars" +
                (chain == 0 ? "" : " respecting the chain") + " reaches the required performance " + required);
        }
        final double[] x = new double[n];
        double p = 0;
        double e = 0;
        for (int i = 0; i < n; i++)
        {
            x[i] = values[i][best[i]];
            e += engagement[i][best[i]];
            p += performance[i][best[i]];
        }
        return new ScalarCertificate(x, e, p, required, e, 0.0, p - required, Double.NaN, nodes);
    }

    /** Order cohort i's candidates by {@code E + μ·P}, best first, so the search meets good completions early. */
    private void sortByLagrangian(final int i)
    {
        final int m = values[i].length;
        final Integer[] order = new Integer[m];
        for (int j = 0; j < m; j++)
        {
            order[j] = j;
        }
        final double[] e = engagement[i];
        final double[] p = performance[i];
        Arrays.sort(order, (a, b) -> Double.compare(e[b] + mu * p[b], e[a] + mu * p[a]));
        final double[] v2 = new double[m];
        final double[] e2 = new double[m];
        final double[] p2 = new double[m];
        for (int j = 0; j < m; j++)
        {
            v2[j] = values[i][order[j]];
            e2[j] = e[order[j]];
            p2[j] = p[order[j]];
        }
        values[i] = v2;
        engagement[i] = e2;
        performance[i] = p2;
    }

    /** The Lagrangian maximiser at μ (first candidate of each cohort after sorting, ties to more performance). */
    private void seedIncumbent()
    {
        double e = 0;
        double p = 0;
        final int[] pick = new int[values.length];
        for (int i = 0; i < values.length; i++)
        {
            int b = 0;
            for (int j = 1; j < values[i].length; j++)
            {
                final double v = engagement[i][j] + mu * performance[i][j];
                final double w = engagement[i][b] + mu * performance[i][b];
                if (v > w || (v == w && performance[i][j] > performance[i][b]))
                {
                    b = j;
                }
            }
            pick[i] = b;
            e += engagement[i][b];
            p += performance[i][b];
        }
        if (p >= required)
        {
            best = pick;
            bestEngagement = e;
        }
    }

    /** The μ ≥ 0 minimising {@code Σ_i max_j (E_ij + μ·P_ij) − μ·R}, by bisection on its subgradient. */
    private double dualMultiplier(final double required)
    {
        if (argmaxPerformance(0) >= required)
        {
            return 0;
        }
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 200 && argmaxPerformance(hi) < required; i++)
        {
            lo = hi;
            hi *= 2;
        }
        for (int i = 0; i < 100; i++)
        {
            final double mid = 0.5 * (lo + hi);
            if (argmaxPerformance(mid) >= required)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
        return hi;
    }

    private double argmaxPerformance(final double multiplier)
    {
        double sum = 0;
        for (int i = 0; i < values.length; i++)
        {
            int best = 0;
            for (int j = 1; j < values[i].length; j++)
            {
                final double v = engagement[i][j] + multiplier * performance[i][j];
                final double b = engagement[i][best] + multiplier * performance[i][best];
                if (v > b || (v == b && performance[i][j] > performance[i][best]))
                {
                    best = j;
                }
            }
            sum += performance[i][best];
        }
        return sum;
    }

    private void search(final int i, final double e, final double p, final double previous)
    {
        if (++nodes > maxNodes)
        {
            throw new ScalarInfeasibleException("ilp: search exceeded " + maxNodes + " nodes; use fewer cohorts or " +
                "tested scalars for the discrete baseline");
        }
        if (i == values.length)
        {
            if (p >= required && e > bestEngagement)
            {
                bestEngagement = e;
                best = choice.clone();
            }
            return;
        }
        if (e + suffixEngagement[i] <= bestEngagement || p + suffixPerformance[i] < required ||
            e + mu * (p - required) + suffixLagrangian[i] <= bestEngagement)
        {
            return;
        }
        for (int j = 0; j < values[i].length; j++)
        {
            final double v = values[i][j];
            if (!Double.isNaN(previous) &&
                (chain == ScalarProblem.INCREASING ? v < previous : chain == ScalarProblem.DECREASING && v > previous))
            {
                continue;
            }
            choice[i] = j;
            search(i + 1, e + engagement[i][j], p + performance[i][j], v);
        }
    }
}
