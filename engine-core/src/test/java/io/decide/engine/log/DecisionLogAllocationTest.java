package io.decide.engine.log;

import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.decide.engine.log.LogFixtures.ADSLOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer side of the log allocates nothing: claim, fill, publish; the copying offer; and a DROP refusal. */
class DecisionLogAllocationTest
{
    @TempDir
    Path dir;

    private DecisionLog log;
    private int id;
    private long requestId;
    private final double[] probabilities = {0.1, 0.2, 0.3, 0.4, 0.0, 0.0};
    private final double[] features = {1, 2, 3};

    private void claimFillPublish()
    {
        final long seq = log.claim();
        if (seq >= 0)
        {
            final DecisionEvent e = log.event(seq);
            final long r = requestId++;
            final double[] p = e.probabilities();
            for (int a = 0; a < 4; a++)
            {
                p[a] = probabilities[a];
            }
            e.requestId(r).userId(r + 1).timeEpochNanos(log.epochNanos()).artifact(id, 7)
                .kind(DecisionLogDescriptor.KIND_AD_SLOT).choice((int)(r & 3), 0, p[(int)(r & 3)]).actionCount(4)
                .features(features, 3);
            log.publish(seq);
        }
    }

    private void offer()
    {
        final long r = requestId++;
        log.offer(r, r + 1, log.epochNanos(), id, 7, DecisionLogDescriptor.KIND_AD_SLOT, 2, 0, 0.3, probabilities, 4,
            features, 3);
    }

    @Test
    void producerPathAllocatesNothingUnderBlock() throws Exception
    {
        try (DecisionLog opened = DecisionLog.open(DecisionLogConfig.defaults(dir).withMaxActions(6)
            .withMaxFeatures(3).withSegmentBytes(8L << 20)))
        {
            log = opened;
            id = log.artifactId(ADSLOT);
            AllocationAssert.assertZeroAllocation("claim + fill + publish", 50_000, 20_000, this::claimFillPublish);
            AllocationAssert.assertZeroAllocation("offer", 50_000, 20_000, this::offer);
            log.close();
            assertEquals(requestId, log.written());
            assertEquals(0, log.failures(), log.lastFailure());
        }
    }

    @Test
    void aDropRefusalAllocatesNothing() throws Exception
    {
        try (DecisionLog opened = DecisionLog.open(DecisionLogConfig.defaults(dir).withRingSize(4)
            .withBackPressure(DecisionLogConfig.BackPressure.DROP).withMaxActions(6)))
        {
            log = opened;
            id = log.artifactId(ADSLOT);
            final long[] held = new long[4];
            for (int i = 0; i < 4; i++)
            {
                held[i] = log.claim();
                log.event(held[i]).artifact(id, 1).actionCount(0);
            }
            AllocationAssert.assertZeroAllocation("dropped claim", 50_000, 20_000, this::claimFillPublish);
            assertTrue(log.dropped() >= 70_000, "dropped " + log.dropped());
            for (final long seq : held)
            {
                log.publish(seq);
            }
        }
    }
}
