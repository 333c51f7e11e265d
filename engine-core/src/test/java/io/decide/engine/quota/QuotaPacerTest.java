package io.decide.engine.quota;

import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaPacerTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;

    private static QuotaPacer pacer(final double budget)
    {
        return new QuotaPacer(budget, 1.0, 0, HOUR, SECOND, QuotaPacer.DEFAULT_GAIN, 1e-3, 1e3);
    }

    @Test
    void chargesUpToTheBudgetAndNoFurther()
    {
        final QuotaPacer pacer = pacer(10);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(pacer.tryCharge(1.0));
        }
        assertFalse(pacer.tryCharge(0.5));
        assertTrue(pacer.tryCharge(0.0));
        assertEquals(10.0, pacer.spent());
    }

    @Test
    void overspendingRaisesLambdaAndUnderspendingLowersIt()
    {
        final QuotaPacer fast = pacer(3600);
        fast.tryCharge(10);
        assertTrue(fast.update(2 * SECOND));
        assertTrue(fast.lambda() > 1.0, "spent 5/s against 1/s planned: " + fast.lambda());
        assertFalse(fast.update(2 * SECOND + SECOND / 2), "less than an interval since the last update");

        final QuotaPacer slow = pacer(3600);
        slow.tryCharge(0.2);
        assertTrue(slow.update(2 * SECOND));
        assertTrue(slow.lambda() < 1.0, "spent 0.1/s against 1/s planned: " + slow.lambda());

        final QuotaPacer onPlan = pacer(3600);
        onPlan.tryCharge(2);
        assertTrue(onPlan.update(2 * SECOND));
        assertEquals(1.0, onPlan.lambda(), 1e-3, "on plan");
    }

    @Test
    void lambdaStaysWithinItsBoundsAndRecoversFromZero()
    {
        final QuotaPacer pacer = new QuotaPacer(100, 0.0, 0, HOUR, SECOND, 2.0, 0.01, 4.0);
        for (int i = 1; i < 50; i++)
        {
            pacer.tryCharge(1);
            pacer.update(i * SECOND);
            assertTrue(pacer.lambda() >= 0.01 && pacer.lambda() <= 4.0, "" + pacer.lambda());
        }
        assertEquals(4.0, pacer.lambda(), "overspending by far pins λ at its maximum");
    }

    @Test
    void followsTheTargetCurve()
    {
        final QuotaPacer pacer = new QuotaPacer(100, 1.0, 0, HOUR, SECOND, 0.5, 1e-3, 1e3,
            new double[]{0, 0.1, 1});
        assertEquals(0.05, pacer.share(0.25), 1e-12);
        assertEquals(0.55, pacer.share(0.75), 1e-12);
        // first half plans 0.1 of the budget: 10 over 1800 s; spending at that rate keeps λ.
        pacer.tryCharge(10.0 / 1800 * 10);
        assertTrue(pacer.update(10 * SECOND));
        assertEquals(1.0, pacer.lambda(), 1e-2);
    }

    @Test
    void startsFromTheArtifactsLambdaAndGain()
    {
        final QuotaDecider decider = new QuotaDecider(new double[]{0, 1}, 0.2, 0);
        final QuotaPacer pacer = QuotaPacer.of(decider, 3600, 0, HOUR, SECOND);
        assertEquals(0.2, pacer.lambda());
        pacer.tryCharge(10);
        assertTrue(pacer.update(2 * SECOND));
        assertEquals(0.2 * Math.exp(QuotaPacer.DEFAULT_GAIN), pacer.lambda(), 1e-12,
            "5/s against 1/s: the log error clamps at 1, so λ grows by exp(gain)");
    }

    @Test
    void refusesBadConstruction()
    {
        assertThrows(IllegalArgumentException.class, () -> pacer(0));
        assertThrows(IllegalArgumentException.class,
            () -> new QuotaPacer(1, 1, 0, 0, 1, 0.5, 1e-3, 1));
        assertThrows(IllegalArgumentException.class,
            () -> new QuotaPacer(1, 1, 0, 1, 1, 0.5, 0, 1));
        assertThrows(IllegalArgumentException.class,
            () -> new QuotaPacer(1, 1, 0, 10, 1, 0.5, 1e-3, 1, new double[]{0, 0.7, 0.5, 1}));
    }

    @Test
    void concurrentChargesNeverExceedTheBudgetAndLoseNothing() throws Exception
    {
        final double budget = 50_000;
        final QuotaPacer pacer = new QuotaPacer(budget, 1.0, 0, 1_000_000, 10, 0.5, 1e-3, 1e3);
        final int threads = 2;
        final AtomicLong charged = new AtomicLong();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                long mine = 0;
                for (int i = 0; i < 40_000; i++)
                {
                    if (pacer.tryCharge(1.0))
                    {
                        mine++;
                    }
                    pacer.update(i * 20L);
                }
                charged.addAndGet(mine);
            });
            workers[t].start();
        }
        start.countDown();
        for (final Thread worker : workers)
        {
            worker.join();
        }
        assertEquals(50_000, charged.get(), "every charge accepted until the budget, none after");
        assertEquals(budget, pacer.spent());
        assertTrue(pacer.lambda() > 1.0);
    }

    private QuotaPacer allocPacer;
    private long clockNs;
    private double sink;

    @Test
    void chargingReadingAndUpdatingAllocateNothing()
    {
        allocPacer = new QuotaPacer(1e12, 1.0, 0, Long.MAX_VALUE / 2, 1, 0.5, 1e-3, 1e3);
        AllocationAssert.assertZeroAllocation("pacer charge + update + lambda", 50_000, 20_000, () ->
        {
            allocPacer.tryCharge(1.0);
            clockNs += 1000;
            allocPacer.update(clockNs);
            sink += allocPacer.lambda();
        });
        assertTrue(allocPacer.updates() > 0);
    }
}
