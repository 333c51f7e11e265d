package io.decide.sidecar.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.decide.engine.registry.ReloadResult;
import io.decide.sidecar.daemon.Daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The admin endpoint (JDK {@link HttpServer}, one thread, off the serving path):
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format 0.0.4;</li>
 *   <li>{@code GET /health}: 200 while the serving thread runs, else 503;</li>
 *   <li>{@code GET /ready}: 200 once transports are bound and at least one artifact serves, 503 otherwise;</li>
 *   <li>{@code POST /reload}: rescan the policy directory now; 200 with a JSON summary;</li>
 *   <li>{@code GET /versions}: serving version per artifact name, JSON.</li>
 * </ul>
 */
public final class AdminServer
{
    private final HttpServer server;
    private final Daemon daemon;

    /**
     * Bind the endpoint (not started).
     *
     * @param address address to bind.
     * @param daemon  the daemon it reports on.
     * @throws IOException when it cannot bind.
     */
    public AdminServer(final InetSocketAddress address, final Daemon daemon) throws IOException
    {
        this.daemon = daemon;
        this.server = HttpServer.create(address, 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r ->
        {
            final Thread thread = new Thread(r, "decided-admin");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/metrics", exchange -> respond(exchange, "GET", 200,
            "text/plain; version=0.0.4; charset=utf-8",
            () -> daemon.metrics().renderPrometheus(daemon.engine().versions()) + decisionLogMetrics(daemon)));
        server.createContext("/health", exchange ->
        {
            final boolean healthy = daemon.healthy();
            respond(exchange, "GET", healthy ? 200 : 503, "text/plain", () -> healthy ? "ok\n" : "unhealthy\n");
        });
        server.createContext("/ready", exchange ->
        {
            final boolean ready = daemon.ready();
            respond(exchange, "GET", ready ? 200 : 503, "text/plain", () -> ready ? "ready\n" : "not ready\n");
        });
        server.createContext("/reload", exchange -> respond(exchange, "POST", 200, "application/json", () ->
        {
            final ReloadResult result = daemon.reload("admin");
            final StringBuilder json = new StringBuilder("{\"loaded\":[");
            for (int i = 0; i < result.loaded().size(); i++)
            {
                json.append(i == 0 ? "" : ",").append('"').append(jsonEscape(result.loaded().get(i).toString()))
                    .append('"');
            }
            json.append("],\"refused\":[");
            for (int i = 0; i < result.rejected().size(); i++)
            {
                final ReloadResult.Rejected rejected = result.rejected().get(i);
                json.append(i == 0 ? "" : ",").append("{\"file\":\"")
                    .append(jsonEscape(rejected.file().toString())).append("\",\"reason\":\"")
                    .append(jsonEscape(String.valueOf(rejected.reason().getMessage()))).append("\"}");
            }
            return json.append("],\"versions\":").append(versionsJson(daemon.engine().versions())).append("}\n")
                .toString();
        }));
        server.createContext("/versions", exchange -> respond(exchange, "GET", 200, "application/json",
            () -> versionsJson(daemon.engine().versions()) + "\n"));
    }

    /** Start serving. */
    public void start()
    {
        server.start();
    }

    /** Stop serving. */
    public void stop()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService)server.getExecutor()).shutdownNow();
    }

    /** @return the bound address. */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    private interface Body
    {
        String get();
    }

    private static void respond(
        final HttpExchange exchange, final String method, final int status, final String type, final Body body)
        throws IOException
    {
        try (exchange)
        {
            if (!method.equals(exchange.getRequestMethod()))
            {
                final byte[] bytes = ("use " + method + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Allow", method);
                exchange.sendResponseHeaders(405, bytes.length);
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(bytes);
                }
                return;
            }
            final byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(bytes);
            }
        }
    }

    private static String versionsJson(final Map<String, Long> versions)
    {
        final StringBuilder json = new StringBuilder("{");
        boolean first = true;
        for (final Map.Entry<String, Long> entry : versions.entrySet())
        {
            json.append(first ? "" : ",").append('"').append(jsonEscape(entry.getKey())).append("\":")
                .append(entry.getValue());
            first = false;
        }
        return json.append('}').toString();
    }

    private static String jsonEscape(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String decisionLogMetrics(final io.decide.sidecar.daemon.Daemon daemon)
    {
        final io.decide.engine.log.DecisionLog log = daemon.decisionLog();
        if (log == null)
        {
            return "";
        }
        final StringBuilder out = new StringBuilder(512);
        logCounter(out, "decided_decision_log_written_total", "ad-slot decisions written to the decision log",
            log.written());
        logCounter(out, "decided_decision_log_dropped_total",
            "ad-slot decisions not logged because the log's ring was full (DROP back-pressure)", log.dropped());
        logCounter(out, "decided_decision_log_rejected_total", "decisions the log writer refused (too large)",
            log.rejected());
        logCounter(out, "decided_decision_log_failures_total", "decision log write failures", log.failures());
        return out.toString();
    }

    private static void logCounter(final StringBuilder out, final String name, final String help, final long value)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" counter\n")
            .append(name).append(' ').append(value).append('\n');
    }
}
