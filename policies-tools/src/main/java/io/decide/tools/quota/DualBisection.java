package io.decide.tools.quota;

import io.decide.engine.quota.QuotaDecider;

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
 * smallest λ (to a relative tolerance) with {@code g(λ) <= 0}: the budget always holds on the solving set. The
 * bracket {@code [lo, hi]} with {@code g(lo) > 0 >= g(hi)} is kept throughout; the trial point is the Illinois
 * false-position step (g is a step function, but with many items nearly continuous, so this needs far fewer passes
 * than halving), with plain halving whenever two steps did not halve the bracket. Each evaluation is one pass over the items, O(N·K), split over {@code threads} threads by item ranges; it skips the
 * items whose option 0 is also their best at every λ (see {@code Part}). Memory beyond the input: a copy of the
 * values of the other items, made only where they are at most half of a range (so at most half the input).
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
        final Part[] parts = prepare(instance);
        int iterations = 1;
        Pass pass = evaluate(instance, parts, 0.0);
        double lambda = 0.0;
        if (pass.totalCost > capacity)
        {
            double hi = 0;
            for (final Part part : parts)
            {
                hi = Math.max(hi, part.maxRatio);
            }
            hi = hi > 0 ? hi : 1.0;
            Pass atHi = evaluate(instance, parts, hi);
            iterations++;
            while (atHi.totalCost > capacity && iterations < MAX_ITERATIONS)
            {
                hi = hi * 2 + Double.MIN_NORMAL;
                atHi = evaluate(instance, parts, hi);
                iterations++;
            }
            double lo = 0.0;
            double gLo = pass.totalCost - capacity;
            double gHi = atHi.totalCost - capacity;
            int side = 0;
            double width = hi - lo;
            boolean bisect = false;
            while (hi - lo > RELATIVE_TOLERANCE * hi && iterations < MAX_ITERATIONS)
            {
                double mid = bisect || gLo == gHi ? lo + 0.5 * (hi - lo) : hi - gHi * (hi - lo) / (gHi - gLo);
                if (!(mid > lo && mid < hi))
                {
                    mid = lo + 0.5 * (hi - lo);
                    if (mid <= lo || mid >= hi)
                    {
                        break;
                    }
                }
                final Pass atMid = evaluate(instance, parts, mid);
                iterations++;
                final double gMid = atMid.totalCost - capacity;
                if (gMid <= 0)
                {
                    hi = mid;
                    atHi = atMid;
                    gHi = gMid;
                    if (side == 1)
                    {
                        gLo *= 0.5;
                    }
                    side = 1;
                }
                else
                {
                    lo = mid;
                    gLo = gMid;
                    if (side == -1)
                    {
                        gHi *= 0.5;
                    }
                    side = -1;
                }
                // Safeguard: every second step, bisect unless the last two steps at least halved the bracket.
                if ((iterations & 1) == 0)
                {
                    bisect = hi - lo > 0.5 * width;
                    width = hi - lo;
                }
            }
            lambda = hi;
            pass = atHi;
        }
        return new Solution(lambda, pass.totalCost, capacity, pass.totalValue, pass.lagrangian + lambda * capacity,
            iterations, System.nanoTime() - start, instance.itemCount());
    }

    /**
     * A range of items prepared once per solve. An item none of whose options is worth more than option 0 takes
     * option 0 at every λ >= 0 (ties go to the lower cost), so it adds {@code c_0}, {@code v_0} and
     * {@code v_0 − λ·c_0} to every pass without being scanned. When at most half the range is left (the heavy zero
     * mass of real data), the values of the remaining items are copied into {@code compact}, contiguous, and passes
     * stream over that copy (scattered reads of the original would cost more than they save); otherwise
     * {@code compact} is null and passes scan the whole range.
     */
    private record Part(int from, int to, double[] compact, double fixedCost, double fixedValue, double maxRatio)
    {
    }

    private Part[] prepare(final QuotaInstance instance)
    {
        final int n = instance.itemCount();
        final int count = n < 4096 ? 1 : threads * 4;
        final List<Future<Part>> futures = new ArrayList<>(count);
        for (int p = 0; p < count; p++)
        {
            final int from = (int)((long)n * p / count);
            final int to = (int)((long)n * (p + 1) / count);
            futures.add(pool.submit(() -> prepareRange(instance, from, to)));
        }
        final Part[] parts = new Part[count];
        for (int p = 0; p < count; p++)
        {
            parts[p] = join(futures.get(p));
        }
        return parts;
    }

    private static Part prepareRange(final QuotaInstance instance, final int from, final int to)
    {
        final double[] values = instance.values();
        final double[] costs = instance.costs();
        final int k = instance.optionCount();
        final boolean[] fixed = new boolean[to - from];
        int activeCount = 0;
        double fixedCost = 0;
        double fixedValue = 0;
        double maxRatio = 0;
        for (int i = from, offset = from * k; i < to; i++, offset += k)
        {
            final double v0 = values[offset];
            boolean isFixed = v0 == v0;
            for (int o = 1; o < k; o++)
            {
                final double gain = values[offset + o] - v0;
                if (gain > 0 || !(gain == gain))
                {
                    isFixed = false;
                    final double extra = costs[o] - costs[0];
                    if (extra > 0 && gain > 0)
                    {
                        maxRatio = Math.max(maxRatio, gain / extra);
                    }
                }
            }
            if (isFixed)
            {
                fixed[i - from] = true;
                fixedCost += costs[0];
                fixedValue += v0;
            }
            else
            {
                activeCount++;
            }
        }
        if (2L * activeCount > to - from)
        {
            return new Part(from, to, null, 0, 0, maxRatio);
        }
        final double[] compact = new double[activeCount * k];
        int at = 0;
        for (int i = from; i < to; i++)
        {
            if (!fixed[i - from])
            {
                System.arraycopy(values, i * k, compact, at, k);
                at += k;
            }
        }
        return new Part(from, to, compact, fixedCost, fixedValue, maxRatio);
    }

    private Pass evaluate(final QuotaInstance instance, final Part[] parts, final double lambda)
    {
        if (parts.length == 1)
        {
            return partPass(instance, parts[0], lambda);
        }
        final List<Future<Pass>> futures = new ArrayList<>(parts.length);
        for (final Part part : parts)
        {
            futures.add(pool.submit(() -> partPass(instance, part, lambda)));
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

    private static Pass partPass(final QuotaInstance instance, final Part part, final double lambda)
    {
        final int k = instance.optionCount();
        if (part.compact == null)
        {
            return range(instance.values(), instance.costs(), k, lambda, part.from * k, part.to * k, 0, 0);
        }
        return range(part.compact, instance.costs(), k, lambda, 0, part.compact.length, part.fixedCost,
            part.fixedValue);
    }

    /** One pass over the items whose values lie in {@code values[fromIndex, toIndex)}, K per item. */
    private static Pass range(final double[] values, final double[] costs, final int k, final double lambda,
        final int fromIndex, final int toIndex, final double fixedCost, final double fixedValue)
    {
        double cost = fixedCost;
        double value = fixedValue;
        double lagrangian = fixedValue - lambda * fixedCost;
        for (int offset = fromIndex; offset < toIndex; offset += k)
        {
            final int best = QuotaDecider.argmax(values, offset, costs, k, lambda);
            cost += costs[best];
            value += values[offset + best];
            lagrangian += values[offset + best] - lambda * costs[best];
        }
        return new Pass(cost, value, lagrangian);
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
            return range(instance.values(), instance.costs(), instance.optionCount(), lambda, 0,
                n * instance.optionCount(), 0, 0);
        }
        final List<Future<Pass>> futures = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++)
        {
            final int from = (int)((long)n * p / parts);
            final int to = (int)((long)n * (p + 1) / parts);
            futures.add(pool.submit(() -> range(instance.values(), instance.costs(), instance.optionCount(), lambda,
                from * instance.optionCount(), to * instance.optionCount(), 0, 0)));
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
            chosen[i] = QuotaDecider.argmax(values, offset, costs, k, lambda);
        }
    }

    private static <T> T join(final Future<T> future)
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
