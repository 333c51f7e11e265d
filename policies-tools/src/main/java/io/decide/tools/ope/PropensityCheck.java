package io.decide.tools.ope;

import java.util.ArrayList;
import java.util.List;

/**
 * Sanity checks of logged propensities (Li et al., 2015), per position k over the n_k rows logged there, with
 * p_i = π_0(a_i | x_i, k) the logged propensity and K actions each with positive probability in every context:
 * <ul>
 *   <li><b>arithmetic-mean test</b>, per action a and position k: E[1{a_i = a} / p_i] = Σ_x P(x) π_0(a|x)/π_0(a|x)
 *       = 1, so the mean M_{a,k} of X_i = 1{a_i = a} / p_i should be 1;</li>
 *   <li><b>harmonic-mean test</b>, per position k: E[1 / p_i] = Σ_x P(x) Σ_a π_0(a|x)/π_0(a|x) = K, so the
 *       harmonic mean H_k = n_k / Σ_i 1/p_i of the logged propensities should be 1/K whatever the logging
 *       policy.</li>
 * </ul>
 * Each test is a two-sided z-test of a sample mean against its expectation, z = (mean - expected) / (s / √n_k),
 * p-value 2·(1 - Φ(|z|)). For the arithmetic test s² is the variance under the null, E[X²] - 1, with E[X²]
 * estimated by Σ X_i² / Σ X_i (see the code for why); for the harmonic test s is the sample standard deviation of
 * 1/p_i. When s = 0 (e.g. a uniform logger: every 1/p_i is K) the mean is exact: p = 1 if it equals the
 * expectation within 1e-9, else 0. The family fails when any Bonferroni-adjusted p-value (p times the number of
 * tests, capped at 1) is below α.
 */
public final class PropensityCheck
{
    private PropensityCheck()
    {
    }

    /**
     * One test.
     *
     * @param kind     "arithmetic" or "harmonic".
     * @param action   the action (arithmetic) or -1 (harmonic).
     * @param position the position.
     * @param rows     n_k.
     * @param statistic M_{a,k} (arithmetic) or H_k (harmonic).
     * @param expected 1 (arithmetic) or 1/K (harmonic).
     * @param z        the z-score.
     * @param p        the unadjusted two-sided p-value.
     * @param adjusted the Bonferroni-adjusted p-value.
     */
    public record Test(String kind, int action, int position, int rows, double statistic, double expected, double z,
        double p, double adjusted)
    {
    }

    /**
     * All tests.
     *
     * @param tests           every test.
     * @param actionCount     K.
     * @param alpha           the level.
     * @param arithmeticPassed whether no arithmetic test failed.
     * @param harmonicPassed  whether no harmonic test failed.
     */
    public record Result(List<Test> tests, int actionCount, double alpha, boolean arithmeticPassed,
        boolean harmonicPassed)
    {
        /** @return whether both families passed. */
        public boolean passed()
        {
            return arithmeticPassed && harmonicPassed;
        }

        /** @return the test with the smallest adjusted p-value of a kind, or null. */
        public Test worst(final String kind)
        {
            Test worst = null;
            for (final Test t : tests)
            {
                if (t.kind().equals(kind) && (worst == null || t.p() < worst.p()))
                {
                    worst = t;
                }
            }
            return worst;
        }
    }

    /**
     * Run both tests.
     *
     * @param log         the log.
     * @param actionCount K (≥ 1 + the largest logged action).
     * @param alpha       the level in (0, 1).
     * @return the result.
     */
    public static Result run(final BanditLog log, final int actionCount, final double alpha)
    {
        if (actionCount <= log.maxAction())
        {
            throw new IllegalArgumentException("K = " + actionCount + " but action " + log.maxAction() +
                " is logged");
        }
        if (!(alpha > 0 && alpha < 1))
        {
            throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
        }
        final int positions = log.positionCount();
        final int n = log.rows();
        final long[] rows = new long[positions];
        final double[] sum = new double[positions * actionCount];
        final double[] sumSquares = new double[positions * actionCount];
        // Σ (1/p_i - K) and Σ (1/p_i - K)²: shifted by the expectation so a constant 1/p has exactly zero spread.
        final double[] inverseSum = new double[positions];
        final double[] inverseSquares = new double[positions];
        for (int i = 0; i < n; i++)
        {
            final int k = log.position(i);
            final double inverse = 1 / log.pscore(i);
            rows[k]++;
            final int cell = k * actionCount + log.action(i);
            sum[cell] += inverse;
            sumSquares[cell] += inverse * inverse;
            final double shifted = inverse - actionCount;
            inverseSum[k] += shifted;
            inverseSquares[k] += shifted * shifted;
        }
        int testCount = 0;
        for (int k = 0; k < positions; k++)
        {
            if (rows[k] > 0)
            {
                testCount += actionCount + 1;
            }
        }
        final List<Test> tests = new ArrayList<>();
        boolean arithmetic = true;
        boolean harmonic = true;
        for (int k = 0; k < positions; k++)
        {
            final long nk = rows[k];
            if (nk == 0)
            {
                continue;
            }
            for (int a = 0; a < actionCount; a++)
            {
                final int cell = k * actionCount + a;
                final double mean = sum[cell] / nk;
                // Variance of X under the null: E[X²] - 1 with E[X²] = E[X] · (X-weighted mean of 1/p over a's rows)
                // and E[X] = 1, estimated by Σ X² / Σ X (not by the sample variance, which shrinks with a's
                // observed frequency exactly when that frequency is too low). No row of a: the uniform value K - 1.
                final double nullVariance = sum[cell] > 0 ? sumSquares[cell] / sum[cell] - 1 : actionCount - 1;
                final double[] zp = nullZTest(mean, nullVariance, nk);
                final double adjusted = Math.min(1, zp[1] * testCount);
                tests.add(new Test("arithmetic", a, k, (int)nk, mean, 1.0, zp[0], zp[1], adjusted));
                arithmetic &= adjusted >= alpha;
            }
            final double meanShifted = inverseSum[k] / nk;
            final double meanInverse = actionCount + meanShifted;
            final double[] zp = zTest(meanShifted, inverseSquares[k], nk, 0.0);
            final double adjusted = Math.min(1, zp[1] * testCount);
            tests.add(new Test("harmonic", -1, k, (int)nk, 1 / meanInverse, 1.0 / actionCount, zp[0], zp[1],
                adjusted));
            harmonic &= adjusted >= alpha;
        }
        return new Result(tests, actionCount, alpha, arithmetic, harmonic);
    }

    /** z and two-sided p of a sample mean against 1 with a given per-row variance under the null. */
    private static double[] nullZTest(final double mean, final double variance, final long n)
    {
        if (!(variance > 1e-12))
        {
            final boolean equal = Math.abs(mean - 1) <= 1e-9;
            return new double[]{equal ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean - 1), equal ? 1 : 0};
        }
        final double z = (mean - 1) / Math.sqrt(variance / n);
        return new double[]{z, Normal.twoSided(z)};
    }

    /** z and two-sided p of a sample mean (from Σx² and n) against an expectation. */
    private static double[] zTest(final double mean, final double sumSquares, final long n, final double expected)
    {
        final double variance = n > 1 ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0;
        final double sd = Math.sqrt(variance);
        final boolean exact = sd <= 1e-12 * Math.max(1, Math.abs(mean));
        if (exact)
        {
            final boolean equal = Math.abs(mean - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
            return new double[]{equal ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean - expected), equal ? 1 : 0};
        }
        final double z = (mean - expected) / (sd / Math.sqrt(n));
        return new double[]{z, Normal.twoSided(z)};
    }
}
