package io.decide.sidecar.loadtest;

import org.HdrHistogram.Histogram;

import java.util.concurrent.CountDownLatch;

/**
 * The latency floor the machine's scheduler imposes on an open-loop run, measured with no daemon and no I/O:
 * {@code threads} threads spin, each noting, for every intended send time of the run ({@code start + i / rate}),
 * how late it first saw that time come (0 when it was running, the length of the stall when it was not). A request
 * through a client thread and a serving thread is at least as late as the later of the two at its intended time, so
 * the per-request maximum over the threads is a floor under any transport's round trip with that many spinning
 * threads; the report gives its percentiles beside each thread's own. {@code decide loadtest --target none:N}.
 */
public final class SchedulingFloor
{
    /** The outcome: the per-request floor and each thread's own lateness. */
    public record Result(Histogram floorNanos, Histogram[] threadNanos, long intended)
    {
        /** @return a human-readable report in the load test's layout. */
        public String report()
        {
            final StringBuilder out = new StringBuilder();
            out.append(String.format("intended=%d (no daemon, no I/O: %d spinning threads)%n", intended,
                threadNanos.length));
            out.append(line("floor_us   ", floorNanos, "latest of the threads per intended time"));
            for (int t = 0; t < threadNanos.length; t++)
            {
                out.append(line(String.format("thread%-5d", t), threadNanos[t], "this thread's lateness"));
            }
            out.append(String.format("requests later than 5 us: %.3f%%, than 30 us: %.3f%%, than 1 ms: %.3f%%%n",
                above(floorNanos, 5_000), above(floorNanos, 30_000), above(floorNanos, 1_000_000)));
            return out.toString();
        }

        private static String line(final String label, final Histogram h, final String what)
        {
            return String.format("%s p50=%.1f p99=%.1f p99.9=%.1f max=%.1f (%s)%n", label,
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, what);
        }

        private static double above(final Histogram h, final long nanos)
        {
            return h.getTotalCount() == 0 ? 0 : 100.0 * (h.getTotalCount() - h.getCountBetweenValues(0, nanos)) /
                h.getTotalCount();
        }
    }

    private SchedulingFloor()
    {
    }

    /**
     * Measure.
     *
     * @param threads       spinning threads (2 = a client and a serving thread).
     * @param rate          intended times per second.
     * @param durationNanos measured length.
     * @param warmupNanos   spun first, not recorded.
     * @return the result.
     * @throws InterruptedException when interrupted.
     */
    public static Result run(final int threads, final double rate, final long durationNanos, final long warmupNanos)
        throws InterruptedException
    {
        if (threads < 1 || rate <= 0 || durationNanos <= 0)
        {
            throw new IllegalArgumentException("threads >= 1, rate > 0 and a positive duration expected");
        }
        final long count = (long)(rate * durationNanos / 1e9);
        if (count > Integer.MAX_VALUE / 2)
        {
            throw new IllegalArgumentException(count + " intended times; at most " + Integer.MAX_VALUE / 2);
        }
        final int n = (int)count;
        final double interval = 1e9 / rate;
        final int[][] lateness = new int[threads][n];
        final long start = System.nanoTime() + warmupNanos + 50_000_000L;
        final CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++)
        {
            final int[] mine = lateness[t];
            final Thread thread = new Thread(() ->
            {
                int i = 0;
                while (i < n)
                {
                    final long now = System.nanoTime();
                    long due;
                    while (i < n && now - (due = start + (long)(i * interval)) >= 0)
                    {
                        mine[i++] = (int)Math.min(Integer.MAX_VALUE, now - due);
                    }
                    Thread.onSpinWait();
                }
                done.countDown();
            }, "scheduling-floor-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        final Histogram floor = new Histogram(3_600_000_000_000L, 3);
        final Histogram[] perThread = new Histogram[threads];
        for (int t = 0; t < threads; t++)
        {
            perThread[t] = new Histogram(3_600_000_000_000L, 3);
        }
        for (int i = 0; i < n; i++)
        {
            int latest = 0;
            for (int t = 0; t < threads; t++)
            {
                perThread[t].recordValue(lateness[t][i]);
                latest = Math.max(latest, lateness[t][i]);
            }
            floor.recordValue(latest);
        }
        return new Result(floor, perThread, n);
    }
}
