package io.decide.bench;

import io.decide.engine.quota.QuotaPacer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * {@link QuotaPacer} on one thread: a charge plus a λ update on every call (the clock advances one interval per
 * call), and a charge plus a λ read (the per-decision cost between updates). Checks first that updates happen.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QuotaPacerBenchmark
{
    private QuotaPacer pacer;
    private long clockNs;

    @Setup(Level.Trial)
    public void setUp()
    {
        pacer = new QuotaPacer(1e15, 0.05, 0, Long.MAX_VALUE / 4, 1, QuotaPacer.DEFAULT_GAIN, 1e-6, 1e6);
        clockNs = 2;
        BenchArtifacts.check(pacer.tryCharge(1.0) && pacer.update(clockNs), "pacer did not update");
    }

    /** @return whether the update ran (it does on every call). */
    @Benchmark
    public boolean chargeAndUpdate()
    {
        clockNs += 2;
        pacer.tryCharge(1.0);
        return pacer.update(clockNs);
    }

    /** @return λ after charging one decision. */
    @Benchmark
    public double chargeAndRead()
    {
        pacer.tryCharge(1.0);
        return pacer.lambda();
    }
}
