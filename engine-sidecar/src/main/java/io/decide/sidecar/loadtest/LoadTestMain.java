package io.decide.sidecar.loadtest;

import io.decide.engine.service.DecisionKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code decide loadtest}: open-loop load against a running {@code decided}. Lives in engine-sidecar's jar
 * ({@code bin/decide loadtest} runs it from there) because policies-tools must not depend on the sidecar.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = {"Open-loop load at a fixed rate against a running decided; latency from each request's intended " +
        "send time (HdrHistogram, corrected for coordinated omission).",
        "Exit code 0 when every request was answered with status 0, 1 otherwise, 2 for bad arguments."})
public final class LoadTestMain implements Callable<Integer>
{
    @Option(names = "--target", required = true, paramLabel = "uds:PATH|tcp:HOST:PORT|shm:PATH|none:N",
        description = "Where decided listens; none:N runs no requests: N threads spin and note how late they see " +
            "each intended send time, the floor this machine's scheduler puts under a round trip through N " +
            "spinning threads (2 = client + serving thread).")
    String target;

    @Option(names = "--rate", required = true, paramLabel = "R", description = "Requests per second, all connections.")
    double rate;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "D",
        description = "Measured duration, e.g. 10s, 500ms, 1m [default: ${DEFAULT-VALUE}].")
    String duration;

    @Option(names = "--warmup", defaultValue = "3s", paramLabel = "D",
        description = "Warm-up, not recorded [default: ${DEFAULT-VALUE}].")
    String warmup;

    @Option(names = "--connections", defaultValue = "1", paramLabel = "C",
        description = "Connections, one thread each [default: ${DEFAULT-VALUE}].")
    int connections;

    @Option(names = "--kind", defaultValue = "GBDT_PREDICT", paramLabel = "KIND",
        description = "GBDT_PREDICT, QUOTA, RANK, SCALAR or AD_SLOT (user ids cycle through 100,000; AD_SLOT " +
            "sends the request id as decision id and the wall-clock time) [default: ${DEFAULT-VALUE}].")
    DecisionKind kind;

    @Option(names = "--artifact", defaultValue = "ctr", paramLabel = "NAME",
        description = "Artifact name (GBDT_PREDICT, QUOTA, SCALAR, AD_SLOT) [default: ${DEFAULT-VALUE}].")
    String artifact;

    @Option(names = "--width", defaultValue = "0", paramLabel = "N",
        description = "Dense inputs per request (model features or quota options); 0 sends an empty sparse row " +
            "(every feature missing), which fits any artifact [default: ${DEFAULT-VALUE}].")
    int width;

    @Option(names = "--candidates", defaultValue = "100", paramLabel = "N", description = "RANK: candidates.")
    int candidates;

    @Option(names = "--qualities", defaultValue = "2", paramLabel = "Q", description = "RANK: quality events.")
    int qualities;

    @Option(names = "--k", defaultValue = "10", paramLabel = "K", description = "RANK: how many to return.")
    int k;

    @Option(names = "--timeout-us", defaultValue = "0", paramLabel = "US",
        description = "Per-request timeout sent to the daemon; 0 = the daemon's default.")
    int timeoutMicros;

    @Option(names = "--client-wait", paramLabel = "WAIT",
        description = "SPIN: one thread per connection sends and polls responses in between (default for shm); " +
            "BLOCK: a sender that sleeps until each send time and a receiver blocked in the selector (default for " +
            "uds/tcp; on a busy machine sleeping threads are woken ahead of spinning ones).")
    LoadTest.ClientWait clientWait;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new LoadTestMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (rate <= 0 || connections < 1)
        {
            System.err.println("--rate must be > 0 and --connections >= 1");
            return 2;
        }
        final long durationNanos = parse(duration);
        final long warmupNanos = parse(warmup);
        if (target.startsWith("none:"))
        {
            final int threads;
            try
            {
                threads = Integer.parseInt(target.substring("none:".length()));
            }
            catch (final NumberFormatException ex)
            {
                System.err.println("--target none:N needs a thread count, got " + target);
                return 2;
            }
            if (threads < 1 || threads > 64)
            {
                System.err.println("--target none:N: N between 1 and 64, got " + threads);
                return 2;
            }
            System.out.printf("target=%s rate=%.0f/s duration=%s warmup=%s%n", target, rate, duration, warmup);
            System.out.print(SchedulingFloor.run(threads, rate, durationNanos, warmupNanos).report());
            return 0;
        }
        final LoadTest.Workload workload = new LoadTest.Workload(kind, artifact, width, candidates, qualities, k,
            timeoutMicros);
        final LoadTest.ClientWait wait = clientWait == null ? LoadTest.ClientWait.defaultFor(target) : clientWait;
        if (wait == LoadTest.ClientWait.BLOCK && target.startsWith("shm:"))
        {
            System.err.println("--client-wait BLOCK needs a uds: or tcp: target (shared memory has no wake-up)");
            return 2;
        }
        System.out.printf("target=%s rate=%.0f/s duration=%s warmup=%s connections=%d kind=%s client-wait=%s%n",
            target, rate, duration, warmup, connections, kind, wait);
        final LoadTest.Result result = LoadTest.run(target, rate, durationNanos, warmupNanos, connections, workload,
            wait);
        System.out.print(result.report());
        return result.errors() == 0 && result.lost() == 0 ? 0 : 1;
    }

    static long parse(final String text)
    {
        final String t = text.trim().toLowerCase();
        if (t.endsWith("ms"))
        {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))).toNanos();
        }
        if (t.endsWith("s"))
        {
            return Duration.ofMillis((long)(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000)).toNanos();
        }
        if (t.endsWith("m"))
        {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60).toNanos();
        }
        return Duration.ofSeconds(Long.parseLong(t)).toNanos();
    }
}
