package io.decide.bench;

import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.log.DecisionLogDescriptor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the decision log's writer thread costs in CPU under each wait strategy — the number that matters on a
 * 2-core machine, where the writer shares the cores with the deciders and JMH does not measure it: CPU time of the
 * writer thread while idle, and while one producer offers a paced 100,000 decisions per second (K = 12). Run:
 * {@code java $FLAGS -cp bench/target/benchmarks.jar io.decide.bench.DecisionLogWriterCpu [seconds]}.
 */
public final class DecisionLogWriterCpu
{
    private DecisionLogWriterCpu()
    {
    }

    /**
     * @param args optional seconds per measurement (default 3).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("| wait strategy | writer CPU, idle | writer CPU at 100k decisions/s | written |");
        System.out.println("|---|---:|---:|---:|");
        for (final DecisionLogConfig.WaitStrategyKind kind : List.of(DecisionLogConfig.WaitStrategyKind.SLEEPING,
            DecisionLogConfig.WaitStrategyKind.BLOCKING, DecisionLogConfig.WaitStrategyKind.YIELDING))
        {
            final Path dir = Files.createTempDirectory("decide-log-cpu");
            try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir).withMaxActions(12)
                .withWaitStrategy(kind)))
            {
                final long writer = writerThreadId();
                final int artifact = log.artifactId("adslot");
                final double[] p = new double[12];
                java.util.Arrays.fill(p, 1.0 / 12);
                Thread.sleep(500);
                final long idleCpu = cpuShare(threads, writer, seconds, () ->
                {
                });
                final long[] next = {0};
                final long periodNs = 10_000;
                final long paced = cpuShare(threads, writer, seconds, () ->
                {
                    final long start = System.nanoTime();
                    final long end = start + TimeUnit.SECONDS.toNanos(seconds);
                    long due = start;
                    while (due < end)
                    {
                        final long r = next[0]++;
                        log.offer(r, r, log.epochNanos(), artifact, 1, DecisionLogDescriptor.KIND_AD_SLOT,
                            (int)(r % 12), 0, p[0], p, 12, null, 0);
                        due += periodNs;
                        long now;
                        while ((now = System.nanoTime()) < due)
                        {
                            if (due - now > 60_000)
                            {
                                LockSupport.parkNanos(due - now - 50_000);
                            }
                        }
                    }
                });
                while (log.written() < next[0])
                {
                    Thread.sleep(1);
                }
                System.out.printf("| %s | %.1f%% of a core | %.1f%% of a core | %,d |%n", kind, idleCpu / 10.0,
                    paced / 10.0, log.written());
            }
            finally
            {
                try
                {
                    BenchArtifacts.deleteRecursively(dir);
                }
                catch (final IOException ex)
                {
                    System.err.println("could not delete " + dir + ": " + ex);
                }
            }
        }
    }

    /** @return the writer thread's CPU time while {@code body} runs (for at least {@code seconds}), in per mille. */
    private static long cpuShare(final ThreadMXBean threads, final long writer, final long seconds,
        final Runnable body) throws InterruptedException
    {
        final long cpuBefore = threads.getThreadCpuTime(writer);
        final long wallBefore = System.nanoTime();
        body.run();
        final long left = TimeUnit.SECONDS.toNanos(seconds) - (System.nanoTime() - wallBefore);
        if (left > 0)
        {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
        }
        final long cpu = threads.getThreadCpuTime(writer) - cpuBefore;
        final long wall = System.nanoTime() - wallBefore;
        return 1000 * cpu / wall;
    }

    private static long writerThreadId()
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals("decide-log-writer") && thread.isAlive())
            {
                return thread.getId();
            }
        }
        throw new IllegalStateException("no decide-log-writer thread");
    }
}
