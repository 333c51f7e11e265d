package io.decide.bench;

import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.quota.QuotaPacer;
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
 * The quota hot paths: {@link QuotaDecider#choose} for K = 10 and K = 200 options (cycling through 1,024 items
 * with concave value curves, so the argmax lands anywhere), and {@link QuotaPacer} updates and charges. Checks the
 * decider against a naive argmax (ties to the lower cost) first. The solver is timed by CLI runs (see README).
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
    private QuotaPacer pacer;
    private long clockNs;

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
        pacer = new QuotaPacer(1e15, 0.05, 0, Long.MAX_VALUE / 4, 1, QuotaPacer.DEFAULT_GAIN, 1e-6, 1e6);
    }

    /** @return k* of the next item with the decider's λ. */
    @Benchmark
    public int choose()
    {
        final int item = next++ & (ITEMS - 1);
        return decider.choose(values, item * options);
    }

    /** @return whether the update ran (every call is one interval later, so every call updates λ). */
    @Benchmark
    public boolean pacerUpdate()
    {
        clockNs += 2;
        pacer.tryCharge(1.0);
        return pacer.update(clockNs);
    }

    /** @return λ after charging one decision (the per-decision pacer cost without an update). */
    @Benchmark
    public double pacerChargeAndRead()
    {
        pacer.tryCharge(1.0);
        return pacer.lambda();
    }
}
