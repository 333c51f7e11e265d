package io.decide.tools.ope;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The propensity checks pass on OBD's uniform-random log and fail on deliberately corrupted propensities. */
class ObdPropensityCheckTest
{
    @Test
    void randomLogPasses() throws IOException
    {
        final BanditLog log = ObdSample.read("random");
        final PropensityCheck.Result result = PropensityCheck.run(log, ObdSample.ACTIONS, 0.01);
        assertTrue(result.arithmeticPassed(), () -> String.valueOf(result.worst("arithmetic")));
        assertTrue(result.harmonicPassed(), () -> String.valueOf(result.worst("harmonic")));
        assertEquals(ObdSample.POSITIONS * (ObdSample.ACTIONS + 1), result.tests().size());
        final PropensityCheck.Test harmonic = result.worst("harmonic");
        assertEquals(1.0 / ObdSample.ACTIONS, harmonic.statistic(), 1e-12);
    }

    @Test
    void halvedPropensitiesFailBothTests() throws IOException
    {
        final BanditLog log = corrupt(ObdSample.read("random"), -1, 0.5);
        final PropensityCheck.Result result = PropensityCheck.run(log, ObdSample.ACTIONS, 0.01);
        assertFalse(result.harmonicPassed());
        assertFalse(result.arithmeticPassed());
    }

    @Test
    void oneActionWithWrongPropensitiesFailsTheArithmeticTest() throws IOException
    {
        final BanditLog log = corrupt(ObdSample.read("random"), 7, 0.25);
        final PropensityCheck.Result result = PropensityCheck.run(log, ObdSample.ACTIONS, 0.01);
        assertFalse(result.arithmeticPassed());
        assertEquals(7, result.worst("arithmetic").action());
    }

    @Test
    void slightlyInflatedPropensitiesFailTheHarmonicTest() throws IOException
    {
        // p -> 1.05 p on every row keeps each cell's mean near 1 within its noise, but 1/p drops by 5%.
        final BanditLog log = corrupt(ObdSample.read("random"), -1, 1.05);
        final PropensityCheck.Result result = PropensityCheck.run(log, ObdSample.ACTIONS, 0.01);
        assertFalse(result.harmonicPassed());
    }

    private static BanditLog corrupt(final BanditLog log, final int action, final double factor)
    {
        final int n = log.rows();
        final int[] actions = new int[n];
        final int[] positions = new int[n];
        final double[] rewards = new double[n];
        final double[] pscores = new double[n];
        for (int i = 0; i < n; i++)
        {
            actions[i] = log.action(i);
            positions[i] = log.position(i);
            rewards[i] = log.reward(i);
            pscores[i] = action < 0 || log.action(i) == action ? log.pscore(i) * factor : log.pscore(i);
        }
        return new BanditLog(n, actions, positions, rewards, pscores);
    }
}
