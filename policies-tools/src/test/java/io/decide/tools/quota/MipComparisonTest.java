package io.decide.tools.quota;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test against an exact MIP solver (SCIP through OR-Tools MPSolver) and its LP relaxation (GLOP), on
 * small random instances: the dual-bisection assignment is never better than the MIP optimum, never worse than it
 * minus the largest item value, and equal to it whenever the LP relaxation's optimum is integral.
 */
class MipComparisonTest
{
    /**
     * Objective comparisons: SCIP and GLOP stop at relative gaps and feasibility tolerances of about 1e-7 to 1e-9,
     * and objectives here are at most 12 items x 11 = 132, so 1e-6 absolute is above their error and far below the
     * smallest value difference that matters (values are continuous, so distinct assignments differ by much more).
     */
    private static final double TOLERANCE = 1e-6;
    private static DualBisection solver;

    @BeforeAll
    static void start()
    {
        Loader.loadNativeLibraries();
        solver = new DualBisection(1);
    }

    @AfterAll
    static void stop()
    {
        solver.close();
    }

    /**
     * @param instance items.
     * @param capacity C.
     * @param relax    LP relaxation instead of the MIP.
     * @param integral receives whether every variable of the optimum is 0 or 1.
     * @return the optimal objective.
     */
    static double optimum(final QuotaInstance instance, final double capacity, final boolean relax,
        final boolean[] integral)
    {
        final MPSolver mp = MPSolver.createSolver(relax ? "GLOP" : "SCIP");
        assertNotNull(mp, "OR-Tools solver not available");
        try
        {
            final int n = instance.itemCount();
            final int k = instance.optionCount();
            final MPVariable[] x = new MPVariable[n * k];
            final MPConstraint budget = mp.makeConstraint(Double.NEGATIVE_INFINITY, capacity, "budget");
            final MPObjective objective = mp.objective();
            for (int i = 0; i < n; i++)
            {
                final MPConstraint one = mp.makeConstraint(1, 1, "one" + i);
                for (int o = 0; o < k; o++)
                {
                    final MPVariable v = relax ? mp.makeNumVar(0, 1, "x" + i + "_" + o) :
                        mp.makeIntVar(0, 1, "x" + i + "_" + o);
                    x[i * k + o] = v;
                    one.setCoefficient(v, 1);
                    budget.setCoefficient(v, instance.costs()[o]);
                    objective.setCoefficient(v, instance.values()[i * k + o]);
                }
            }
            objective.setMaximization();
            final MPSolver.ResultStatus status = mp.solve();
            assertEquals(MPSolver.ResultStatus.OPTIMAL, status);
            boolean allIntegral = true;
            for (final MPVariable v : x)
            {
                final double value = v.solutionValue();
                allIntegral &= Math.abs(value - Math.rint(value)) < 1e-7;
            }
            integral[0] = allIntegral;
            return objective.value();
        }
        finally
        {
            mp.delete();
        }
    }

    @Test
    void bisectionIsWithinTheGapBoundOfTheMipAndOptimalWhenTheLpIsIntegral()
    {
        int integralCases = 0;
        int equalCases = 0;
        for (long seed = 1; seed <= 150; seed++)
        {
            final int n = 3 + (int)(seed % 10);
            final int k = 2 + (int)(seed % 4);
            final QuotaInstance instance = DualBisectionTest.random(seed, n, k);
            final double floor = n * instance.costs()[0];
            final double top = solver.evaluate(instance, 0).totalCost();
            final double capacity = Math.floor(floor + (0.2 + 0.6 * ((seed * 37) % 100) / 100.0) * (top - floor));
            final DualBisection.Solution s = solver.solve(instance, capacity);
            final boolean[] integral = new boolean[1];
            final double mip = optimum(instance, capacity, false, integral);
            final double lp = optimum(instance, capacity, true, integral);
            final String where = "seed " + seed + " (" + n + "x" + k + ", C=" + capacity + "): " + s + ", MIP " + mip +
                ", LP " + lp;
            assertTrue(s.totalCost() <= capacity, where);
            assertTrue(s.totalValue() <= mip + TOLERANCE, "better than the MIP optimum? " + where);
            assertTrue(s.totalValue() >= mip - instance.maxValue() - TOLERANCE, "worse than MIP - max value: " + where);
            assertTrue(lp <= s.dualBound() + TOLERANCE, "LP above the dual bound: " + where);
            assertTrue(mip <= lp + TOLERANCE, where);
            if (integral[0])
            {
                integralCases++;
                assertEquals(mip, s.totalValue(), TOLERANCE, "LP optimum integral but bisection differs: " + where);
            }
            if (Math.abs(mip - s.totalValue()) <= TOLERANCE)
            {
                equalCases++;
            }
        }
        System.out.println("MIP comparison: 150 instances, LP integral in " + integralCases + ", bisection optimal in " +
            equalCases);
        assertTrue(integralCases > 0, "no instance had an integral LP optimum; the equality check never ran");
    }
}
