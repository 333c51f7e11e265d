package io.decide.tools.ope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Estimates the value of an evaluation policy π_e from {@link BanditFeedback} with the Open Bandit Pipeline's
 * estimators ({@link OpeEstimator}), each with a confidence interval: a percentile bootstrap over rows
 * (deterministic for a seed, whatever the thread count) or, without bootstrap, a normal interval from the
 * estimator's per-row influence terms. Formulas: {@code docs/OPE.md}.
 * <p>
 * Every estimator is a function of nine sums over rows of per-row terms (see {@link Sums}), so one pass serves all
 * estimators and a bootstrap replicate is one pass over n drawn row indices.
 */
public final class OffPolicyEvaluator
{
    /** Default Switch-DR threshold τ on the importance weight. */
    public static final double DEFAULT_SWITCH_TAU = 100;
    /** Default DR-OS shrinkage λ. */
    public static final double DEFAULT_DROS_LAMBDA = 100;

    private final double clip;
    private final double switchTau;
    private final double drosLambda;

    /**
     * @param clip       IPW and DR clip importance weights at this value (+∞: no clipping).
     * @param switchTau  Switch-DR keeps the weighted residual where w ≤ τ.
     * @param drosLambda DR-OS shrinkage λ ≥ 0 (+∞: plain DR weights, 0: DM).
     */
    public OffPolicyEvaluator(final double clip, final double switchTau, final double drosLambda)
    {
        if (!(clip > 0) || Double.isNaN(clip))
        {
            throw new IllegalArgumentException("clip must be > 0: " + clip);
        }
        if (!(switchTau >= 0) || !(drosLambda >= 0))
        {
            throw new IllegalArgumentException("switch tau and dros lambda must be >= 0");
        }
        this.clip = clip;
        this.switchTau = switchTau;
        this.drosLambda = drosLambda;
    }

    /** @return an evaluator with no clipping and the default τ and λ. */
    public static OffPolicyEvaluator defaults()
    {
        return new OffPolicyEvaluator(Double.POSITIVE_INFINITY, DEFAULT_SWITCH_TAU, DEFAULT_DROS_LAMBDA);
    }

    /**
     * One estimator's value and interval.
     *
     * @param value the estimate (NaN when undefined, e.g. SNIPW with all weights 0).
     * @param low   lower end of the interval.
     * @param high  upper end.
     */
    public record Estimate(double value, double low, double high)
    {
    }

    /**
     * Weight diagnostics.
     *
     * @param rows              n.
     * @param effectiveSampleSize (Σ w)² / Σ w² of the unclipped weights w_i = π_e(a_i | x_i) / p_i.
     * @param maxWeight         the largest unclipped weight.
     * @param meanWeight        Σ w / n (1 in expectation when π_e is supported by π_0).
     * @param clippedRows       rows whose weight exceeds the clip.
     */
    public record Diagnostics(int rows, double effectiveSampleSize, double maxWeight, double meanWeight,
        int clippedRows)
    {
    }

    /**
     * Everything estimated.
     *
     * @param estimates   per requested estimator, in request order.
     * @param diagnostics weight diagnostics.
     * @param ciMethod    "bootstrap-percentile" or "normal".
     * @param level       confidence level.
     */
    public record Report(Map<OpeEstimator, Estimate> estimates, Diagnostics diagnostics, String ciMethod,
        double level)
    {
    }

    /**
     * @param feedback the data.
     * @param estimator one estimator.
     * @return its point estimate.
     */
    public double estimate(final BanditFeedback feedback, final OpeEstimator estimator)
    {
        requireModel(feedback, List.of(estimator));
        final Sums sums = new Sums();
        final int n = feedback.rows();
        for (int i = 0; i < n; i++)
        {
            sums.add(feedback, i);
        }
        return sums.value(estimator);
    }

    /**
     * Estimate with intervals.
     *
     * @param feedback   the data.
     * @param estimators which, in output order.
     * @param bootstrap  replicates B; 0 for normal intervals.
     * @param seed       bootstrap seed.
     * @param level      confidence level in (0, 1), e.g. 0.95.
     * @param threads    threads for the bootstrap (the result does not depend on it).
     * @return the report.
     */
    public Report evaluate(final BanditFeedback feedback, final List<OpeEstimator> estimators, final int bootstrap,
        final long seed, final double level, final int threads)
    {
        if (!(level > 0 && level < 1))
        {
            throw new IllegalArgumentException("confidence level must be in (0, 1): " + level);
        }
        if (bootstrap < 0 || threads < 1)
        {
            throw new IllegalArgumentException("bootstrap must be >= 0 and threads >= 1");
        }
        requireModel(feedback, estimators);
        final int n = feedback.rows();
        final Sums total = new Sums();
        double sumSquaredWeights = 0;
        double maxWeight = 0;
        int clipped = 0;
        final double[] target = feedback.targets();
        final double[] pscore = feedback.log().pscores();
        for (int i = 0; i < n; i++)
        {
            total.add(feedback, i);
            final double w = target[i] / pscore[i];
            sumSquaredWeights += w * w;
            maxWeight = Math.max(maxWeight, w);
            if (w > clip)
            {
                clipped++;
            }
        }
        final double sumWeights = total.s[Sums.W];
        final Diagnostics diagnostics = new Diagnostics(n,
            sumSquaredWeights > 0 ? sumWeights * sumWeights / sumSquaredWeights : 0, maxWeight, sumWeights / n,
            clipped);
        final Map<OpeEstimator, Estimate> result = new EnumMap<>(OpeEstimator.class);
        final Map<OpeEstimator, Estimate> ordered = new java.util.LinkedHashMap<>();
        if (bootstrap == 0)
        {
            final double z = Normal.quantile(0.5 + level / 2);
            for (final OpeEstimator e : estimators)
            {
                final double value = total.value(e);
                final double se = standardError(feedback, e, total);
                result.put(e, new Estimate(value, value - z * se, value + z * se));
            }
        }
        else
        {
            final double[][] replicates = bootstrap(feedback, estimators, bootstrap, seed, threads);
            for (int j = 0; j < estimators.size(); j++)
            {
                final double[] values = replicates[j];
                Arrays.sort(values);
                result.put(estimators.get(j), new Estimate(total.value(estimators.get(j)),
                    percentile(values, (1 - level) / 2), percentile(values, (1 + level) / 2)));
            }
        }
        for (final OpeEstimator e : estimators)
        {
            ordered.put(e, result.get(e));
        }
        return new Report(ordered, diagnostics, bootstrap == 0 ? "normal" : "bootstrap-percentile", level);
    }

    /**
     * Bootstrap replicates: replicate b draws n row indices uniformly with replacement from its own generator,
     * the b-th split of {@code new SplittableRandom(seed)}, so the values depend on the seed only.
     *
     * @return [estimator][replicate] values (unsorted).
     */
    double[][] bootstrap(final BanditFeedback feedback, final List<OpeEstimator> estimators, final int replicates,
        final long seed, final int threads)
    {
        final SplittableRandom root = new SplittableRandom(seed);
        final SplittableRandom[] streams = new SplittableRandom[replicates];
        for (int b = 0; b < replicates; b++)
        {
            streams[b] = root.split();
        }
        final double[][] values = new double[estimators.size()][replicates];
        final int n = feedback.rows();
        final Runnable[] work = new Runnable[replicates];
        for (int b = 0; b < replicates; b++)
        {
            final int replicate = b;
            work[b] = () ->
            {
                final SplittableRandom random = streams[replicate];
                final Sums sums = new Sums();
                for (int j = 0; j < n; j++)
                {
                    sums.add(feedback, random.nextInt(n));
                }
                for (int e = 0; e < estimators.size(); e++)
                {
                    values[e][replicate] = sums.value(estimators.get(e));
                }
            };
        }
        if (threads == 1)
        {
            for (final Runnable r : work)
            {
                r.run();
            }
        }
        else
        {
            final java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
            try
            {
                pool.submit(() -> IntStream.range(0, replicates).parallel().forEach(b -> work[b].run())).join();
            }
            finally
            {
                pool.shutdown();
            }
        }
        return values;
    }

    /**
     * The percentile of sorted values with linear interpolation between order statistics (position q·(B-1)), as
     * numpy's default.
     *
     * @param sorted ascending values.
     * @param q      in [0, 1].
     * @return the percentile.
     */
    static double percentile(final double[] sorted, final double q)
    {
        final double position = q * (sorted.length - 1);
        final int lo = (int)Math.floor(position);
        final int hi = Math.min(sorted.length - 1, lo + 1);
        final double fraction = position - lo;
        return sorted[lo] + fraction * (sorted[hi] - sorted[lo]);
    }

    /** Standard error from the estimator's per-row influence terms: sd(ψ) / √n. */
    private double standardError(final BanditFeedback feedback, final OpeEstimator e, final Sums total)
    {
        final int n = feedback.rows();
        if (n < 2)
        {
            return Double.NaN;
        }
        final double value = total.value(e);
        final double meanWeight = total.s[Sums.W] / n;
        final double snipwTheta = total.s[Sums.WR] / total.s[Sums.W];
        final double sndrTheta = total.s[Sums.WRES] / total.s[Sums.W];
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < n; i++)
        {
            final double psi;
            switch (e)
            {
                case SNIPW:
                {
                    final double w = weight(feedback, i);
                    psi = (w * feedback.log().reward(i) - snipwTheta * w) / meanWeight;
                    break;
                }
                case SNDR:
                {
                    final double w = weight(feedback, i);
                    psi = feedback.modelExpected(i) + (w * residual(feedback, i) - sndrTheta * w) / meanWeight;
                    break;
                }
                default:
                    psi = term(feedback, i, e);
                    break;
            }
            sum += psi;
            sumSquares += psi * psi;
        }
        final double mean = sum / n;
        final double variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
        return Double.isNaN(value) ? Double.NaN : Math.sqrt(variance / n);
    }

    private static double weight(final BanditFeedback feedback, final int i)
    {
        return feedback.target(i) / feedback.log().pscore(i);
    }

    private static double residual(final BanditFeedback feedback, final int i)
    {
        return feedback.log().reward(i) - feedback.modelAtAction(i);
    }

    /** The per-row term whose mean is a mean-type estimator. */
    private double term(final BanditFeedback feedback, final int i, final OpeEstimator e)
    {
        final double w = weight(feedback, i);
        switch (e)
        {
            case DM: return feedback.modelExpected(i);
            case IPW: return Math.min(w, clip) * feedback.log().reward(i);
            case DR: return feedback.modelExpected(i) + Math.min(w, clip) * residual(feedback, i);
            case SWITCH_DR: return feedback.modelExpected(i) + (w <= switchTau ? w * residual(feedback, i) : 0);
            case DROS: return feedback.modelExpected(i) + shrink(w) * residual(feedback, i);
            default: throw new IllegalArgumentException(e + " is not a mean of per-row terms");
        }
    }

    /** DR-OS shrinkage λ w / (w² + λ); w itself when λ is infinite. */
    private double shrink(final double w)
    {
        if (drosLambda == Double.POSITIVE_INFINITY)
        {
            return w;
        }
        final double denominator = w * w + drosLambda;
        return denominator == 0 ? 0 : drosLambda * w / denominator;
    }

    private static void requireModel(final BanditFeedback feedback, final List<OpeEstimator> estimators)
    {
        if (feedback.hasRewardModel())
        {
            return;
        }
        final List<String> need = new ArrayList<>();
        for (final OpeEstimator e : estimators)
        {
            if (e.needsRewardModel())
            {
                need.add(e.cliName());
            }
        }
        if (!need.isEmpty())
        {
            throw new IllegalArgumentException(String.join(", ", need) + " need estimated rewards q̂");
        }
    }

    /** Sums over rows (with multiplicity) from which every estimator's value follows. */
    private final class Sums
    {
        static final int COUNT = 0;
        static final int IPW = 1;
        static final int WR = 2;
        static final int W = 3;
        static final int DM = 4;
        static final int DR = 5;
        static final int WRES = 6;
        static final int SWITCH = 7;
        static final int DROS = 8;

        final double[] s = new double[9];

        void add(final BanditFeedback feedback, final int i)
        {
            final double r = feedback.log().reward(i);
            final double w = feedback.target(i) / feedback.log().pscore(i);
            final double clipped = Math.min(w, clip);
            s[COUNT] += 1;
            s[IPW] += clipped * r;
            s[WR] += w * r;
            s[W] += w;
            if (feedback.hasRewardModel())
            {
                final double dm = feedback.modelExpected(i);
                final double residual = r - feedback.modelAtAction(i);
                s[DM] += dm;
                s[DR] += dm + clipped * residual;
                s[WRES] += w * residual;
                s[SWITCH] += dm + (w <= switchTau ? w * residual : 0);
                s[DROS] += dm + shrink(w) * residual;
            }
        }

        double value(final OpeEstimator e)
        {
            final double n = s[COUNT];
            switch (e)
            {
                case DM: return s[DM] / n;
                case IPW: return s[IPW] / n;
                case SNIPW: return s[W] > 0 ? s[WR] / s[W] : Double.NaN;
                case DR: return s[DR] / n;
                case SNDR: return s[W] > 0 ? s[DM] / n + s[WRES] / s[W] : Double.NaN;
                case SWITCH_DR: return s[SWITCH] / n;
                case DROS: return s[DROS] / n;
                default: throw new IllegalStateException(e.name());
            }
        }
    }
}
