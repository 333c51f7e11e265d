package io.decide.tools.ope;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every estimator on the real Open Bandit Dataset sample (uniform-random log, 10,000 rows, 34 items × 3 positions)
 * against its definition computed independently ({@link ReferenceEstimators}). The evaluation policy is the bts
 * policy's item frequencies per position (Laplace-smoothed, from the bts log), the reward model the random log's
 * smoothed click rate per item and position. Tolerance: relative 1e-12 — both sides add 10^4 terms in double,
 * possibly grouped differently, so they may differ by a few n·ε of the sum, far below any estimator difference.
 */
class ObdEstimatorsTest
{
    private static final double TOLERANCE = 1e-12;
    private static BanditLog random;
    private static double[] dist;
    private static double[] q;

    @BeforeAll
    static void load() throws IOException
    {
        random = ObdSample.read("random");
        final BanditLog bts = ObdSample.read("bts");
        final int k = ObdSample.ACTIONS;
        final double[][] frequency = new double[ObdSample.POSITIONS][k];
        final double[] perPosition = new double[ObdSample.POSITIONS];
        for (int i = 0; i < bts.rows(); i++)
        {
            frequency[bts.position(i)][bts.action(i)]++;
            perPosition[bts.position(i)]++;
        }
        final double[][] clicks = new double[ObdSample.POSITIONS][k];
        final double[][] shown = new double[ObdSample.POSITIONS][k];
        double totalClicks = 0;
        for (int i = 0; i < random.rows(); i++)
        {
            clicks[random.position(i)][random.action(i)] += random.reward(i);
            shown[random.position(i)][random.action(i)]++;
            totalClicks += random.reward(i);
        }
        final double ctr = totalClicks / random.rows();
        dist = new double[random.rows() * k];
        q = new double[random.rows() * k];
        for (int i = 0; i < random.rows(); i++)
        {
            final int pos = random.position(i);
            for (int a = 0; a < k; a++)
            {
                dist[i * k + a] = (frequency[pos][a] + 1) / (perPosition[pos] + k);
                q[i * k + a] = (clicks[pos][a] + 20 * ctr) / (shown[pos][a] + 20);
            }
        }
    }

    @Test
    void uniformLogHasThirtyFourItemsAndUniformPropensities()
    {
        assertEquals(10_000, random.rows());
        assertEquals(ObdSample.ACTIONS - 1, random.maxAction());
        assertEquals(ObdSample.POSITIONS, random.positionCount());
        for (int i = 0; i < random.rows(); i++)
        {
            assertEquals(1.0 / ObdSample.ACTIONS, random.pscore(i), 1e-15);
        }
    }

    @Test
    void everyEstimatorMatchesItsDefinition()
    {
        final BanditFeedback feedback = BanditFeedback.of(random, ObdSample.ACTIONS, dist, q, 1e-9);
        final ReferenceEstimators reference = new ReferenceEstimators(random, ObdSample.ACTIONS, dist, q);
        final double clip = 1.5;
        final double tau = 1.2;
        final double lambda = 2;
        final OffPolicyEvaluator plain = new OffPolicyEvaluator(Double.POSITIVE_INFINITY, tau, lambda);
        final OffPolicyEvaluator clipped = new OffPolicyEvaluator(clip, tau, lambda);

        assertClose(reference.dm(), plain.estimate(feedback, OpeEstimator.DM));
        assertClose(reference.ipw(Double.POSITIVE_INFINITY), plain.estimate(feedback, OpeEstimator.IPW));
        assertClose(reference.ipw(clip), clipped.estimate(feedback, OpeEstimator.IPW));
        assertClose(reference.snipw(), plain.estimate(feedback, OpeEstimator.SNIPW));
        assertClose(reference.dr(Double.POSITIVE_INFINITY), plain.estimate(feedback, OpeEstimator.DR));
        assertClose(reference.dr(clip), clipped.estimate(feedback, OpeEstimator.DR));
        assertClose(reference.sndr(), plain.estimate(feedback, OpeEstimator.SNDR));
        assertClose(reference.switchDr(tau), plain.estimate(feedback, OpeEstimator.SWITCH_DR));
        assertClose(reference.dros(lambda), plain.estimate(feedback, OpeEstimator.DROS));

        // The parameters bite on this data: clipping, switching and shrinking each change the estimate.
        assertNotEquals(reference.ipw(Double.POSITIVE_INFINITY), reference.ipw(clip));
        assertNotEquals(reference.dr(Double.POSITIVE_INFINITY), reference.switchDr(tau));
        assertNotEquals(reference.dr(Double.POSITIVE_INFINITY), reference.dros(lambda));

        final OffPolicyEvaluator.Report report = plain.evaluate(feedback, List.of(OpeEstimator.values()), 0, 0, 0.95,
            1);
        assertClose(reference.ess(), report.diagnostics().effectiveSampleSize());
        assertEquals(random.rows(), report.diagnostics().rows());
        double maxWeight = 0;
        for (int i = 0; i < random.rows(); i++)
        {
            maxWeight = Math.max(maxWeight, dist[i * ObdSample.ACTIONS + random.action(i)] / random.pscore(i));
        }
        assertEquals(maxWeight, report.diagnostics().maxWeight());
        for (final OffPolicyEvaluator.Estimate e : report.estimates().values())
        {
            assertTrue(e.low() < e.value() && e.value() < e.high(), e.toString());
        }
    }

    @Test
    void uniformEvaluationPolicyGivesTheLoggedMeanClick()
    {
        final int k = ObdSample.ACTIONS;
        final double[] uniform = new double[random.rows() * k];
        java.util.Arrays.fill(uniform, 1.0 / k);
        final BanditFeedback feedback = BanditFeedback.of(random, k, uniform, null, 1e-9);
        double clicks = 0;
        for (int i = 0; i < random.rows(); i++)
        {
            clicks += random.reward(i);
        }
        final OffPolicyEvaluator evaluator = OffPolicyEvaluator.defaults();
        assertEquals(clicks / random.rows(), evaluator.estimate(feedback, OpeEstimator.IPW), 1e-15);
        assertEquals(clicks / random.rows(), evaluator.estimate(feedback, OpeEstimator.SNIPW), 1e-15);
    }

    @Test
    void bootstrapIsDeterministicForASeedAndIndependentOfThreads()
    {
        final BanditFeedback feedback = BanditFeedback.of(random, ObdSample.ACTIONS, dist, q, 1e-9);
        final OffPolicyEvaluator evaluator = OffPolicyEvaluator.defaults();
        final List<OpeEstimator> all = List.of(OpeEstimator.values());
        final OffPolicyEvaluator.Report one = evaluator.evaluate(feedback, all, 200, 42, 0.9, 1);
        final OffPolicyEvaluator.Report two = evaluator.evaluate(feedback, all, 200, 42, 0.9, 3);
        final OffPolicyEvaluator.Report other = evaluator.evaluate(feedback, all, 200, 43, 0.9, 2);
        assertEquals(one.estimates(), two.estimates());
        assertNotEquals(one.estimates(), other.estimates());
        for (final OpeEstimator e : all)
        {
            final OffPolicyEvaluator.Estimate b = one.estimates().get(e);
            assertTrue(b.low() < b.value() && b.value() < b.high(), e + " " + b);
        }
    }

    @Test
    void bootstrapIntervalIsThePercentileOfReplicatesComputedByDefinition()
    {
        final BanditFeedback feedback = BanditFeedback.of(random, ObdSample.ACTIONS, dist, q, 1e-9);
        final OffPolicyEvaluator evaluator = OffPolicyEvaluator.defaults();
        final int replicates = 20;
        final double[][] values = evaluator.bootstrap(feedback, List.of(OpeEstimator.SNIPW), replicates, 7, 1);
        final java.util.SplittableRandom root = new java.util.SplittableRandom(7);
        final int n = random.rows();
        for (int b = 0; b < replicates; b++)
        {
            final java.util.SplittableRandom stream = root.split();
            final int[] counts = new int[n];
            for (int j = 0; j < n; j++)
            {
                counts[stream.nextInt(n)]++;
            }
            double num = 0;
            double den = 0;
            for (int i = 0; i < n; i++)
            {
                final double w = dist[i * ObdSample.ACTIONS + random.action(i)] / random.pscore(i);
                num += counts[i] * w * random.reward(i);
                den += counts[i] * w;
            }
            assertClose(num / den, values[0][b]);
        }
        final double[] sorted = {3, 1, 2, 5, 4};
        java.util.Arrays.sort(sorted);
        assertEquals(1.2, OffPolicyEvaluator.percentile(sorted, 0.05), 1e-15);
        assertEquals(4.8, OffPolicyEvaluator.percentile(sorted, 0.95), 1e-15);
    }

    private static void assertClose(final double expected, final double actual)
    {
        assertEquals(expected, actual, TOLERANCE * Math.max(1e-3, Math.abs(expected)),
            "expected " + expected + " got " + actual);
    }
}
