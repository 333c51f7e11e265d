package io.decide.tools.scalars;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Differential test of lp and lp-sorted against GLOP (OR-Tools' simplex LP solver) on random instances. Both are
 * exact up to rounding: a simplex vertex solves a linear system in double precision, and our answer is a convex
 * combination of two exact maximisers; objectives agree within 1e-9 relative to their magnitude.
 */
class ScalarGlopComparisonTest
{
    @BeforeAll
    static void load()
    {
        Loader.loadNativeLibraries();
    }

    @Test
    void lpAndLpSortedMatchGlop()
    {
        final ScalarDualSolver solver = new ScalarDualSolver();
        qt().withExamples(150).forAll(longs().all(), integers().between(1, 40), integers().between(0, 2),
            doubles().between(0, 0.2)).checkAssert((seed, n, chainCode, rho) ->
        {
            final int chain = chainCode - 1;
            final ScalarProblem p = ScalarInstances.random(seed, n, false, chain, rho);
            final double ours = solver.solve(p).objective();
            final double glop = glop(p);
            assertEquals(glop, ours, 1e-9 * Math.abs(glop), "n=" + n + " chain=" + chain);
        });
    }

    static double glop(final ScalarProblem p)
    {
        final int n = p.size();
        final MPSolver mp = MPSolver.createSolver("GLOP");
        try
        {
            final MPVariable[] x = new MPVariable[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = mp.makeNumVar(p.lower(), p.upper(), "x" + i);
            }
            double constG = 0;
            double constF = 0;
            for (int i = 0; i < n; i++)
            {
                constG += p.c()[i];
                constF += p.d()[i];
            }
            final MPConstraint performance = mp.makeConstraint(p.required() - constG, Double.POSITIVE_INFINITY);
            for (int i = 0; i < n; i++)
            {
                performance.setCoefficient(x[i], p.b()[i]);
            }
            for (int i = 1; i < n && p.chain() != ScalarProblem.NO_CHAIN; i++)
            {
                final MPConstraint order = mp.makeConstraint(0, Double.POSITIVE_INFINITY);
                order.setCoefficient(x[i], p.chain());
                order.setCoefficient(x[i - 1], -p.chain());
            }
            final MPObjective objective = mp.objective();
            for (int i = 0; i < n; i++)
            {
                objective.setCoefficient(x[i], p.k()[i]);
            }
            objective.setMaximization();
            assertEquals(MPSolver.ResultStatus.OPTIMAL, mp.solve());
            assertTrue(Double.isFinite(objective.value()));
            return objective.value() + constF;
        }
        finally
        {
            mp.delete();
        }
    }
}
