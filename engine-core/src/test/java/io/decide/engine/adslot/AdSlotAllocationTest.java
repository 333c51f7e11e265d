package io.decide.engine.adslot;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.state.SessionStateCursor;
import io.decide.engine.state.SessionStateStore;
import io.decide.format.adslot.AdSlotPolicyWriter;
import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.decide.format.adslot.AdSlotPolicyDescriptor.*;

/**
 * A whole ad-slot decision — state read, allowed subset, SAT and ADS models (100 trees each) over every allowed
 * pattern, softmax with floor, draw, state update, and the commit-on-request path — allocates nothing.
 */
class AdSlotAllocationTest
{
    private static final long T0 = 1_767_225_600_000L;

    @TempDir
    Path dir;

    private AdSlotDecider decider;
    private AdSlotContext context;
    private AdSlotContext pendingContext;
    private SessionStateCursor state;
    private double[] features;
    private long request;
    private long sink;

    @Test
    void aWholeDecisionAllocatesNothing() throws IOException
    {
        final int c = 12;
        final AdSlotPolicyWriter policy = new AdSlotPolicyWriter().actionSpace(6, 2, 0b1, 1).contextFeatures(c)
            .stateSlot(STATE_PREV_AD_MASK, 6).stateSlot(STATE_POSTS_SINCE_LAST_AD, 7).stateSlot(STATE_ADS_LAST_3_FEEDS, 8)
            .stateSlot(STATE_ADS_LAST_5_FEEDS, 9).stateSlot(STATE_SESSION_AD_IMPRESSIONS, 10)
            .stateSlot(STATE_IDLE_SECONDS, 11).jointModels(0, 1).lambda(0.8).softmax(0.5).floor(0.005)
            .holdout(5, 1);
        final LoadedArtifact artifact = AdSlotFixtures.load(dir, "alloc", 1, policy,
            AdSlotFixtures.random(1, c + 2, 100, 6), AdSlotFixtures.random(2, c + 2, 100, 6));
        try (SessionStateStore store = SessionStateStore.open(dir.resolve("state.cmap"), 10_000, 30_000))
        {
            decider = AdSlotDecider.of(artifact, 0);
            context = decider.newContext();
            pendingContext = decider.newContext(new PendingDecisions(64));
            state = store.newCursor();
            features = new double[c];
            for (int i = 0; i < c; i++)
            {
                features[i] = i * 0.37 - 1;
            }
            AllocationAssert.assertZeroAllocation("AdSlotDecider.decide (state + models + update)", 20_000, 5_000,
                () ->
                {
                    final long r = request++;
                    features[0] = (r & 7) * 0.5;
                    sink += decider.decide(r, r % 1_000, T0 + r * 100, features, state, context).mask();
                });
            AllocationAssert.assertZeroAllocation("AdSlotDecider.decide + commit", 20_000, 5_000, () ->
            {
                final long r = request++;
                sink += decider.decide(r, r % 1_000, T0 + r * 100, features, state, pendingContext).mask();
                sink += decider.commit(r, state, pendingContext) ? 1 : 0;
            });
        }
        finally
        {
            artifact.close();
        }
    }
}
