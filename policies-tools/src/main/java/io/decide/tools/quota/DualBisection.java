package io.decide.tools.quota;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ACQ dual-bisection solver ("DBSSolver") for the multiple-choice knapsack
 * {@code max Σ_i v_i,k(i)  s.t.  Σ_i c_k(i) <= C}.
 * <p>
 * For a dual λ every item takes {@code k*(λ) = argmax_k (v_ik − λ·c_k)}, ties to the lower cost (the rule of the
 * engine's {@code QuotaDecider}). {@code g(λ) = Σ_i c_k*(λ) − C} is non-increasing in λ, so bisection finds the
 * smallest λ (to a relative tolerance) with {@code g(λ) <= 0}: the budget always holds on the solving set. Each
 * evaluation is one pass over the items, O(N·K), split over {@code threads} threads by item ranges; memory beyond
 * the input is the per-item choice of the final pass.
 * <p>
 * Certificate: for any λ >= 0 the Lagrangian {@code L(λ) = Σ_i max_k (v_ik − λ·c_k) + λ·C} bounds the LP relaxation
 * and so every integral assignment from above. The reported gap is {@code L(λ) − primal = λ·(C − Σ cost) >= 0}.
 * With non-negative values and no two items tied at the final breakpoint, the gap is below the value gained by
 * the one item that flips there, so at most {@code max_i max_k v_ik}.
 */
public final class DualBisection implements AutoCloseable
{
    /** Bisection stops when {@code hi − lo <= RELATIVE_TOLERANCE · hi}. */
    public static final double RELATIVE_TOLERANCE = 1e-10;
    /** Upper bound on iterations (a safeguard; the tolerance is reached in about 35). */
    public static final int MAX_ITERATIONS = 200;

    private final int threads;
    private final ExecutorService pool;

    /**
     * @param threads worker threads, >= 1.
     */
    public DualBisection(final int threads)
    {
        if (threads < 1)
        {
            throw new IllegalArgumentException("threads " + threads + ", expected >= 1");
        }
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r ->
        {
            final Thread t = new Thread(r, "dual-bisection");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The result of a solve.
     *
     * @param lambda     the smallest λ found with Σ cost <= C.
     * @param totalCost  Σ_i c_k*(λ).
     * @param capacity   C.
     * @param totalValue primal value Σ_i v_i,k*(λ).
     * @param dualBound  L(λ) = Σ_i max_k (v_ik − λ·c_k) + λ·C.
     * @param iterations g evaluations during bisection.
     * @param timeNs     wall time of the solve.
     * @param items      N.
     */
    public record Solution(
        double lambda, double totalCost, double capacity, double totalValue, double dualBound, int iterations,
        long timeNs, int items)
    {
        /** @return dualBound − totalValue. */
        public double gap()
        {
            return dualBound - totalValue;
        }
    }

    /**
     * One pass at a given λ.
     *
     * @param totalCost  Σ cost of the choices.
     * @param totalValue Σ value of the choices.
     * @param lagrangian Σ max_k (v − λ·c).
     */
    public record Pass(double totalCost, double totalValue, double lagrangian)
    {
    }

    /**
     * Solve.
     *
     * @param instance the items.
     * @param capacity C, finite.
     * @return the solution.
     * @throws IllegalArgumentException when even the cheapest option of every item exceeds the capacity.
     */
    public Solution solve(final QuotaInstance instance, final double capacity)
    {
        final long start = System.nanoTime();
        if (!Double.isFinite(capacity))
        {
            throw new IllegalArgumentException("capacity " + capacity + ", expected finite");
        }
        final double floor = (double)instance.itemCount() * instance.costs()[0];
        if (floor > capacity)
        {
            throw new IllegalArgumentException("infeasible: every item taking its cheapest option costs " + floor +
                " > capacity " + capacity);
        }
        int iterations = 1;
        Pass pass = evaluate(instance, 0.0);
        double lambda = 0.0;
        if (pass.totalCost > capacity)
        {
            double hi = upperLambda(instance);
            Pass atHi = evaluate(instance, hi);
            iterations++;
            while (atHi.totalCost > capacity && iterations < MAX_ITERATIONS)
            {
                hi = hi * 2 + Double.MIN_NORMAL;
                atHi = evaluate(instance, hi);
                iterations++;
            }
            double lo = 0.0;
            while (hi - lo > RELATIVE_TOLERANCE * hi && iterations < MAX_ITERATIONS)
            {
                final double mid = lo + 0.5 * (hi - lo);
                if (mid <= lo || mid >= hi)
                {
                    break;
                }
                final Pass atMid = evaluate(instance, mid);
                iterations++;
                if (atMid.totalCost <= capacity)
                {
                    hi = mid;
                    atHi = atMid;
                }
                else
                {
                    lo = mid;
                }
            }
            lambda = hi;
            pass = atHi;
        }
        return new Solution(lambda, pass.totalCost, capacity, pass.totalValue, pass.lagrangian + lambda * capacity,
            iterations, System.nanoTime() - start, instance.itemCount());
    }

    /**
     * {@code g(λ) + C}, the value and the Lagrangian sum at λ, in parallel.
     *
     * @param instance the items.
     * @param lambda   λ >= 0.
     * @return the pass.
     */
    public Pass evaluate(final QuotaInstance instance, final double lambda)
    {
        final int n = instance.itemCount();
        final int parts = n < 4096 ? 1 : threads * 4;
        if (parts == 1)
        {
            return range(instance, lambda, 0, n);
        }
        final List<Future<Pass>> futures = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++)
        {
            final int from = (int)((long)n * p / parts);
            final int to = (int)((long)n * (p + 1) / parts);
            futures.add(pool.submit(() -> range(instance, lambda, from, to)));
        }
        double cost = 0;
        double value = 0;
        double lagrangian = 0;
        for (final Future<Pass> future : futures)
        {
            final Pass part = join(future);
            cost += part.totalCost;
            value += part.totalValue;
            lagrangian += part.lagrangian;
        }
        return new Pass(cost, value, lagrangian);
    }

    /**
     * The choices at λ, into a caller array.
     *
     * @param instance the items.
     * @param lambda   λ.
     * @param chosen   N option indices.
     */
    public static void assign(final QuotaInstance instance, final double lambda, final int[] chosen)
    {
        final double[] values = instance.values();
        final double[] costs = instance.costs();
        final int k = instance.optionCount();
        for (int i = 0, offset = 0; i < instance.itemCount(); i++, offset += k)
        {
            chosen[i] = argmax(values, offset, costs, k, lambda);
        }
    }

    /**
     * k* of one item: the first option (lowest cost) with the highest {@code v − λ·c}; NaN scores never win.
     *
     * @param values values array.
     * @param offset index of the item's option 0.
     * @param costs  costs.
     * @param k      options.
     * @param lambda λ.
     * @return the option index.
     */
    public static int argmax(final double[] values, final int offset, final double[] costs, final int k,
        final double lambda)
    {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int o = 0; o < k; o++)
        {
            final double score = values[offset + o] - lambda * costs[o];
            if (score > bestScore)
            {
                bestScore = score;
                best = o;
            }
        }
        return best;
    }

    private static Pass range(final QuotaInstance instance, final double lambda, final int from, final int to)
    {
        final double[] values = instance.values();
        final double[] costs = instance.costs();
        final int k = instance.optionCount();
        double cost = 0;
        double value = 0;
        double lagrangian = 0;
        for (int i = from, offset = from * k; i < to; i++, offset += k)
        {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < k; o++)
            {
                final double score = values[offset + o] - lambda * costs[o];
                if (score > bestScore)
                {
                    bestScore = score;
                    best = o;
                }
            }
            cost += costs[best];
            value += values[offset + best];
            lagrangian += bestScore;
        }
        return new Pass(cost, value, lagrangian);
    }

    /** A λ at which every item prefers its cheapest option: the largest value gain per unit of extra cost. */
    private static double upperLambda(final QuotaInstance instance)
    {
        final double[] values = instance.values();
        final double[] costs = instance.costs();
        final int k = instance.optionCount();
        double max = 0;
        for (int i = 0, offset = 0; i < instance.itemCount(); i++, offset += k)
        {
            for (int o = 1; o < k; o++)
            {
                final double extra = costs[o] - costs[0];
                if (extra > 0)
                {
                    max = Math.max(max, (values[offset + o] - values[offset]) / extra);
                }
            }
        }
        return max > 0 ? max : 1.0;
    }

    private static Pass join(final Future<Pass> future)
    {
        try
        {
            return future.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(ex.getCause());
        }
    }

    @Override
    public void close()
    {
        pool.shutdownNow();
    }
}
