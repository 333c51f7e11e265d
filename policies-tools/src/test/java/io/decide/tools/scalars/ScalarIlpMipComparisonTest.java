package io.decide.tools.scalars;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
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
 * Differential test of the discrete baseline ({@link DiscreteScalarSolver}, ILP (9) without a chain) against SCIP
 * through OR-Tools on the same multiple-choice knapsack: one binary per (cohort, tested scalar), one per cohort,
 * performance ≥ R. SCIP accepts a constraint violated by up to its feasibility tolerance (1e-6 absolute on a
 * performance sum of ~10 per cohort), so it may pick a combination ours correctly rejects; the comparison therefore
 * requires ours ≤ SCIP's objective + 1e-9 relative always, and equality within 1e-9 relative whenever SCIP's choice
 * is feasible by our exact evaluation. SCIP runs with relative MIP gap 0 (its default, 1e-4, stops early).
 */
class ScalarIlpMipComparisonTest
{
    private static final double[] TESTED = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};

    @BeforeAll
    static void load()
    {
        Loader.loadNativeLibraries();
    }

    @Test
    void branchAndBoundMatchesScip()
    {
        qt().withExamples(40).forAll(longs().all(), integers().between(1, 8), doubles().between(0, 0.1))
            .checkAssert((seed, n, rho) ->
            {
                final CohortFit[] fits = ScalarInstances.fits(seed, n, true);
                final double required = (1 - rho) * ScalarProblem.of(fits, 0.5, 2, 0, 0).uniformPerformance(1.0);
                final double[][] tested = new double[n][];
                java.util.Arrays.fill(tested, TESTED);
                final ScalarCertificate ours = new DiscreteScalarSolver(10_000_000).solve(fits, tested, required,
                    ScalarProblem.NO_CHAIN);
                final MPSolver mp = MPSolver.createSolver("SCIP");
                try
                {
                    final MPVariable[][] y = new MPVariable[n][TESTED.length];
                    final MPConstraint budget = mp.makeConstraint(required, Double.POSITIVE_INFINITY);
                    final MPObjective objective = mp.objective();
                    for (int i = 0; i < n; i++)
                    {
                        final MPConstraint one = mp.makeConstraint(1, 1);
                        for (int j = 0; j < TESTED.length; j++)
                        {
                            y[i][j] = mp.makeBoolVar("y" + i + "_" + j);
                            one.setCoefficient(y[i][j], 1);
                            budget.setCoefficient(y[i][j], fits[i].performance(TESTED[j]));
                            objective.setCoefficient(y[i][j], fits[i].engagement(TESTED[j]));
                        }
                    }
                    objective.setMaximization();
                    final MPSolverParameters parameters = new MPSolverParameters();
                    parameters.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);
                    assertEquals(MPSolver.ResultStatus.OPTIMAL, mp.solve(parameters));
                    final double scip = objective.value();
                    double performance = 0;
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < TESTED.length; j++)
                        {
                            performance += y[i][j].solutionValue() > 0.5 ? fits[i].performance(TESTED[j]) : 0;
                        }
                    }
                    assertTrue(ours.objective() <= scip + 1e-9 * Math.abs(scip), ours.objective() + " > " + scip);
                    if (performance >= required)
                    {
                        assertEquals(scip, ours.objective(), 1e-9 * Math.abs(scip));
                    }
                }
                finally
                {
                    mp.delete();
                }
            });
    }
}
