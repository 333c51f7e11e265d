package io.decide.tools.scalars;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on simulated data: solve on one RCT, evaluate on a re-simulated (held-out) RCT of the same truth by
 * refitting it. The solved policy must be more efficient than the uniform policy: at the same performance loss
 * the uniform scalar that gives it (found by bisection on the held-out fits) gains less engagement.
 */
class ScalarSimulationTest
{
    private static final double[] TESTED = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};

    @Test
    void solvedPolicyBeatsUniformEfficiencyOnHeldOutData()
    {
        final ResponseSimulator simulator = new ResponseSimulator(2, 10, 42);
        final List<BidResponses> train = simulator.responses(TESTED, 0.002, 1);
        final List<BidResponses> heldOut = simulator.responses(TESTED, 0.002, 2);
        final ScalarPolicySolver solver = new ScalarPolicySolver();
        for (int q = 0; q < 2; q++)
        {
            for (final ScalarMethod method : new ScalarMethod[]{ScalarMethod.LPQC_SORTED, ScalarMethod.LP_SORTED})
            {
                final BidSolution solution = solver.solve(train.get(q), method, 0.01, Double.NaN, 0.5, 2.0, false);
                final CohortFit[] evaluation = ScalarPolicySolver.fit(heldOut.get(q), true);
                final PolicyDeltas solved = PolicyDeltas.of(evaluation, solution.certificate().x());
                double lo = 0.5;
                double hi = 1.0;
                for (int i = 0; i < 100; i++)
                {
                    final double mid = 0.5 * (lo + hi);
                    if (PolicyDeltas.uniform(evaluation, mid).performanceDelta() < solved.performanceDelta())
                    {
                        lo = mid;
                    }
                    else
                    {
                        hi = mid;
                    }
                }
                final PolicyDeltas uniform = PolicyDeltas.uniform(evaluation, hi);
                assertTrue(solved.engagementDelta() > uniform.engagementDelta(),
                    method + " bid " + q + ": " + solved + " vs uniform " + uniform);
                assertTrue(solved.efficiency() > uniform.efficiency() || uniform.performanceDelta() == 0,
                    method + " bid " + q + ": " + solved + " vs uniform " + uniform);
                assertTrue(solved.engagementDelta() > 0, solved.toString());
            }
        }
    }
}
