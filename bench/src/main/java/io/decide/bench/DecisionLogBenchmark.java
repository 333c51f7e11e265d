package io.decide.bench;

import io.decide.engine.log.DecisionEvent;
import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.log.DecisionLogDescriptor;
import io.decide.engine.log.DecisionLogReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The decision log ({@link DecisionLog}) for ad-slot decisions of K = 12 actions (a 160-byte record), under each
 * writer wait strategy:
 * <ul>
 *   <li>{@link #sustained}: one producer hands off {@value #BATCH} decisions (BLOCK back-pressure) and
 *       waits until the writer has committed all of them to the mapped segments, so the rate is what the writer
 *       sustains end to end (64 MiB segments rolled and truncated as they fill);</li>
 *   <li>{@link #handOff}: the latency of one claim + fill + publish, the cost a decision pays; before each
 *       call (untimed) the producer waits until the ring is at most half full, so back-pressure is not measured.</li>
 * </ul>
 * Setup checks that what was written reads back. Sealed segments are deleted after each iteration to bound disk use.
 */
public class DecisionLogBenchmark
{
    static final int ACTIONS = 12;
    static final int BATCH = 100_000;

    /** The log and a decision to write. */
    @State(Scope.Thread)
    public static class LogState
    {
        @Param({"SLEEPING", "BLOCKING", "YIELDING"})
        public String waitStrategy;

        Path dir;
        DecisionLog log;
        int artifact;
        long requestId;
        final double[] probabilities = new double[ACTIONS];

        @Setup(Level.Trial)
        public void open() throws IOException
        {
            dir = Files.createTempDirectory("decide-log-bench");
            log = DecisionLog.open(DecisionLogConfig.defaults(dir).withMaxActions(ACTIONS)
                .withWaitStrategy(DecisionLogConfig.WaitStrategyKind.valueOf(waitStrategy)));
            artifact = log.artifactId("adslot");
            for (int a = 0; a < ACTIONS; a++)
            {
                probabilities[a] = 1.0 / ACTIONS;
            }
            for (int i = 0; i < 1000; i++)
            {
                handOff();
            }
            awaitWritten();
            check();
        }

        /** One decision: claim, fill, publish. */
        final void handOff()
        {
            final DecisionLog log = this.log;
            final long seq = log.claim();
            final DecisionEvent e = log.event(seq);
            final long r = requestId++;
            final int action = (int)(r % ACTIONS);
            System.arraycopy(probabilities, 0, e.probabilities(), 0, ACTIONS);
            e.requestId(r).userId(r * 31).timeEpochNanos(log.epochNanos()).artifact(artifact, 7)
                .kind(DecisionLogDescriptor.KIND_AD_SLOT).choice(action, 0, probabilities[action])
                .actionCount(ACTIONS);
            log.publish(seq);
        }

        final void awaitWritten()
        {
            while (log.written() < requestId)
            {
                LockSupport.parkNanos(1000);
            }
        }

        private void check() throws IOException
        {
            try (DecisionLogReader reader = DecisionLogReader.open(dir))
            {
                long r = 0;
                while (reader.next())
                {
                    BenchArtifacts.check(reader.record().requestId() == r && reader.record().actionCount() == ACTIONS,
                        "decision log read back a different record at " + r);
                    r++;
                }
                BenchArtifacts.check(r == requestId, "decision log read back " + r + " of " + requestId);
            }
        }

        /** Untimed, before every call: wait until the ring is at most half full, so hand-off excludes back-pressure. */
        @Setup(Level.Invocation)
        public void room()
        {
            final long half = log.config().ringSize() / 2;
            while (log.pending() > half)
            {
                LockSupport.parkNanos(1000);
            }
        }

        @TearDown(Level.Iteration)
        public void dropSealedSegments() throws IOException
        {
            awaitWritten();
            final Path current = log.currentSegment();
            for (final Path file : DecisionLogReader.segmentFiles(dir))
            {
                if (!file.equals(current))
                {
                    Files.delete(file);
                }
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException
        {
            log.close();
            BenchArtifacts.check(log.failures() == 0 && log.rejected() == 0 && log.dropped() == 0,
                "decision log failures " + log.failures() + ", rejected " + log.rejected() + ", dropped " +
                log.dropped() + ": " + log.lastFailure());
            BenchArtifacts.deleteRecursively(dir);
        }
    }

    /**
     * Writer throughput, end to end.
     *
     * @param state the log.
     * @return records committed so far.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long sustained(final LogState state)
    {
        for (int i = 0; i < BATCH; i++)
        {
            state.handOff();
        }
        state.awaitWritten();
        return state.log.written();
    }

    /**
     * Producer hand-off latency.
     *
     * @param state the log.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void handOff(final LogState state)
    {
        state.handOff();
    }
}
