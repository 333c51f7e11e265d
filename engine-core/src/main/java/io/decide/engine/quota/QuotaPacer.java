package io.decide.engine.quota;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Online correction of the quota dual λ from realised spend: an offline λ goes out of date when traffic, values or
 * costs move, and this controller steers spend back onto a target spend curve, with a hard stop at the budget.
 * <p>
 * <b>Control law</b> (dual mirror descent with the entropic mirror map, i.e. multiplicative updates on λ). At most
 * once per {@code intervalNs}, the updater compares the spend rate realised since the last update with the rate
 * the plan needs from now on, and moves λ by
 * <pre>
 *   planned rate  r* = remaining budget · s'(t) / (1 − s(t))      s = cumulative target spend share, s(0)=0, s(1)=1
 *   realised rate r  = spend since the last update / time since the last update
 *   λ ← clamp(λ · exp(η · clamp(ln((r + ε) / (r* + ε)), −1, 1)), λmin, λmax)
 * </pre>
 * Spending faster than planned raises λ (cheaper options), slower lowers it. Re-planning from the remaining budget
 * makes the target self-correcting: past over- or under-spend is spread over the rest of the horizon. ε = 0.1% of
 * the average planned rate keeps the logarithm finite when nothing was spent. With a linear curve
 * {@code s(t) = t}, {@code r* = remaining budget / remaining time}.
 * <p>
 * <b>Hard stop.</b> Spend is charged through {@link #tryCharge(double)}, which adds the cost only if the total stays
 * within the budget; when it returns false the caller must serve its zero-cost option (option 0 of a quota with
 * {@code c_0 = 0}), so the budget is never exceeded.
 * <p>
 * <b>Threads.</b> Lock-free and allocation-free. Spend is a double held as bits in an {@link AtomicLong} and
 * updated by compare-and-set; λ is a volatile double. {@link #update(long)} is tried by any thread: one wins a
 * try-lock flag and updates, the others return at once (nobody waits), so decisions never block.
 */
public final class QuotaPacer
{
    /** Gain η used when none is given (the artifact's pacing gain 0 means this). */
    public static final double DEFAULT_GAIN = 0.5;

    private final double budget;
    private final long startNs;
    private final long horizonNs;
    private final long intervalNs;
    private final double gain;
    private final double minLambda;
    private final double maxLambda;
    private final double[] targetShare;
    private final double epsilonRate;

    private final AtomicLong spentBits = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicInteger updating = new AtomicInteger();
    private volatile double lambda;
    private volatile long lastUpdateNs;
    private volatile double spentAtLastUpdate;
    private volatile long updates;

    /**
     * A pacer with a linear target spend curve.
     *
     * @param budget        total spend allowed over the horizon, finite, > 0.
     * @param initialLambda starting λ (the offline solution), finite, >= 0.
     * @param startNs       start of the horizon, in the caller's clock.
     * @param horizonNs     length of the horizon, > 0.
     * @param intervalNs    least time between updates, > 0.
     * @param gain          η, finite, > 0; {@link #DEFAULT_GAIN} is a good start.
     * @param minLambda     lowest λ, finite, > 0 (so multiplicative updates can recover from it).
     * @param maxLambda     highest λ, finite, >= minLambda.
     */
    public QuotaPacer(
        final double budget,
        final double initialLambda,
        final long startNs,
        final long horizonNs,
        final long intervalNs,
        final double gain,
        final double minLambda,
        final double maxLambda)
    {
        this(budget, initialLambda, startNs, horizonNs, intervalNs, gain, minLambda, maxLambda, new double[]{0, 1});
    }

    /**
     * A pacer with a target spend curve.
     *
     * @param budget        total spend allowed over the horizon, finite, > 0.
     * @param initialLambda starting λ, finite, >= 0.
     * @param startNs       start of the horizon.
     * @param horizonNs     length of the horizon, > 0.
     * @param intervalNs    least time between updates, > 0.
     * @param gain          η, finite, > 0.
     * @param minLambda     lowest λ, finite, > 0.
     * @param maxLambda     highest λ, finite, >= minLambda.
     * @param targetShare   cumulative share of the budget to have spent at equally spaced times from the start
     *                      (first entry 0) to the end (last entry 1), non-decreasing, at least 2 entries.
     */
    public QuotaPacer(
        final double budget,
        final double initialLambda,
        final long startNs,
        final long horizonNs,
        final long intervalNs,
        final double gain,
        final double minLambda,
        final double maxLambda,
        final double[] targetShare)
    {
        if (!(budget > 0) || !Double.isFinite(budget))
        {
            throw new IllegalArgumentException("budget " + budget + ", expected finite and > 0");
        }
        if (horizonNs <= 0 || intervalNs <= 0)
        {
            throw new IllegalArgumentException("horizon and interval must be > 0 ns: " + horizonNs + ", " + intervalNs);
        }
        if (!(gain > 0) || !Double.isFinite(gain))
        {
            throw new IllegalArgumentException("gain " + gain + ", expected finite and > 0");
        }
        if (!(minLambda > 0) || !Double.isFinite(maxLambda) || maxLambda < minLambda)
        {
            throw new IllegalArgumentException("lambda bounds [" + minLambda + ", " + maxLambda + "] invalid");
        }
        if (!Double.isFinite(initialLambda) || initialLambda < 0)
        {
            throw new IllegalArgumentException("initial lambda " + initialLambda + ", expected finite and >= 0");
        }
        if (targetShare.length < 2 || targetShare[0] != 0 || targetShare[targetShare.length - 1] != 1)
        {
            throw new IllegalArgumentException("target share curve must start at 0, end at 1, have >= 2 points");
        }
        for (int i = 1; i < targetShare.length; i++)
        {
            if (!(targetShare[i] >= targetShare[i - 1]))
            {
                throw new IllegalArgumentException("target share curve must be non-decreasing (point " + i + ")");
            }
        }
        this.budget = budget;
        this.startNs = startNs;
        this.horizonNs = horizonNs;
        this.intervalNs = intervalNs;
        this.gain = gain;
        this.minLambda = minLambda;
        this.maxLambda = maxLambda;
        this.targetShare = targetShare.clone();
        this.epsilonRate = 1e-3 * budget / horizonNs;
        this.lambda = initialLambda;
        this.lastUpdateNs = startNs;
    }

    /**
     * A pacer for the λ of a QUOTA_DUAL artifact: starts at the artifact's λ, uses its pacing gain (0 means
     * {@link #DEFAULT_GAIN}), keeps λ within a factor of 1000 either side of it (within [1e-9, 1e3] when the
     * artifact's λ is 0), and follows a linear target spend curve.
     *
     * @param decider    the artifact's decider.
     * @param budget     spend allowed over the horizon, finite, > 0.
     * @param startNs    start of the horizon.
     * @param horizonNs  length of the horizon, > 0.
     * @param intervalNs least time between updates, > 0.
     * @return the pacer.
     */
    public static QuotaPacer of(
        final QuotaDecider decider, final double budget, final long startNs, final long horizonNs,
        final long intervalNs)
    {
        final double lambda = decider.lambda();
        final double gain = decider.pacingGain() > 0 ? decider.pacingGain() : DEFAULT_GAIN;
        final double min = lambda > 0 ? lambda * 1e-3 : 1e-9;
        final double max = lambda > 0 ? lambda * 1e3 : 1e3;
        return new QuotaPacer(budget, lambda, startNs, horizonNs, intervalNs, gain, min, max);
    }

    /** @return the current λ; a volatile read. */
    public double lambda()
    {
        return lambda;
    }

    /** @return spend charged so far. */
    public double spent()
    {
        return Double.longBitsToDouble(spentBits.get());
    }

    /** @return the budget. */
    public double budget()
    {
        return budget;
    }

    /** @return number of updates applied. */
    public long updates()
    {
        return updates;
    }

    /**
     * Charge the cost of a decision, unless it would take spend over the budget.
     *
     * @param cost finite cost >= 0.
     * @return true when charged; false when the budget cannot take it (serve the zero-cost option instead).
     */
    public boolean tryCharge(final double cost)
    {
        final AtomicLong bits = spentBits;
        final double limit = budget;
        while (true)
        {
            final long current = bits.get();
            final double next = Double.longBitsToDouble(current) + cost;
            if (next > limit)
            {
                return false;
            }
            if (bits.compareAndSet(current, Double.doubleToRawLongBits(next)))
            {
                return true;
            }
        }
    }

    /**
     * Update λ if an interval has passed since the last update and no other thread is updating.
     *
     * @param nowNs the caller's clock, the same clock as {@code startNs}.
     * @return true when this call changed λ.
     */
    public boolean update(final long nowNs)
    {
        final long last = lastUpdateNs;
        if (nowNs - last < intervalNs || !updating.compareAndSet(0, 1))
        {
            return false;
        }
        try
        {
            final long since = lastUpdateNs;
            final long elapsedNs = nowNs - since;
            final long endNs = startNs + horizonNs;
            if (elapsedNs < intervalNs || nowNs >= endNs)
            {
                return false;
            }
            final double spentNow = spent();
            final double realisedRate = (spentNow - spentAtLastUpdate) / elapsedNs;
            final double fraction = (double)(nowNs - startNs) / horizonNs;
            final double share = share(fraction);
            final double slope = slope(fraction);
            final double plannedRate = 1 - share > 1e-12 ?
                Math.max(0.0, budget - spentNow) * slope / ((1 - share) * horizonNs) : 0.0;
            double error = Math.log((realisedRate + epsilonRate) / (plannedRate + epsilonRate));
            error = error > 1 ? 1 : (error < -1 ? -1 : error);
            double next = Math.max(lambda, minLambda) * Math.exp(gain * error);
            next = next < minLambda ? minLambda : (next > maxLambda ? maxLambda : next);
            lambda = next;
            spentAtLastUpdate = spentNow;
            lastUpdateNs = nowNs;
            updates = updates + 1;
            return true;
        }
        finally
        {
            updating.set(0);
        }
    }

    /**
     * @param fraction elapsed share of the horizon.
     * @return the target cumulative spend share at that time.
     */
    public double share(final double fraction)
    {
        final double[] curve = targetShare;
        final int segments = curve.length - 1;
        if (fraction <= 0)
        {
            return 0;
        }
        if (fraction >= 1)
        {
            return 1;
        }
        final double at = fraction * segments;
        final int i = (int)at;
        return curve[i] + (at - i) * (curve[i + 1] - curve[i]);
    }

    private double slope(final double fraction)
    {
        final double[] curve = targetShare;
        final int segments = curve.length - 1;
        final int i = Math.min(segments - 1, Math.max(0, (int)(fraction * segments)));
        return (curve[i + 1] - curve[i]) * segments;
    }
}
