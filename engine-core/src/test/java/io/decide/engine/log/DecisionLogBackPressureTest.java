package io.decide.engine.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static io.decide.engine.log.LogFixtures.ADSLOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BLOCK waits for the writer and loses nothing; DROP returns at once and counts what it drops. The ring is filled
 * deterministically by claiming every slot without publishing (the writer stops at the first unpublished slot).
 */
class DecisionLogBackPressureTest
{
    private static final int RING = 8;

    @TempDir
    Path dir;

    @Test
    void dropReturnsDroppedWhenTheRingIsFullAndCountsIt() throws Exception
    {
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir).withRingSize(RING)
            .withBackPressure(DecisionLogConfig.BackPressure.DROP).withMaxActions(4)))
        {
            final int id = log.artifactId(ADSLOT);
            final long[] claimed = new long[RING];
            for (int i = 0; i < RING; i++)
            {
                claimed[i] = log.claim();
                assertEquals(i, claimed[i]);
                LogFixtures.fill(log.event(claimed[i]), i, id, 4, 0);
            }
            assertEquals(DecisionLog.DROPPED, log.claim());
            assertFalse(log.offer(99, 0, 0, id, 1, 4, 0, 0, 1.0, new double[]{1.0}, 1, null, 0));
            assertEquals(2, log.dropped());
            for (final long seq : claimed)
            {
                log.publish(seq);
            }
            log.close();
            assertEquals(RING, log.written());
            assertEquals(2, log.dropped());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), LogFixtures.requestIds(dir));
    }

    @Test
    void blockWaitsForTheWriterToFreeASlot() throws Exception
    {
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir).withRingSize(RING)
            .withBackPressure(DecisionLogConfig.BackPressure.BLOCK).withMaxActions(4)))
        {
            final int id = log.artifactId(ADSLOT);
            final long[] claimed = new long[RING];
            for (int i = 0; i < RING; i++)
            {
                claimed[i] = log.claim();
                LogFixtures.fill(log.event(claimed[i]), i, id, 4, 0);
            }
            final CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(log::claim);
            assertThrows(TimeoutException.class, () -> blocked.get(300, TimeUnit.MILLISECONDS));
            log.publish(claimed[0]);
            final long next = blocked.get(10, TimeUnit.SECONDS);
            assertEquals(RING, next);
            LogFixtures.fill(log.event(next), RING, id, 4, 0);
            log.publish(next);
            for (int i = 1; i < RING; i++)
            {
                log.publish(claimed[i]);
            }
            log.close();
            assertEquals(RING + 1, log.written());
            assertEquals(0, log.dropped());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), LogFixtures.requestIds(dir));
    }

    @Test
    void concurrentProducersUnderBothPoliciesAccountForEveryDecision() throws Exception
    {
        for (final DecisionLogConfig.BackPressure policy : DecisionLogConfig.BackPressure.values())
        {
            final Path sub = dir.resolve(policy.name());
            final int perThread = 100_000;
            final int threads = 3;
            final AtomicLong offered = new AtomicLong();
            final DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(sub).withRingSize(64)
                .withBackPressure(policy).withMaxActions(8).withSegmentBytes(1 << 20));
            final int id = log.artifactId(ADSLOT);
            final Thread[] producers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                final long base = (long)t * perThread;
                producers[t] = new Thread(() ->
                {
                    for (long r = base; r < base + perThread; r++)
                    {
                        offered.incrementAndGet();
                        final long seq = log.claim();
                        if (seq >= 0)
                        {
                            LogFixtures.fill(log.event(seq), r, id, 8, 0);
                            log.publish(seq);
                        }
                    }
                });
                producers[t].start();
            }
            for (final Thread producer : producers)
            {
                producer.join();
            }
            log.close();
            assertEquals(threads * perThread, offered.get());
            assertEquals(offered.get(), log.written() + log.dropped(), policy.name());
            if (policy == DecisionLogConfig.BackPressure.BLOCK)
            {
                assertEquals(0, log.dropped());
            }
            final boolean[] seen = new boolean[threads * perThread];
            long count = 0;
            try (DecisionLogReader reader = DecisionLogReader.open(sub))
            {
                final long[] lastPerThread = {-1, -1, -1};
                while (reader.next())
                {
                    final long r = reader.record().requestId();
                    LogFixtures.check(reader, r, ADSLOT, 8, 0);
                    assertFalse(seen[(int)r], "request " + r + " twice");
                    seen[(int)r] = true;
                    final int t = (int)(r / perThread);
                    assertTrue(r > lastPerThread[t], "a thread's decisions out of order at " + r);
                    lastPerThread[t] = r;
                    count++;
                }
                assertEquals(List.of(), reader.tornTails());
            }
            assertEquals(log.written(), count, policy.name());
        }
    }

    @Test
    void closeRacingProducersWritesEveryClaimThatSucceededAndRefusesTheRest() throws Exception
    {
        for (int round = 0; round < 20; round++)
        {
            final DecisionLogConfig.BackPressure policy = DecisionLogConfig.BackPressure.values()[round % 2];
            final Path sub = dir.resolve("race-" + round);
            final DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(sub).withRingSize(64)
                .withBackPressure(policy).withMaxActions(8));
            final int id = log.artifactId(ADSLOT);
            final int threads = 3;
            final long[] succeeded = new long[threads];
            final Thread[] producers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                producers[t] = new Thread(() ->
                {
                    long r = (long)thread << 40;
                    while (true)
                    {
                        final long seq = log.claim();
                        if (seq == DecisionLog.CLOSED)
                        {
                            return;
                        }
                        if (seq >= 0)
                        {
                            LogFixtures.fill(log.event(seq), r, id, 8, 0);
                            log.publish(seq);
                            succeeded[thread]++;
                        }
                        r++;
                    }
                });
                producers[t].start();
            }
            Thread.sleep(5 + round);
            log.close();
            for (final Thread producer : producers)
            {
                producer.join();
            }
            final long total = succeeded[0] + succeeded[1] + succeeded[2];
            assertTrue(total > 0);
            assertEquals(total, log.written(), policy + " round " + round);
            assertEquals(0, log.failures(), log.lastFailure());
            assertEquals(total, LogFixtures.requestIds(sub).size());
        }
    }
}
