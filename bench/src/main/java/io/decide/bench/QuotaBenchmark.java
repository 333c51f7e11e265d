package io.decide.bench;

import io.decide.engine.quota.QuotaDecider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The quota decision: {@link QuotaDecider#choose} for K = 10 and K = 200 options, cycling through 1,024 items
 * with concave value curves, so the argmax lands anywhere. Checks the decider against a naive argmax (ties to the
 * lower cost) first. The pacer is measured by {@link QuotaPacerBenchmark}; the solver by CLI runs (see README).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QuotaBenchmark
{
    static final int ITEMS = 1024;

    @Param({"10", "200"})
    int options;

    private QuotaDecider decider;
    private double[] values;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final double[] costs = new double[options];
        for (int k = 0; k < options; k++)
        {
            costs[k] = k;
        }
        values = new double[ITEMS * options];
        for (int i = 0; i < ITEMS; i++)
        {
            final double a = Math.exp(random.nextDouble() * 4 - 2);
            final double b = (0.2 + random.nextDouble()) * 10.0 / options;
            for (int k = 0; k < options; k++)
            {
                values[i * options + k] = a * (1 - Math.exp(-b * k));
            }
        }
        decider = new QuotaDecider(costs, 0.05, 0);
        for (int i = 0; i < ITEMS; i++)
        {
            int best = 0;
            for (int k = 1; k < options; k++)
            {
                if (values[i * options + k] - 0.05 * costs[k] > values[i * options + best] - 0.05 * costs[best])
                {
                    best = k;
                }
            }
            BenchArtifacts.check(best == decider.choose(values, i * options), "decider disagrees with naive argmax");
        }
    }

    /** @return k* of the next item with the decider's λ. */
    @Benchmark
    public int choose()
    {
        final int item = next++ & (ITEMS - 1);
        return decider.choose(values, item * options);
    }
}
