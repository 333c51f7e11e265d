package io.decide.engine.adslot;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.state.SessionStateCursor;
import io.decide.engine.state.SessionStateStore;
import io.decide.format.adslot.AdSlotPolicyWriter;
import io.decide.format.gbdt.TreeEnsemble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.decide.format.adslot.AdSlotPolicyDescriptor.STATE_ADS_LAST_3_FEEDS;
import static io.decide.format.adslot.AdSlotPolicyDescriptor.STATE_POSTS_SINCE_LAST_AD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ad-slot decisions on hand-made models with known rewards. Context: feature 0 from the host, feature 1 = posts
 * since the last ad (state); joint models see [f0, posts, ad count, mask]. SAT by ad count 0/1/2 = 1.0/0.6/0.1,
 * ADS = 0/1/1.8; so with λ = 0.8 the rewards are 0.8/0.68/0.44 (no ad wins) and with λ = 0.2 0.2/0.92/1.46 (two
 * ads win, ties to the lowest index, mask 0b01010 = pattern 5 of the default space).
 */
class AdSlotDeciderTest
{
    private static final long T0 = 1_767_225_600_000L;
    private static final TreeEnsemble SAT = AdSlotFixtures.lookup(4, 2, 1.0, 0.6, 0.1);
    private static final TreeEnsemble ADS = AdSlotFixtures.lookup(4, 2, 0.0, 1.0, 1.8);

    @TempDir
    Path dir;

    private final List<LoadedArtifact> artifacts = new ArrayList<>();
    private SessionStateStore store;
    private SessionStateCursor state;

    @BeforeEach
    void openState() throws IOException
    {
        store = SessionStateStore.open(dir.resolve("state.cmap"), 1_000, 60_000);
        state = store.newCursor();
    }

    @AfterEach
    void close()
    {
        store.close();
        artifacts.forEach(LoadedArtifact::close);
    }

    private AdSlotDecider decider(final AdSlotPolicyWriter policy, final TreeEnsemble... models) throws IOException
    {
        final LoadedArtifact artifact = AdSlotFixtures.load(dir, "adslot" + artifacts.size(), 7, policy, models);
        artifacts.add(artifact);
        return AdSlotDecider.of(artifact, 0);
    }

    private static AdSlotPolicyWriter joint(final double lambda)
    {
        return new AdSlotPolicyWriter().contextFeatures(2).stateSlot(STATE_POSTS_SINCE_LAST_AD, 1).jointModels(0, 1)
            .lambda(lambda);
    }

    private static void assertSumsToOne(final AdSlotDecision d)
    {
        double sum = 0;
        for (final double p : d.probabilities())
        {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-12);
    }

    @Test
    void greedyTakesTheHighestRewardWithTiesToTheLowerIndex() throws IOException
    {
        final AdSlotDecider decider = decider(joint(0.2), SAT, ADS);
        assertSame(decider, AdSlotDecider.of(artifacts.get(0), 0));
        final AdSlotContext context = decider.newContext();
        final AdSlotDecision d = decider.decide(1, 100, T0, new double[]{0, 99}, state, context);
        assertEquals(5, d.pattern());
        assertEquals(0b01010, d.mask());
        assertEquals(2, d.adCount());
        assertEquals(1.0, d.propensity());
        assertEquals(1.0, d.probability(5));
        assertEquals(0.2, d.reward(0), 1e-15);
        assertEquals(0.92, d.reward(1), 1e-15);
        assertEquals(1.46, d.reward(7), 1e-15);
        assertEquals(0.0, d.features()[1], "a new user has 0 posts since an ad; the host's 99 is overwritten");
        assertEquals("adslot0", d.artifactName());
        assertEquals(7, d.artifactVersion());
        assertTrue(d.committed());
        final AdSlotDecider lowAds = decider(joint(0.8), SAT, ADS);
        assertEquals(0, lowAds.decide(2, 101, T0, new double[]{0, 0}, state, lowAds.newContext()).pattern());
    }

    @Test
    void epsilonGreedyAndTheFloorGiveTheStatedProbabilities() throws IOException
    {
        final AdSlotDecider decider = decider(joint(0.2).epsilonGreedy(0.1).floor(0.01), SAT, ADS);
        final AdSlotDecision d = decider.decide(3, 100, T0, new double[2], state, decider.newContext());
        assertEquals(8, d.allowedCount());
        final double scale = 1 - 8 * 0.01;
        for (int i = 0; i < 8; i++)
        {
            final double expected = 0.01 + scale * (0.1 / 8 + (i == 5 ? 0.9 : 0));
            assertEquals(expected, d.probability(i), 1e-15, "pattern " + i);
        }
        assertEquals(d.probability(d.pattern()), d.propensity());
        assertSumsToOne(d);
    }

    @Test
    void softmaxWeighsByExpRewardOverTemperature() throws IOException
    {
        final AdSlotDecider decider = decider(joint(0.2).softmax(0.5), SAT, ADS);
        final AdSlotDecision d = decider.decide(4, 100, T0, new double[2], state, decider.newContext());
        final double[] reward = {0.2, 0.92, 0.92, 0.92, 0.92, 1.46, 1.46, 1.46};
        double z = 0;
        for (final double r : reward)
        {
            z += Math.exp(r / 0.5);
        }
        for (int i = 0; i < 8; i++)
        {
            assertEquals(Math.exp(reward[i] / 0.5) / z, d.probability(i), 1e-12, "pattern " + i);
        }
        assertSumsToOne(d);
    }

    @Test
    void theMinimumGapHoldsAcrossFeeds() throws IOException
    {
        final AdSlotDecider decider = decider(joint(0.2).actionSpace(5, 2, 0b1, 2).epsilonGreedy(0.5), SAT, ADS);
        assertEquals(6, decider.patternCount(), "0, four one-ad masks and 0b10010");
        final AdSlotContext context = decider.newContext();
        AdSlotDecision d = null;
        long request = 0;
        while (d == null || d.mask() != 0b10010)
        {
            d = decider.decide(request++, 200 + request, T0, new double[2], state, context);
        }
        final long user = d.userId();
        assertEquals(0, state.postsSinceLastAd(), "the last slot held an ad");
        final AdSlotDecision next = decider.decide(request, user, T0 + 1_000, new double[2], state, context);
        assertEquals(4, next.allowedCount(), "the empty pattern and those whose first ad is at slot >= 2");
        assertFalse(next.allowed(1), "0b00010");
        assertEquals(0.0, next.probability(1));
        assertFalse(next.allowed(5), "0b10010");
        assertEquals(0.0, next.probability(5));
        assertTrue(next.allowed(0) && next.allowed(2) && next.allowed(3) && next.allowed(4));
        assertEquals(2, next.greedyPattern(), "the best allowed: one ad, lowest index (0b00100)");
        assertSumsToOne(next);
    }

    @Test
    void aNewSessionLiftsTheGapAcrossFeeds() throws IOException
    {
        final AdSlotDecider decider = decider(joint(0.2).actionSpace(5, 2, 0b1, 2), SAT, ADS);
        final AdSlotContext context = decider.newContext();
        assertEquals(0b10010, decider.decide(1, 300, T0, new double[2], state, context).mask());
        assertEquals(0b00100, decider.decide(2, 300, T0 + 60_000, new double[2], state, context).mask());
        assertEquals(0b10010, decider.decide(3, 300, T0 + 200_000, new double[2], state, context).mask(),
            "after the 60 s timeout the session is new");
    }

    @Test
    void holdoutUsersAreServedUniformly() throws IOException
    {
        final AdSlotDecider all = decider(joint(0.2).holdout(100, 42).floor(0.01), SAT, ADS);
        final AdSlotDecision d = all.decide(5, 100, T0, new double[2], state, all.newContext());
        assertTrue(d.holdout());
        for (int i = 0; i < 8; i++)
        {
            assertEquals(1.0 / 8, d.probability(i), 1e-15);
        }
        final AdSlotDecider half = decider(joint(0.2).holdout(50, 42), SAT, ADS);
        final AdSlotContext context = half.newContext();
        int held = 0;
        for (long user = 0; user < 10_000; user++)
        {
            final AdSlotDecision h = half.replay(user, user, new double[2], 0, false, context);
            assertEquals(AdSlotRandom.inHoldout(42, user, 50), h.holdout());
            held += h.holdout() ? 1 : 0;
            assertEquals(h.holdout(), half.replay(user + 1, user, new double[2], 0, false, context).holdout(),
                "holdout depends on the user only");
        }
        assertEquals(5_000, held, 200, "50% of users within 4 standard deviations");
    }

    @Test
    void staticBaselinePlacesAdsEveryPostGap() throws IOException
    {
        final AdSlotDecider decider = decider(new AdSlotPolicyWriter().staticBaseline(2, 3));
        final AdSlotContext context = decider.newContext();
        assertEquals(0b00100, decider.decide(1, 400, T0, new double[0], state, context).mask());
        assertEquals(0b00010, decider.decide(2, 400, T0 + 1, new double[0], state, context).mask(),
            "2 posts after the last ad, the first slot forbidden: the ad goes after the third post, at slot 1");
        assertEquals(3, state.postsSinceLastAd());
        assertEquals(0b00010, decider.decide(3, 400, T0 + 2, new double[0], state, context).mask());
        assertEquals(1.0, context.decision().propensity());
    }

    @Test
    void fatigueBaselineServesTheLowPatternAtOrAboveTheThreshold() throws IOException
    {
        final AdSlotDecider decider = decider(new AdSlotPolicyWriter().contextFeatures(2)
            .stateSlot(STATE_ADS_LAST_3_FEEDS, 1).fatigueBaseline(0, 2.5, 1, 5).epsilonGreedy(0.2));
        final AdSlotContext context = decider.newContext();
        assertEquals(5, decider.replay(1, 1, new double[]{1, 0}, 0, false, context).greedyPattern());
        assertEquals(1, decider.replay(1, 1, new double[]{2.5, 0}, 0, false, context).greedyPattern());
        final AdSlotDecision d = decider.replay(1, 1, new double[]{2.4, 0}, 0, false, context);
        assertEquals(0.8 + 0.2 / 8, d.probability(5), 1e-15);
        final AdSlotDecider gapped = decider(new AdSlotPolicyWriter().actionSpace(5, 2, 0b1, 2).contextFeatures(1)
            .fatigueBaseline(0, 2.5, 0, 5));
        final AdSlotDecision fallback = gapped.replay(1, 1, new double[]{0}, 0, true, gapped.newContext());
        assertEquals(2, fallback.greedyPattern(), "0b10010 is not allowed right after an ad: the allowed pattern " +
            "with the most ads (one), lowest index");
    }

    @Test
    void theSameRequestAndArtifactGiveTheSameDecision() throws IOException
    {
        final AdSlotDecider decider = decider(joint(0.2).epsilonGreedy(0.6), SAT, ADS);
        final AdSlotContext context = decider.newContext();
        int differentDraws = 0;
        for (long request = 0; request < 1_000; request++)
        {
            final AdSlotDecision a = decider.replay(request, 9, new double[2], 0, false, context);
            final int pattern = a.pattern();
            final double draw = a.draw();
            final AdSlotDecision b = decider.replay(request, 9, new double[2], 0, false, decider.newContext());
            assertEquals(pattern, b.pattern());
            assertEquals(draw, b.draw());
            assertEquals(AdSlotRandom.uniform(7, request), draw);
            differentDraws += AdSlotRandom.uniform(8, request) != draw ? 1 : 0;
        }
        assertEquals(1_000, differentDraws, "another artifact version draws differently");
    }

    @Test
    void commitOnRequestHoldsTheUpdateUntilCommitted() throws IOException
    {
        final AdSlotDecider decider = decider(joint(0.2), SAT, ADS);
        final PendingDecisions pending = new PendingDecisions(2);
        final AdSlotContext context = decider.newContext(pending);
        final AdSlotDecision d = decider.decide(10, 500, T0, new double[2], state, context);
        assertFalse(d.committed());
        assertEquals(1, pending.size());
        state.read(500, T0 + 1);
        assertEquals(0, state.feedDepth(), "not recorded before the commit");
        decider.decide(11, 501, T0, new double[2], state, context);
        final AdSlotDecision third = decider.decide(12, 502, T0, new double[2], state, context);
        assertTrue(third.committed(), "the table is full: recorded at once");
        assertEquals(1, pending.overflows());
        state.read(502, T0 + 1);
        assertEquals(1, state.feedDepth());
        assertTrue(decider.commit(10, state, context));
        assertFalse(decider.commit(10, state, context), "a decision commits once");
        assertFalse(decider.commit(12, state, context), "overflowed decisions were committed at decision time");
        state.read(500, T0 + 1);
        assertEquals(1, state.feedDepth());
        assertEquals(0b01010, state.prevAdMask());
        assertTrue(pending.remove(11));
        assertEquals(0, pending.size());
        assertNotEquals(0, decider.decide(13, 503, T0, new double[2], state, context).mask());
    }

    @Test
    void pendingTableSurvivesChurn()
    {
        final PendingDecisions pending = new PendingDecisions(100);
        final java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        final java.util.HashMap<Long, Long> reference = new java.util.HashMap<>();
        for (int step = 0; step < 200_000; step++)
        {
            final long id = random.nextLong(300);
            if (random.nextBoolean())
            {
                final boolean put = pending.put(id, id * 3, id, (int)id & 0xFF);
                if (put)
                {
                    reference.put(id, id * 3);
                }
                else
                {
                    assertEquals(100, reference.size());
                }
            }
            else
            {
                assertEquals(reference.remove(id) != null, pending.remove(id));
            }
            assertEquals(reference.size(), pending.size());
        }
        for (final long id : reference.keySet())
        {
            final int slot = pending.find(id);
            assertTrue(slot >= 0);
            assertEquals(id * 3, pending.userId(slot));
        }
    }
}
