package io.decide.bench;

import io.decide.engine.adslot.AdSlotContext;
import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.adslot.AdSlotLogging;
import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.state.SessionStateCursor;
import io.decide.engine.state.SessionStateStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One ad-slot decision with its decision-log hand-off, as a host serves it: the decision of {@link AdSlotBenchmark}
 * (12 patterns, joint SAT and ADS XGBoost models of 100 trees each over 100 features, ε-greedy with floor and
 * holdout, session state read and updated in a Chronicle Map of 100,000 users) followed by
 * {@link AdSlotLogging#log}: claim a ring slot, copy the 12 probabilities and the 102-value replay row, publish
 * (BLOCK back-pressure, SLEEPING writer thread writing 1,000-byte records to memory-mapped segments).
 * {@link #decide} without the log and {@link #decideAndLog} with it run in the same JMH run so the load hits both;
 * {@link #decideAndLogAverage} in AverageTime mode gives the allocation figure ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdSlotLoggedBenchmark
{
    static final int USERS = 100_000;
    static final int ROWS = AdSlotBenchFixture.ROWS;

    private Path dir;
    private LoadedArtifact artifact;
    private SessionStateStore store;
    private SessionStateCursor state;
    private AdSlotDecider decider;
    private AdSlotContext context;
    private DecisionLog log;
    private AdSlotLogging logging;
    private double[][] rows;
    private long request;
    private long now = 1_767_225_600_000L;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        dir = Files.createTempDirectory("decide-adslot-logged-bench");
        artifact = AdSlotBenchFixture.open(dir, "adslot-logged-bench");
        decider = AdSlotDecider.of(artifact, 0);
        BenchArtifacts.check(decider.patternCount() == 12, "expected 12 patterns, got " + decider.patternCount());
        context = decider.newContext();
        store = SessionStateStore.open(dir.resolve("state.cmap"), USERS, 30L * 60 * 1000);
        state = store.newCursor();
        log = DecisionLog.open(DecisionLogConfig.defaults(dir.resolve("log")).withMaxActions(decider.patternCount())
            .withMaxFeatures(decider.contextFeatureCount() + AdSlotLogging.REPLAY_FIELDS));
        logging = new AdSlotLogging(log, decider, true);
        rows = AdSlotBenchFixture.rows(decider);
        for (int i = 0; i < 10_000; i++)
        {
            BenchArtifacts.check(decideAndLog() >= 0, "the log refused a decision");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        log.close();
        BenchArtifacts.check(log.dropped() == 0 && log.failures() == 0, "log dropped " + log.dropped() +
            ", failures " + log.failures() + ": " + log.lastFailure());
        store.close();
        artifact.close();
        BenchArtifacts.deleteRecursively(dir);
    }

    /** @return the decision alone (state read, 12 patterns x 2 models, probabilities, draw, state update). */
    @Benchmark
    public AdSlotDecision decide()
    {
        final long r = request++;
        now += 250;
        return decider.decide(r, AdSlotBenchmark.AdSlotRandomUsers.user(r, USERS), now, rows[(int)(r & (ROWS - 1))],
            state, context);
    }

    /** @return the log sequence of the decision handed off (the decision plus claim, copy, publish). */
    @Benchmark
    public long decideAndLog()
    {
        return logging.log(decide());
    }

    /**
     * {@link #decideAndLog} in AverageTime mode, for the allocation figure (SampleTime's own sample buffers
     * allocate).
     *
     * @return the log sequence.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long decideAndLogAverage()
    {
        return decideAndLog();
    }
}
