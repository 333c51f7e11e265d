package io.decide.sidecar.metrics;

import io.decide.engine.service.DecisionKind;
import io.decide.sidecar.protocol.ProtocolStatus;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters and latency histograms of a daemon. Recording (from transport threads) allocates nothing: counters are
 * atomic array slots, latencies go to HdrHistogram {@link Recorder}s. {@link #renderPrometheus} (admin thread) takes
 * interval histograms and accumulates them.
 */
public final class SidecarMetrics
{
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final AtomicLongArray requests = new AtomicLongArray(DecisionKind.ID_LIMIT + 1);
    private final AtomicLongArray fallbacks = new AtomicLongArray(DecisionKind.ID_LIMIT + 1);
    private final AtomicLongArray sheds = new AtomicLongArray(DecisionKind.ID_LIMIT + 1);
    private final AtomicLongArray statuses = new AtomicLongArray(ProtocolStatus.LIMIT + 1);
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final AtomicLong connectionsClosed = new AtomicLong();
    private final AtomicLong connectionsDropped = new AtomicLong();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong reloadFailures = new AtomicLong();
    private final AtomicLong loopErrors = new AtomicLong();
    private final Recorder latency = new Recorder(1, HIGHEST_NANOS, 3);
    private final Recorder engineTime = new Recorder(1, HIGHEST_NANOS, 3);
    private final Histogram latencyTotal = new Histogram(1, HIGHEST_NANOS, 3);
    private final Histogram engineTotal = new Histogram(1, HIGHEST_NANOS, 3);
    private Histogram latencyInterval;
    private Histogram engineInterval;

    /**
     * Count one answered request.
     *
     * @param kind         kind id (0 when unknown).
     * @param status       response status.
     * @param fallback     whether a fallback answered.
     * @param shed         whether it was shed.
     * @param latencyNanos receipt to response written.
     * @param engineNanos  time inside the engine (0 when none).
     */
    public void onResponse(
        final int kind,
        final int status,
        final boolean fallback,
        final boolean shed,
        final long latencyNanos,
        final long engineNanos)
    {
        final int k = kind > 0 && kind < DecisionKind.ID_LIMIT ? kind : 0;
        requests.getAndIncrement(k);
        statuses.getAndIncrement(status >= 0 && status < ProtocolStatus.LIMIT ? status : ProtocolStatus.LIMIT);
        if (fallback)
        {
            fallbacks.getAndIncrement(k);
        }
        if (shed)
        {
            sheds.getAndIncrement(k);
        }
        latency.recordValue(Math.max(1, Math.min(latencyNanos, HIGHEST_NANOS)));
        if (engineNanos > 0)
        {
            engineTime.recordValue(Math.min(engineNanos, HIGHEST_NANOS));
        }
    }

    /** A connection was accepted. */
    public void onConnectionOpened()
    {
        connectionsOpened.getAndIncrement();
    }

    /**
     * A connection ended.
     *
     * @param dropped whether the daemon closed it for a protocol fault.
     */
    public void onConnectionClosed(final boolean dropped)
    {
        connectionsClosed.getAndIncrement();
        if (dropped)
        {
            connectionsDropped.getAndIncrement();
        }
    }

    /**
     * A reload ran.
     *
     * @param failures files refused by it.
     */
    public void onReload(final int failures)
    {
        reloads.getAndIncrement();
        reloadFailures.getAndAdd(failures);
    }

    /** An unexpected error in a transport loop (caught, counted, the loop goes on). */
    public void onLoopError()
    {
        loopErrors.getAndIncrement();
    }

    /** @return requests answered, all kinds. */
    public long requests()
    {
        long sum = 0;
        for (int i = 0; i < requests.length(); i++)
        {
            sum += requests.get(i);
        }
        return sum;
    }

    /** @return requests shed, all kinds. */
    public long sheds()
    {
        long sum = 0;
        for (int i = 0; i < sheds.length(); i++)
        {
            sum += sheds.get(i);
        }
        return sum;
    }

    /** @return fallback answers, all kinds. */
    public long fallbacks()
    {
        long sum = 0;
        for (int i = 0; i < fallbacks.length(); i++)
        {
            sum += fallbacks.get(i);
        }
        return sum;
    }

    /**
     * @param status a status.
     * @return responses with that status.
     */
    public long responses(final int status)
    {
        return statuses.get(status);
    }

    /** @return connections the daemon dropped for protocol faults. */
    public long connectionsDropped()
    {
        return connectionsDropped.get();
    }

    /** @return reloads run. */
    public long reloads()
    {
        return reloads.get();
    }

    /** @return transport loop errors. */
    public long loopErrors()
    {
        return loopErrors.get();
    }

    /**
     * Render every metric in the Prometheus text exposition format (version 0.0.4).
     *
     * @param versions serving version per artifact name.
     * @return the text.
     */
    public synchronized String renderPrometheus(final Map<String, Long> versions)
    {
        latencyInterval = latency.getIntervalHistogram(latencyInterval);
        latencyTotal.add(latencyInterval);
        engineInterval = engineTime.getIntervalHistogram(engineInterval);
        engineTotal.add(engineInterval);
        final StringBuilder out = new StringBuilder(4096);
        counterByKind(out, "decided_requests_total", "Requests answered (any status).", requests);
        counterByKind(out, "decided_fallbacks_total", "Requests answered by a fallback.", fallbacks);
        counterByKind(out, "decided_sheds_total", "Requests shed because their deadline could not be met.", sheds);
        out.append("# HELP decided_responses_total Responses by status.\n# TYPE decided_responses_total counter\n");
        for (int s = 0; s <= ProtocolStatus.LIMIT; s++)
        {
            final long n = statuses.get(s);
            if (n > 0 || s == 0)
            {
                out.append("decided_responses_total{status=\"")
                    .append(s == ProtocolStatus.LIMIT ? "OTHER" : ProtocolStatus.name(s)).append("\"} ").append(n)
                    .append('\n');
            }
        }
        counter(out, "decided_connections_opened_total", "Connections accepted.", connectionsOpened.get());
        counter(out, "decided_connections_closed_total", "Connections ended.", connectionsClosed.get());
        counter(out, "decided_connections_dropped_total", "Connections closed for protocol faults.",
            connectionsDropped.get());
        counter(out, "decided_reloads_total", "Policy directory reloads.", reloads.get());
        counter(out, "decided_reload_rejections_total", "Artifact files refused by reloads.", reloadFailures.get());
        counter(out, "decided_loop_errors_total", "Unexpected errors caught in transport loops.", loopErrors.get());
        histogram(out, "decided_request_latency_seconds",
            "Receipt of a request to its response written, inside the daemon.", latencyTotal);
        histogram(out, "decided_engine_seconds", "Time inside the engine deciding.", engineTotal);
        out.append("# HELP decided_artifact_version Serving version per artifact name.\n")
            .append("# TYPE decided_artifact_version gauge\n");
        for (final Map.Entry<String, Long> entry : versions.entrySet())
        {
            out.append("decided_artifact_version{artifact=\"").append(escape(entry.getKey())).append("\"} ")
                .append(entry.getValue()).append('\n');
        }
        return out.toString();
    }

    private static void counterByKind(
        final StringBuilder out, final String name, final String help, final AtomicLongArray values)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" counter\n");
        for (int k = 0; k < DecisionKind.ID_LIMIT; k++)
        {
            final DecisionKind kind = DecisionKind.fromId(k);
            out.append(name).append("{kind=\"").append(kind == null ? "unknown" : kind.name().toLowerCase())
                .append("\"} ").append(values.get(k)).append('\n');
        }
    }

    private static void counter(final StringBuilder out, final String name, final String help, final long value)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" counter\n")
            .append(name).append(' ').append(value).append('\n');
    }

    private static final long[] BUCKET_NANOS = {
        1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000,
        5_000_000, 10_000_000, 50_000_000, 100_000_000, 1_000_000_000};

    private static void histogram(final StringBuilder out, final String name, final String help, final Histogram h)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" histogram\n");
        for (final long bucket : BUCKET_NANOS)
        {
            out.append(name).append("_bucket{le=\"").append(bucket / 1e9).append("\"} ")
                .append(countAtOrBelow(h, bucket)).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(h.getTotalCount()).append('\n');
        out.append(name).append("_sum ").append(h.getMean() * h.getTotalCount() / 1e9).append('\n');
        out.append(name).append("_count ").append(h.getTotalCount()).append('\n');
        out.append("# HELP ").append(name).append("_quantile ").append(help).append(" Quantiles since start.\n")
            .append("# TYPE ").append(name).append("_quantile gauge\n");
        for (final double q : new double[]{50, 99, 99.9})
        {
            out.append(name).append("_quantile{quantile=\"").append(q / 100).append("\"} ")
                .append(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(q) / 1e9).append('\n');
        }
    }

    private static long countAtOrBelow(final Histogram h, final long value)
    {
        return h.getTotalCount() == 0 ? 0 : h.getCountBetweenValues(0, value);
    }

    private static String escape(final String label)
    {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
