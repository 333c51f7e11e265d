package io.decide.bench;

import io.decide.engine.adslot.AdSlotContext;
import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotDecision;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One ad-slot decision as served: 12 patterns (6 slots, at most 2 ads, first slot forbidden, min gap 1), joint SAT
 * and ADS XGBoost models of 100 trees (depth 6) and 100 trees (depth 5) over 100 features (98 context features, 7
 * of them state, then ad count and mask), ε-greedy with floor, and the session state read and updated in a
 * persisted Chronicle Map of 100,000 users. {@link #decide} is the whole decision; {@link #modelsOnly} the same
 * decision from a ready row without the state store, and {@link #stateOnly} the state read and record alone, so
 * the parts can be compared in one run; {@link #decidePerPattern} and {@link #modelsOnlyPerPattern} are the same with
 * the action trees evaluated once per pattern (the path before {@code PatternTrees}), as the baseline. SampleTime mode (p50/p99/p99.9 of single decisions), and
 * {@link #decideAverage} in AverageTime mode for the allocation figure. Checks decisions before timing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdSlotBenchmark
{
    static final int USERS = 100_000;
    static final int ROWS = AdSlotBenchFixture.ROWS;

    private Path dir;
    private LoadedArtifact artifact;
    private SessionStateStore store;
    private SessionStateCursor state;
    private AdSlotDecider decider;
    private AdSlotContext context;
    private AdSlotContext perPatternContext;
    private double[][] rows;
    private long request;
    private long now = 1_767_225_600_000L;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        dir = Files.createTempDirectory("decide-adslot-bench");
        artifact = AdSlotBenchFixture.open(dir, "adslot-bench");
        decider = AdSlotDecider.of(artifact, 0);
        BenchArtifacts.check(decider.patternCount() == 12, "expected 12 patterns, got " + decider.patternCount());
        context = decider.newContext();
        perPatternContext = decider.newContext().evaluateActionTreesPerPattern(true);
        store = SessionStateStore.open(dir.resolve("state.cmap"), USERS, 30L * 60 * 1000);
        state = store.newCursor();
        rows = AdSlotBenchFixture.rows(decider);
        for (int i = 0; i < 2_000; i++)
        {
            final long r = request++;
            final AdSlotDecision fast = decider.replay(r, r, rows[(int)(r & (ROWS - 1))], 3, false, context);
            final AdSlotDecision slow = decider.replay(r, r, rows[(int)(r & (ROWS - 1))], 3, false,
                perPatternContext);
            BenchArtifacts.check(fast.pattern() == slow.pattern() && fast.propensity() == slow.propensity(),
                "pattern trees and per-pattern evaluation disagree");
            for (int p = 0; p < decider.patternCount(); p++)
            {
                BenchArtifacts.check(fast.probability(p) == slow.probability(p),
                    "pattern trees and per-pattern probabilities disagree");
            }
        }
        for (int i = 0; i < 10_000; i++)
        {
            final AdSlotDecision d = decide();
            double sum = 0;
            for (int p = 0; p < decider.patternCount(); p++)
            {
                sum += d.probability(p);
                BenchArtifacts.check(d.allowed(p) || d.probability(p) == 0, "disallowed pattern has probability");
            }
            BenchArtifacts.check(Math.abs(sum - 1) <= 1e-12, "probabilities sum to " + sum);
            BenchArtifacts.check(d.allowed(d.pattern()) && d.propensity() >= decider.floor(), "bad decision");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        store.close();
        artifact.close();
        Files.deleteIfExists(dir.resolve("state.cmap"));
        Files.deleteIfExists(dir.resolve("adslot.dpol"));
        Files.deleteIfExists(dir);
    }

    /** @return the whole decision: state read, 12 patterns x 2 models, probabilities, draw, state update. */
    @Benchmark
    public AdSlotDecision decide()
    {
        final long r = request++;
        now += 250;
        return decider.decide(r, AdSlotRandomUsers.user(r, USERS), now, rows[(int)(r & (ROWS - 1))], state, context);
    }

    /**
     * The whole decision again in AverageTime mode: SampleTime's own sample buffers allocate per iteration, which
     * at tens of µs per call shows up as tens of B/op; this mode's {@code gc.alloc.rate.norm} is the decision's.
     *
     * @return the decision.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public AdSlotDecision decideAverage()
    {
        return decide();
    }

    /**
     * Baseline: {@link #decide} with the action trees evaluated once per allowed pattern (the path before pattern
     * trees), on its own context and state cursor position.
     *
     * @return the decision.
     */
    @Benchmark
    public AdSlotDecision decidePerPattern()
    {
        final long r = request++;
        now += 250;
        return decider.decide(r, AdSlotRandomUsers.user(r, USERS), now, rows[(int)(r & (ROWS - 1))], state,
            perPatternContext);
    }

    /**
     * Baseline of {@link #modelsOnly}: action trees once per allowed pattern.
     *
     * @return the decision.
     */
    @Benchmark
    public AdSlotDecision modelsOnlyPerPattern()
    {
        final long r = request++;
        return decider.replay(r, r, rows[(int)(r & (ROWS - 1))], (int)(r & 7), (r & 8) != 0, perPatternContext);
    }

    /** @return the same decision from a ready row, no state store (what OPE replay does). */
    @Benchmark
    public AdSlotDecision modelsOnly()
    {
        final long r = request++;
        return decider.replay(r, r, rows[(int)(r & (ROWS - 1))], (int)(r & 7), (r & 8) != 0, context);
    }

    /** @return the state read and record alone. */
    @Benchmark
    public int stateOnly()
    {
        final long r = request++;
        now += 250;
        final long user = AdSlotRandomUsers.user(r, USERS);
        state.read(user, now);
        final int posts = state.postsSinceLastAd();
        state.record(user, (int)(r & 0b10100), 6, now);
        return posts;
    }

    /** Users spread over the table by a multiplicative hash of the request. */
    static final class AdSlotRandomUsers
    {
        private AdSlotRandomUsers()
        {
        }

        static long user(final long request, final int users)
        {
            return Math.floorMod(request * 0x9E37_79B9_7F4A_7C15L, users);
        }
    }
}
