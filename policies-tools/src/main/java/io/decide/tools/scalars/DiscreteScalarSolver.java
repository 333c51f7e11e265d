package io.decide.tools.scalars;

import java.util.Arrays;

/**
 * The paper's discrete baseline (ILP (9)): each cohort picks one of its tested scalars, maximising total engagement
 * subject to total performance ≥ R (and, optionally, the monotone chain), with engagement and performance taken
 * from each cohort's fit at the tested scalars. Exact depth-first branch and bound: a branch is cut when even the
 * best remaining engagement cannot beat the incumbent, or when even the best remaining performance cannot reach R.
 * Exponential in the worst case; a node budget turns runaway searches into a refusal.
 */
public final class DiscreteScalarSolver
{
    private final long maxNodes;
    private double[][] values;
    private double[][] engagement;
    private double[][] performance;
    private double[] suffixEngagement;
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
        choice = new int[n];
        best = null;
        bestEngagement = Double.NEGATIVE_INFINITY;
        nodes = 0;
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
        if (e + suffixEngagement[i] <= bestEngagement || p + suffixPerformance[i] < required)
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
