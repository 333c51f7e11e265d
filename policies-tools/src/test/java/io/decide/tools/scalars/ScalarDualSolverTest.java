package io.decide.tools.scalars;

import org.junit.jupiter.api.Test;

import static io.decide.tools.scalars.ScalarInstances.LOWER;
import static io.decide.tools.scalars.ScalarInstances.UPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Properties of {@link ScalarDualSolver}. Tolerances: feasibility is exact in floating point by construction (the
 * solver only returns points whose computed performance is ≥ R) and the acceptance allows 1e-9 relative; objective
 * comparisons allow 1e-9 relative to the objective's scale (the sum of N terms of magnitude ~10, each rounded).
 */
class ScalarDualSolverTest
{
    private static final int[] CHAINS = {ScalarProblem.NO_CHAIN, ScalarProblem.INCREASING, ScalarProblem.DECREASING};

    @Test
    void solutionsAreFeasibleWithinBoundsMonotoneAndCertified()
    {
        final ScalarDualSolver solver = new ScalarDualSolver();
        qt().withExamples(400).forAll(longs().all(), integers().between(1, 60), integers().between(0, 5),
            doubles().between(0, 0.2)).checkAssert((seed, n, variant, rho) ->
        {
            final boolean quadratic = variant % 2 == 1;
            final int chain = CHAINS[variant % 3];
            final ScalarProblem p = ScalarInstances.random(seed, n, quadratic, chain, rho);
            final ScalarCertificate s = solver.solve(p);
            final double[] x = s.x();
            assertTrue(p.performance(x) >= p.required() - 1e-9 * Math.abs(p.required()), "feasible");
            for (int i = 0; i < n; i++)
            {
                assertTrue(x[i] >= LOWER && x[i] <= UPPER, "bounds");
                if (i > 0 && chain == ScalarProblem.INCREASING)
                {
                    assertTrue(x[i] >= x[i - 1], "increasing");
                }
                if (i > 0 && chain == ScalarProblem.DECREASING)
                {
                    assertTrue(x[i] <= x[i - 1], "decreasing");
                }
            }
            assertEquals(p.engagement(x), s.objective(), 0.0);
            assertTrue(s.residual() >= 0);
            assertTrue(s.gap() <= 1e-9 * Math.abs(s.objective()), "gap " + s.gap() + " objective " + s.objective());
            assertTrue(s.gap() >= -1e-9 * Math.abs(s.objective()), "dual bound below primal: " + s.gap());
        });
    }

    @Test
    void objectiveIsAtLeastEveryFeasiblePointOfAFineGrid()
    {
        final ScalarDualSolver solver = new ScalarDualSolver();
        final int steps = 60;
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 3), integers().between(0, 5),
            doubles().between(0, 0.2)).checkAssert((seed, n, variant, rho) ->
        {
            final int chain = CHAINS[variant % 3];
            final ScalarProblem p = ScalarInstances.random(seed, n, variant % 2 == 1, chain, rho);
            final double best = solver.solve(p).objective();
            final double[] x = new double[n];
            final int total = (int)Math.pow(steps + 1, n);
            for (int code = 0; code < total; code++)
            {
                int rest = code;
                boolean ordered = true;
                for (int i = 0; i < n; i++)
                {
                    x[i] = LOWER + (UPPER - LOWER) * (rest % (steps + 1)) / steps;
                    rest /= steps + 1;
                    if (i > 0 && (chain == ScalarProblem.INCREASING && x[i] < x[i - 1] ||
                        chain == ScalarProblem.DECREASING && x[i] > x[i - 1]))
                    {
                        ordered = false;
                    }
                }
                if (ordered && p.performance(x) >= p.required())
                {
                    assertTrue(p.engagement(x) <= best + 1e-9 * Math.abs(best),
                        "grid point beats the solver: " + p.engagement(x) + " > " + best);
                }
            }
        });
    }

    @Test
    void objectiveIsAtLeastTheDiscreteIlpOverTheTestedScalars()
    {
        final ScalarDualSolver solver = new ScalarDualSolver();
        final double[] tested = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};
        qt().withExamples(100).forAll(longs().all(), integers().between(1, 7), integers().between(0, 5),
            doubles().between(0, 0.2)).checkAssert((seed, n, variant, rho) ->
        {
            final int chain = CHAINS[variant % 3];
            final ScalarProblem p = ScalarInstances.random(seed, n, variant % 2 == 1, chain, rho);
            final CohortFit[] fits = ScalarInstances.fits(seed, n, variant % 2 == 1);
            final double[][] candidates = new double[n][];
            java.util.Arrays.fill(candidates, tested);
            final ScalarCertificate ilp = new DiscreteScalarSolver(10_000_000).solve(fits, candidates, p.required(),
                chain);
            assertTrue(ilp.residual() >= 0);
            final double best = solver.solve(p).objective();
            assertTrue(best >= ilp.objective() - 1e-9 * Math.abs(best), best + " < ilp " + ilp.objective());
        });
    }

    @Test
    void refusesNonConvexAndInfeasibleInstancesNamingTheCohortOrShortfall()
    {
        final CohortFit[] fits = {new CohortFit(0, 1, 0, -0.1, 1, 0), new CohortFit(1, 1, 0, 0.2, 1, 0)};
        final ScalarInfeasibleException convex = assertThrows(ScalarInfeasibleException.class,
            () -> new ScalarDualSolver().solve(ScalarProblem.of(fits, 0.5, 2, 1, ScalarProblem.NO_CHAIN)));
        assertTrue(convex.getMessage().contains("not convex: cohort 1 has performance curvature a = 0.2"),
            convex.getMessage());
        final CohortFit[] linear = {new CohortFit(0, 1, 0, 0, 1, 0), new CohortFit(1, -1, 0, 0, -1, 0)};
        final ScalarInfeasibleException infeasible = assertThrows(ScalarInfeasibleException.class,
            () -> new ScalarDualSolver().solve(ScalarProblem.of(linear, 0.5, 2, 1.6, ScalarProblem.INCREASING)));
        assertTrue(infeasible.getMessage().contains("and the chain reaches is 0.0, below the required 1.6"), infeasible.getMessage());
    }

    @Test
    void knownAnswerFractionalKnapsack()
    {
        // Two cohorts, linear: engagement -x0 - 2 x1, performance x0 + x1 >= 2.5 on [0.5, 2]: raise x0 first.
        final CohortFit[] fits = {new CohortFit(0, -1, 0, 0, 1, 0), new CohortFit(1, -2, 0, 0, 1, 0)};
        final ScalarCertificate s = new ScalarDualSolver()
            .solve(ScalarProblem.of(fits, 0.5, 2, 2.5, ScalarProblem.NO_CHAIN));
        assertEquals(2.0, s.x()[0], 1e-12);
        assertEquals(0.5, s.x()[1], 1e-12);
        assertEquals(-3.0, s.objective(), 1e-12);
        assertEquals(1.0, s.multiplier(), 1e-9);
        // With the increasing chain x0 <= x1 both must move together: x = 1.25 each.
        final ScalarCertificate sorted = new ScalarDualSolver()
            .solve(ScalarProblem.of(fits, 0.5, 2, 2.5, ScalarProblem.INCREASING));
        assertEquals(1.25, sorted.x()[0], 1e-12);
        assertEquals(1.25, sorted.x()[1], 1e-12);
    }
}
