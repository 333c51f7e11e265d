package io.decide.bench;

import io.decide.tools.scalars.CohortFit;
import io.decide.tools.scalars.ScalarCertificate;
import io.decide.tools.scalars.ScalarDualSolver;
import io.decide.tools.scalars.ScalarProblem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One exact lpqc-sorted solve ({@link ScalarDualSolver}: Lagrangian bisection with pool-adjacent-violators) for N
 * cohorts with concave quadratic performance curves, ρ = 1%, bounds [0.5, 2], decreasing chain, the budget binding.
 * Checks first that the answer is feasible, monotone and certified (gap ≤ 1e-9 relative). No general conic solver
 * (ECOS, Clarabel) is available on Maven Central for the JVM to time beside it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScalarSolverBenchmark
{
    @Param({"10", "100", "1000", "10000"})
    public int cohorts;

    private ScalarProblem problem;
    private final ScalarDualSolver solver = new ScalarDualSolver();

    @Setup(Level.Trial)
    public void setUp()
    {
        final Random random = new Random(42);
        final CohortFit[] fits = new CohortFit[cohorts];
        for (int i = 0; i < cohorts; i++)
        {
            final double s = (double)i / Math.max(1, cohorts - 1);
            final double e0 = 50 + 50 * random.nextDouble();
            final double kappa = -0.005 - 0.06 * s + 0.004 * (random.nextDouble() - 0.5);
            final double p0 = 80 + 40 * random.nextDouble();
            final double beta = 0.06 + 0.04 * random.nextDouble();
            final double gamma = 0.015 + 0.015 * random.nextDouble();
            fits[i] = new CohortFit(i, e0 * kappa, e0 * (1 - kappa), -p0 * gamma, p0 * (beta + 2 * gamma),
                p0 * (1 - beta - gamma));
        }
        final ScalarProblem probe = ScalarProblem.of(fits, 0.5, 2.0, 0, ScalarProblem.DECREASING);
        problem = ScalarProblem.of(fits, 0.5, 2.0, 0.99 * probe.uniformPerformance(1.0), ScalarProblem.DECREASING);
        final ScalarCertificate c = solver.solve(problem);
        BenchArtifacts.check(c.residual() >= 0, "infeasible answer");
        BenchArtifacts.check(Math.abs(c.gap()) <= 1e-9 * Math.abs(c.objective()), "gap " + c.gap());
        BenchArtifacts.check(c.multiplier() > 0, "budget does not bind");
        for (int i = 1; i < cohorts; i++)
        {
            BenchArtifacts.check(c.x()[i] <= c.x()[i - 1], "not monotone");
        }
    }

    /** @return the optimal engagement. */
    @Benchmark
    public double lpqcSorted()
    {
        return solver.solve(problem).objective();
    }
}
