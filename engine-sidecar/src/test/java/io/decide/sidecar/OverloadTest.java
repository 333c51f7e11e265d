package io.decide.sidecar;

import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.client.PipelinedClient;
import io.decide.sidecar.daemon.Daemon;
import io.decide.testsupport.DecisionArtifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offered load at twice the daemon's measured capacity (more if that does not overload it), with slow decisions (a
 * 2,000-tree model): every request is answered with status OK, decided or shed to the fallback; the daemon's heap
 * stays bounded; and, on a machine that is not oversubscribed, no more answers come more than 10 ms after their
 * deadline than a control run at half capacity shows (twice it, plus 2%), counting only requests whose send the
 * generator started on time (one its own thread sent late, because it was not running, is not the daemon's doing).
 */
class OverloadTest
{
    private static final long BUDGET_NANOS = 50_000_000L;
    /** Scheduling allowance: this 2-core machine runs other builds; a descheduled thread misses by milliseconds. */
    private static final long ALLOWANCE_NANOS = 10_000_000L;

    @TempDir
    Path dir;

    @Test
    void twiceCapacityIsAnsweredWithinDeadlinesByDecisionsOrFallbacks() throws Exception
    {
        final Path policies = Files.createDirectories(dir.resolve("policies"));
        DecisionArtifacts.gbdt(policies, "heavy", 1, 5, 2000, 8);
        try (Daemon daemon = SidecarFixtures.daemon(dir, policies, Map.of()))
        {
            final String target = SidecarFixtures.targets(dir, daemon)[0];
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            final double capacity;
            try (PipelinedClient client = PipelinedClient.connect(target))
            {
                final int window = 64;
                final AtomicLong done = new AtomicLong();
                for (int i = 0; i < window; i++)
                {
                    client.sendPredict(i, "heavy", row, row.length, 10_000_000, 0);
                }
                long sent = window;
                final long warm = System.nanoTime();
                while (System.nanoTime() - warm < 1_000_000_000L)
                {
                    client.receive(r -> done.incrementAndGet(), 1000);
                    while (sent - done.get() < window)
                    {
                        client.sendPredict(sent++, "heavy", row, row.length, 10_000_000, 0);
                    }
                }
                final long warmDone = done.get();
                final long start = System.nanoTime();
                while (System.nanoTime() - start < 2_000_000_000L)
                {
                    client.receive(r -> done.incrementAndGet(), 1000);
                    while (sent - done.get() < window)
                    {
                        client.sendPredict(sent++, "heavy", row, row.length, 10_000_000, 0);
                    }
                }
                capacity = (done.get() - warmDone) / ((System.nanoTime() - start) / 1e9);
                while (done.get() < sent)
                {
                    client.receive(r -> done.incrementAndGet(), 1000);
                }
            }
            assertTrue(capacity > 100, "capacity " + capacity);
            final Phase control = phase(target, capacity / 2, row);
            System.gc();
            final long heapBefore = usedHeap();
            // Capacity measured closed-loop on a shared machine is noisy: if twice it sheds nothing, the daemon was
            // not overloaded, so the offered load doubles until it is (at most twice more).
            double multiple = 2;
            Phase overload = phase(target, multiple * capacity, row);
            while (overload.sheds == 0 && multiple < 8)
            {
                multiple *= 2;
                overload = phase(target, multiple * capacity, row);
            }
            System.out.printf("overload: offered %.0f x measured capacity%n", multiple);
            System.gc();
            final long heapAfter = usedHeap();
            System.out.printf("overload: capacity %.0f/s; control at half capacity: %s; at twice capacity: %s%n",
                capacity, control, overload);
            assertEquals(overload.total, overload.answered, "every request answered");
            assertEquals(overload.total, overload.ok, "every answer a decision or a fallback");
            assertTrue(overload.sheds > 0, "overload must shed");
            // Lateness beyond the allowance that the machine's load alone causes (the control run) is not overload's
            // doing; what overload may add on top is bounded. A saturated serving thread on an oversubscribed machine
            // (load average above the core count: other builds) is preempted for whole scheduler slices, which no
            // daemon design can hide, so there the lateness is reported but not asserted.
            // Requests the generator did not even start sending on time (its thread was not running) are the machine's
            // doing, not the daemon's: lateness is judged on the requests whose send started on time.
            final double allowed = 0.02 + 2 * control.lateSentOnTimeFraction();
            final double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            final int cores = Runtime.getRuntime().availableProcessors();
            final String lateness = String.format(
                "%.2f%% answered more than 10 ms after their deadline although sent on time at %.0fx capacity (all " +
                    "late: %.2f%%; control %.2f%%, allowed %.2f%%, load average %.1f on %d cores)",
                100 * overload.lateSentOnTimeFraction(), multiple, 100 * overload.lateFraction(),
                100 * control.lateSentOnTimeFraction(), 100 * allowed, load, cores);
            if (load >= 0 && load < cores)
            {
                assertTrue(overload.lateSentOnTimeFraction() <= allowed, lateness);
            }
            else
            {
                System.out.println("overload: lateness not asserted on an oversubscribed machine: " + lateness);
            }
            assertTrue(heapAfter - heapBefore < 64L << 20, "heap grew by " + (heapAfter - heapBefore) + " bytes");
        }
    }

    /** Outcome of one open-loop phase. */
    private static final class Phase
    {
        int total;
        long answered;
        long ok;
        long sheds;
        long late;
        long lateBeyondAllowance;
        long maxLateNanos;
        /** Requests the generator itself sent more than {@link #ALLOWANCE_NANOS} after their intended time. */
        long sentLate;
        /** Of those, requests whose send started late (the generator's thread was not running). */
        long startedLate;
        /** Sends that blocked more than 1 ms (the daemon was not reading: back pressure). */
        long sendBlocked;
        /**
         * Answers more than the allowance past the deadline although the generator started sending their request on
         * time (a send the daemon's back pressure blocked still counts against the daemon).
         */
        long lateSentOnTime;

        double lateFraction()
        {
            return (double)lateBeyondAllowance / total;
        }

        double lateSentOnTimeFraction()
        {
            return (double)lateSentOnTime / total;
        }

        @Override
        public String toString()
        {
            return String.format("%d sent (%d sent > 10 ms late: %d started late, %d sends blocked > 1 ms), %d " +
                    "answered, %d shed, %d past deadline, %d more than 10 ms (%d of them started on time; max %.1f ms)",
                total, sentLate, startedLate, sendBlocked, answered, sheds, late, lateBeyondAllowance, lateSentOnTime,
                maxLateNanos / 1e6);
        }
    }

    private static Phase phase(final String target, final double rate, final double[] row) throws Exception
    {
        final Phase phase = new Phase();
        final long seconds = 3;
        phase.total = (int)(rate * seconds);
        final int total = phase.total;
        final long[] intended = new long[total];
        final boolean[] startedLate = new boolean[total];
        final AtomicLong answered = new AtomicLong();
        try (PipelinedClient client = PipelinedClient.connect(target))
        {
            final Thread receiver = new Thread(() ->
            {
                try
                {
                    while (answered.get() < total)
                    {
                        client.receive(r ->
                        {
                            final long now = System.nanoTime();
                            if (r.status() == DecisionStatus.OK)
                            {
                                phase.ok++;
                            }
                            if (r.shed())
                            {
                                phase.sheds++;
                            }
                            final long overshoot = now - (intended[(int)r.requestId()] + BUDGET_NANOS);
                            if (overshoot > ALLOWANCE_NANOS)
                            {
                                phase.lateBeyondAllowance++;
                                if (!startedLate[(int)r.requestId()])
                                {
                                    phase.lateSentOnTime++;
                                }
                            }
                            if (overshoot > 0)
                            {
                                phase.late++;
                                phase.maxLateNanos = Math.max(phase.maxLateNanos, overshoot);
                            }
                            answered.incrementAndGet();
                        }, 5000);
                    }
                }
                catch (final Exception ex)
                {
                    throw new RuntimeException(ex);
                }
            }, "overload-receiver");
            receiver.start();
            final double interval = 1e9 / rate;
            final long start = System.nanoTime() + 10_000_000L;
            for (int i = 0; i < total; i++)
            {
                final long due = start + (long)(i * interval);
                long wait;
                while ((wait = due - System.nanoTime()) > 0)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                intended[i] = due;
                final long sendStart = System.nanoTime();
                client.sendPredict(i, "heavy", row, row.length, 0, due + BUDGET_NANOS);
                final long sendEnd = System.nanoTime();
                if (sendEnd - sendStart > 1_000_000L)
                {
                    phase.sendBlocked++;
                }
                if (sendEnd - due > ALLOWANCE_NANOS)
                {
                    phase.sentLate++;
                    if (sendStart - due > ALLOWANCE_NANOS)
                    {
                        startedLate[i] = true;
                        phase.startedLate++;
                    }
                }
            }
            receiver.join(60_000);
        }
        phase.answered = answered.get();
        return phase;
    }

    private static long usedHeap()
    {
        final Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
