package io.decide.engine.adslot;

import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.log.DecisionLogDescriptor;
import io.decide.engine.log.DecisionLogReader;
import io.decide.engine.log.DecisionRecordFlyweight;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.state.SessionStateCursor;
import io.decide.engine.state.SessionStateStore;
import io.decide.format.adslot.AdSlotPolicyWriter;
import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.decide.format.adslot.AdSlotPolicyDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decisions handed to the decision log: the decide + log hand-off allocates nothing, every field reads back as the
 * decision had it, and the logged replay row makes {@link AdSlotDecider#replay} reproduce each decision exactly.
 */
class AdSlotLoggingTest
{
    private static final long T0 = 1_767_225_600_000L;
    private static final int C = 12;

    @TempDir
    Path dir;

    private AdSlotDecider decider;
    private AdSlotContext context;
    private SessionStateCursor state;
    private AdSlotLogging logging;
    private final double[] features = new double[C];
    private long request;
    private long sink;

    private static AdSlotPolicyWriter policy()
    {
        return new AdSlotPolicyWriter().actionSpace(6, 2, 0b1, 2).contextFeatures(C)
            .stateSlot(STATE_PREV_AD_MASK, 6).stateSlot(STATE_POSTS_SINCE_LAST_AD, 7)
            .stateSlot(STATE_ADS_LAST_3_FEEDS, 8).stateSlot(STATE_ADS_LAST_5_FEEDS, 9)
            .stateSlot(STATE_SESSION_AD_IMPRESSIONS, 10).stateSlot(STATE_IDLE_SECONDS, 11).jointModels(0, 1)
            .lambda(0.7).softmax(0.5).floor(0.005).holdout(5, 1);
    }

    private LoadedArtifact load(final String name) throws Exception
    {
        return AdSlotFixtures.load(dir, name, 3, policy(), AdSlotFixtures.random(1, C + 2, 100, 6),
            AdSlotFixtures.random(2, C + 2, 100, 6));
    }

    private void decideAndLog()
    {
        final long r = request++;
        features[0] = (r & 7) * 0.5;
        features[1] = (r % 13) * 0.1;
        sink += logging.log(decider.decide(r, r % 500, T0 + r * 1_000, features, state, context));
    }

    @Test
    void decideAndLogHandOffAllocatesNothing() throws Exception
    {
        final LoadedArtifact artifact = load("alloc");
        try (SessionStateStore store = SessionStateStore.open(dir.resolve("state.cmap"), 10_000, 30_000);
            DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir.resolve("log")).withMaxActions(32)
                .withMaxFeatures(C + AdSlotLogging.REPLAY_FIELDS).withSegmentBytes(16L << 20)))
        {
            decider = AdSlotDecider.of(artifact, 0);
            context = decider.newContext();
            state = store.newCursor();
            logging = new AdSlotLogging(log, decider, true);
            AllocationAssert.assertZeroAllocation("AdSlotDecider.decide + AdSlotLogging.log", 20_000, 5_000,
                this::decideAndLog);
            log.close();
            assertEquals(request, log.written());
            assertEquals(0, log.dropped());
            assertEquals(0, log.failures(), log.lastFailure());
        }
        finally
        {
            artifact.close();
        }
        assertTrue(sink >= 0);
    }

    @Test
    void loggedRecordsHoldTheDecisionAndReplayReproducesIt() throws Exception
    {
        final LoadedArtifact artifact = load("adslot");
        final List<double[]> probabilities = new ArrayList<>();
        final List<long[]> keys = new ArrayList<>();
        try (SessionStateStore store = SessionStateStore.open(dir.resolve("state.cmap"), 10_000, 30_000);
            DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir.resolve("log")).withMaxActions(32)
                .withMaxFeatures(C + AdSlotLogging.REPLAY_FIELDS)))
        {
            decider = AdSlotDecider.of(artifact, 0);
            context = decider.newContext();
            state = store.newCursor();
            logging = new AdSlotLogging(log, decider, true);
            for (int i = 0; i < 3_000; i++)
            {
                final long r = 1_000 + i;
                features[0] = (i % 11) * 0.3;
                features[3] = (i % 5) - 2;
                final AdSlotDecision d = decider.decide(r, i % 10, T0 + i * 2_000L, features, state, context);
                assertTrue(logging.log(d, 5_000L + i) >= 0);
                probabilities.add(d.probabilities().clone());
                keys.add(new long[]{r, i % 10, d.pattern(), d.postsSinceLastAd(), d.hadAdInSession() ? 1 : 0});
            }
        }

        final AdSlotContext replayContext = decider.newContext();
        boolean sawGapBinding = false;
        try (DecisionLogReader reader = DecisionLogReader.open(dir.resolve("log")))
        {
            int i = 0;
            final double[] row = new double[C];
            while (reader.next())
            {
                final DecisionRecordFlyweight record = reader.record();
                final long[] key = keys.get(i);
                assertEquals("adslot", reader.artifactName());
                assertEquals(key[0], record.requestId());
                assertEquals(key[1], record.userId());
                assertEquals(5_000L + i, record.timeEpochNanos());
                assertEquals(3, record.artifactVersion());
                assertEquals(DecisionLogDescriptor.KIND_AD_SLOT, record.kind());
                assertEquals(key[2], record.action());
                assertEquals(0, record.position());
                assertEquals(decider.patternCount(), record.actionCount());
                assertEquals(C + AdSlotLogging.REPLAY_FIELDS, record.featureCount());
                final double[] logged = new double[record.actionCount()];
                for (int a = 0; a < logged.length; a++)
                {
                    logged[a] = record.probability(a);
                }
                assertArrayEquals(probabilities.get(i), logged);
                assertEquals(logged[(int)key[2]], record.propensity());
                for (int f = 0; f < C; f++)
                {
                    row[f] = record.feature(f);
                }
                assertEquals(key[3], record.feature(C));
                assertEquals(key[4], record.feature(C + 1));
                final AdSlotDecision replayed = decider.replay(record.requestId(), record.userId(), row,
                    (int)record.feature(C), record.feature(C + 1) != 0, replayContext);
                assertArrayEquals(logged, replayed.probabilities(), "record " + i);
                assertEquals(record.action(), replayed.pattern(), "record " + i);
                for (int a = 0; a < logged.length; a++)
                {
                    sawGapBinding |= logged[a] == 0;
                }
                i++;
            }
            assertEquals(3_000, i);
        }
        finally
        {
            artifact.close();
        }
        assertTrue(sawGapBinding, "the cross-feed gap never removed a pattern: the replay row's state went untested");
    }

    @Test
    void aLogTooSmallForTheDeciderIsRefusedAtSetup() throws Exception
    {
        final LoadedArtifact artifact = load("small");
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir.resolve("log")).withMaxActions(4)
            .withMaxFeatures(C)))
        {
            final AdSlotDecider d = AdSlotDecider.of(artifact, 0);
            final IllegalArgumentException patterns = assertThrows(IllegalArgumentException.class,
                () -> new AdSlotLogging(log, d, false));
            assertTrue(patterns.getMessage().contains("patterns; the decision log holds 4"), patterns.getMessage());
        }
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir.resolve("log2")).withMaxActions(64)
            .withMaxFeatures(C)))
        {
            final AdSlotDecider d = AdSlotDecider.of(artifact, 0);
            final IllegalArgumentException features = assertThrows(IllegalArgumentException.class,
                () -> new AdSlotLogging(log, d, true));
            assertTrue(features.getMessage().contains("logs 14 features"), features.getMessage());
            new AdSlotLogging(log, d, false);
        }
        finally
        {
            artifact.close();
        }
    }
}
