package io.decide.tools.adload;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's exact expectations against its own draws, and the heterogeneity the policies exploit. */
class AdLoadSimulatorTest
{
    @Test
    void exactExpectationsMatchMonteCarlo()
    {
        final AdLoadSimulator simulator = new AdLoadSimulator(AdSlotPatterns.defaults(), 3, 0.8);
        final SplittableRandom random = new SplittableRandom(11);
        final double[] x = new double[AdLoadSimulator.CONTEXT_WIDTH];
        final int k = simulator.patterns().count();
        final double[] sat = new double[k];
        final double[] ads = new double[k];
        final double[] outcome = new double[2];
        for (int context = 0; context < 5; context++)
        {
            simulator.sampleContext(random, x);
            simulator.expectedOutcomes(x, sat, ads);
            for (int a = 0; a < k; a++)
            {
                final int draws = 40_000;
                double s = 0;
                double s2 = 0;
                double d = 0;
                double d2 = 0;
                for (int i = 0; i < draws; i++)
                {
                    simulator.simulate(x, a, random, outcome);
                    s += outcome[0];
                    s2 += outcome[0] * outcome[0];
                    d += outcome[1];
                    d2 += outcome[1] * outcome[1];
                }
                final double meanSat = s / draws;
                final double meanAds = d / draws;
                final double seSat = Math.sqrt((s2 / draws - meanSat * meanSat) / draws);
                final double seAds = Math.sqrt((d2 / draws - meanAds * meanAds) / draws);
                // 4.5 standard errors over 80 comparisons: a false alarm has probability below 1e-3.
                assertEquals(sat[a], meanSat, 4.5 * seSat + 1e-12, "SAT context " + context + " pattern " + a);
                assertEquals(ads[a], meanAds, 4.5 * seAds + 1e-12, "ADS context " + context + " pattern " + a);
            }
        }
    }

    @Test
    void bestPatternDependsOnTheUser()
    {
        final AdLoadSimulator simulator = new AdLoadSimulator(AdSlotPatterns.defaults(), 3, 0.8);
        final SplittableRandom random = new SplittableRandom(3);
        final double[] x = new double[AdLoadSimulator.CONTEXT_WIDTH];
        final int k = simulator.patterns().count();
        final double[] sat = new double[k];
        final double[] ads = new double[k];
        final int[] bestCounts = new int[3];
        for (int i = 0; i < 10_000; i++)
        {
            simulator.sampleContext(random, x);
            simulator.expectedOutcomes(x, sat, ads);
            int best = 0;
            for (int a = 1; a < k; a++)
            {
                if (simulator.reward(sat[a], ads[a]) > simulator.reward(sat[best], ads[best]))
                {
                    best = a;
                }
            }
            bestCounts[simulator.patterns().adCount(best)]++;
        }
        for (int ads0 = 0; ads0 < 3; ads0++)
        {
            assertTrue(bestCounts[ads0] > 500, "best pattern has " + ads0 + " ads for only " + bestCounts[ads0] +
                " of 10,000 users");
        }
    }
}
