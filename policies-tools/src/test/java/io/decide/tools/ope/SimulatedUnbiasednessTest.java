package io.decide.tools.ope;

import io.decide.tools.adload.AdLoadLogger;
import io.decide.tools.adload.AdLoadSimulator;
import io.decide.tools.adload.AdSlotPatterns;
import io.decide.tools.adload.EvaluationPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On simulated ad-load logs (uniform logging over 8 patterns, known truth): IPW and DR are unbiased for the true
 * value of a softmax policy, with a deliberately wrong reward model (q̂ = 1.3·μ + noise). Over 300 seeds of 2,000
 * rows, the mean error (estimate minus the exact value of the policy on that seed's contexts) must lie within 3
 * standard errors of 0 (its standard error: sd of the errors / √300). The same check flags DM with that model and
 * IPW fed wrong propensities, so it can fail. Also: every estimator equals its definition on a simulated log.
 */
class SimulatedUnbiasednessTest
{
    private static final int SEEDS = 300;
    private static final int ROWS = 2_000;

    private record Sample(BanditLog log, int k, double[] dist, double[] q, double truth)
    {
    }

    private static Sample sample(final long seed, final double pscoreFactor)
    {
        final AdLoadSimulator simulator = new AdLoadSimulator(AdSlotPatterns.defaults(), 3, 0.8);
        final EvaluationPolicy policy = new EvaluationPolicy(EvaluationPolicy.Kind.SOFTMAX, simulator, 0.1, 2, 1, 0.6,
            0.3);
        final AdLoadLogger logger = new AdLoadLogger(simulator, policy, 0.3, 0.3, seed);
        final int k = simulator.patterns().count();
        final AdLoadLogger.Row row = logger.newRow();
        final int[] actions = new int[ROWS];
        final double[] rewards = new double[ROWS];
        final double[] pscores = new double[ROWS];
        final double[] dist = new double[ROWS * k];
        final double[] q = new double[ROWS * k];
        double truth = 0;
        for (int i = 0; i < ROWS; i++)
        {
            logger.next(row);
            actions[i] = row.action;
            rewards[i] = row.reward;
            pscores[i] = Math.min(1, row.pscore * pscoreFactor);
            System.arraycopy(row.dist, 0, dist, i * k, k);
            System.arraycopy(row.q, 0, q, i * k, k);
            truth += row.truth;
        }
        return new Sample(new BanditLog(ROWS, actions, null, rewards, pscores), k, dist, q, truth / ROWS);
    }

    private static Sample[] samples;

    private static synchronized Sample[] samples()
    {
        if (samples == null)
        {
            samples = new Sample[SEEDS];
            for (int seed = 0; seed < SEEDS; seed++)
            {
                samples[seed] = sample(1000 + seed, 1);
            }
        }
        return samples;
    }

    /** {mean error, standard error of the mean} over the seeds. */
    private static double[] meanError(final OpeEstimator estimator, final double pscoreFactor)
    {
        final OffPolicyEvaluator evaluator = OffPolicyEvaluator.defaults();
        double sum = 0;
        double sumSquares = 0;
        for (final Sample s : samples())
        {
            BanditLog log = s.log();
            if (pscoreFactor != 1)
            {
                final double[] pscores = new double[ROWS];
                final int[] actions = new int[ROWS];
                final double[] rewards = new double[ROWS];
                for (int i = 0; i < ROWS; i++)
                {
                    pscores[i] = Math.min(1, log.pscore(i) * pscoreFactor);
                    actions[i] = log.action(i);
                    rewards[i] = log.reward(i);
                }
                log = new BanditLog(ROWS, actions, null, rewards, pscores);
            }
            final BanditFeedback feedback = BanditFeedback.of(log, s.k(), s.dist(), s.q(), 1e-9);
            final double error = evaluator.estimate(feedback, estimator) - s.truth();
            sum += error;
            sumSquares += error * error;
        }
        final double mean = sum / SEEDS;
        final double sd = Math.sqrt((sumSquares - SEEDS * mean * mean) / (SEEDS - 1));
        return new double[]{mean, sd / Math.sqrt(SEEDS)};
    }

    @Test
    void ipwAndDrAreUnbiasedAndTheCheckHasPower()
    {
        final double[] ipw = meanError(OpeEstimator.IPW, 1);
        final double[] dr = meanError(OpeEstimator.DR, 1);
        assertTrue(Math.abs(ipw[0]) <= 3 * ipw[1], "IPW mean error " + ipw[0] + " SE " + ipw[1]);
        assertTrue(Math.abs(dr[0]) <= 3 * dr[1], "DR mean error " + dr[0] + " SE " + dr[1]);
        assertTrue(dr[1] < ipw[1], "DR should have the smaller spread: " + dr[1] + " vs " + ipw[1]);

        final double[] dm = meanError(OpeEstimator.DM, 1);
        assertTrue(Math.abs(dm[0]) > 3 * dm[1], "DM with a 30% biased model must be flagged: " + dm[0] + " SE " +
            dm[1]);
        final double[] wrong = meanError(OpeEstimator.IPW, 1.1);
        assertTrue(Math.abs(wrong[0]) > 3 * wrong[1], "IPW with propensities 10% too high must be flagged: " +
            wrong[0] + " SE " + wrong[1]);
    }

    @Test
    void estimatorsMatchTheirDefinitionsOnASimulatedLog()
    {
        final Sample s = sample(7, 1);
        final BanditFeedback feedback = BanditFeedback.of(s.log(), s.k(), s.dist(), s.q(), 1e-9);
        final ReferenceEstimators reference = new ReferenceEstimators(s.log(), s.k(), s.dist(), s.q());
        final OffPolicyEvaluator evaluator = new OffPolicyEvaluator(3, 4, 5);
        final double tolerance = 1e-12;
        assertEquals(reference.dm(), evaluator.estimate(feedback, OpeEstimator.DM), tolerance);
        assertEquals(reference.ipw(3), evaluator.estimate(feedback, OpeEstimator.IPW), tolerance);
        assertEquals(reference.snipw(), evaluator.estimate(feedback, OpeEstimator.SNIPW), tolerance);
        assertEquals(reference.dr(3), evaluator.estimate(feedback, OpeEstimator.DR), tolerance);
        assertEquals(reference.sndr(), evaluator.estimate(feedback, OpeEstimator.SNDR), tolerance);
        assertEquals(reference.switchDr(4), evaluator.estimate(feedback, OpeEstimator.SWITCH_DR), tolerance);
        assertEquals(reference.dros(5), evaluator.estimate(feedback, OpeEstimator.DROS), tolerance);
    }
}
