package io.decide.tools.scalars;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The discrete baseline against full enumeration of every combination of tested scalars (6^N, N ≤ 5), with and
 * without the chain. Both sum the same per-cohort values in the same cohort order, so objectives are compared with
 * a tolerance of 1e-12 relative (summation order inside the search differs only by the order of the same addends).
 */
class ScalarIlpEnumerationTest
{
    private static final double[] TESTED = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};
    private static final int[] CHAINS = {ScalarProblem.NO_CHAIN, ScalarProblem.INCREASING, ScalarProblem.DECREASING};

    @Test
    void branchAndBoundEqualsEnumeration()
    {
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 5), integers().between(0, 2),
            doubles().between(-0.01, 0.05)).checkAssert((seed, n, chainIndex, rho) ->
        {
            final int chain = CHAINS[chainIndex];
            final CohortFit[] fits = ScalarInstances.fits(seed, n, true);
            final double required = (1 - rho) * ScalarProblem.of(fits, 0.5, 2, 0, 0).uniformPerformance(1.0);
            double best = Double.NEGATIVE_INFINITY;
            final int total = (int)Math.pow(TESTED.length, n);
            for (int code = 0; code < total; code++)
            {
                int rest = code;
                double e = 0;
                double p = 0;
                boolean ordered = true;
                double previous = Double.NaN;
                for (int i = 0; i < n; i++)
                {
                    final double x = TESTED[rest % TESTED.length];
                    rest /= TESTED.length;
                    if (i > 0 && (chain == ScalarProblem.INCREASING ? x < previous :
                        chain == ScalarProblem.DECREASING && x > previous))
                    {
                        ordered = false;
                    }
                    previous = x;
                    e += fits[i].engagement(x);
                    p += fits[i].performance(x);
                }
                if (ordered && p >= required)
                {
                    best = Math.max(best, e);
                }
            }
            final double[][] tested = new double[n][];
            Arrays.fill(tested, TESTED);
            if (best == Double.NEGATIVE_INFINITY)
            {
                return;
            }
            final ScalarCertificate ilp = new DiscreteScalarSolver(10_000_000).solve(fits, tested, required, chain);
            assertTrue(ilp.residual() >= 0);
            assertEquals(best, ilp.objective(), 1e-12 * Math.abs(best));
        });
    }
}
