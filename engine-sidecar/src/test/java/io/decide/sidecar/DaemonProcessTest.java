package io.decide.sidecar;

import io.decide.engine.log.DecisionLogReader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionStatus;
import io.decide.engine.service.EngineStores;
import io.decide.engine.service.FallbackDefaults;
import io.decide.sidecar.protocol.AdSlotResponseFlyweight;
import io.decide.sidecar.client.DecideClient;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.testsupport.DecisionArtifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon as a real process (ProcessBuilder, the JVM flags of jvm.properties): serves over UDS, TCP and shared
 * memory with a 0600 socket file; SIGHUP reloads; /metrics, /health, /ready and POST /reload answer; after
 * {@code kill -9} a restart on the same paths (stale socket and shm files left behind) serves again with the users'
 * session state intact (ad-slot decisions continue exactly as an engine that kept the state) and the decision log
 * readable (every ad-slot decision before the kill and after the restart, in order); SIGTERM drains and exits 0.
 */
class DaemonProcessTest
{
    @TempDir
    Path dir;

    @Test
    void servesSurvivesKillNineAndShutsDownCleanly() throws Exception
    {
        final Path policies = SidecarFixtures.allKinds(dir);
        final Path sock = dir.resolve("p.sock");
        final Path shm = dir.resolve("p.shm");
        final int tcpPort = freePort();
        final int adminPort = freePort();
        Process daemon = start(policies, sock, shm, tcpPort, adminPort, dir.resolve("first.log"));
        try
        {
            awaitServing(sock);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            for (final String target : new String[]{"uds:" + sock, "tcp:127.0.0.1:" + tcpPort, "shm:" + shm})
            {
                try (DecideClient client = DecideClient.connect(target))
                {
                    final ResponseFlyweight r = client.predict("ctr", row, row.length);
                    assertEquals(DecisionStatus.OK, r.status(), target);
                    assertEquals(1, r.artifactVersion(), target);
                }
            }
            final HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, get(http, adminPort, "/health").statusCode());
            assertEquals(200, get(http, adminPort, "/ready").statusCode());
            final String metrics = get(http, adminPort, "/metrics").body();
            assertTrue(metrics.contains("decided_requests_total{kind=\"gbdt_predict\"} 4"), metrics);
            assertTrue(metrics.contains("decided_artifact_version{artifact=\"ctr\"} 1"), metrics);
            assertTrue(metrics.contains("decided_request_latency_seconds_bucket"), metrics);

            DecisionArtifacts.gbdt(policies, "ctr", 2, 2);
            new ProcessBuilder("kill", "-HUP", String.valueOf(daemon.pid())).start().waitFor();
            awaitVersion("uds:" + sock, 2);
            DecisionArtifacts.gbdt(policies, "ctr", 3, 3);
            final HttpResponse<String> reload = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/reload")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reload.statusCode());
            assertTrue(reload.body().contains("\"ctr\":3"), reload.body());
            assertEquals(405, get(http, adminPort, "/reload").statusCode());

            try (AdSlotSequence before = new AdSlotSequence(policies, dir.resolve("reference-state"));
                DecideClient client = DecideClient.connect("uds:" + sock))
            {
                before.run(client, 1, 300);
            }
            Thread.sleep(500);

            daemon.destroyForcibly();
            assertTrue(daemon.waitFor(20, TimeUnit.SECONDS));
            assertTrue(Files.exists(sock), "kill -9 leaves the socket file behind");

            daemon = start(policies, sock, shm, tcpPort, adminPort, dir.resolve("second.log"));
            awaitServing(sock);
            awaitVersion("uds:" + sock, 3);
            try (DecideClient client = DecideClient.connect("shm:" + shm))
            {
                assertEquals(DecisionStatus.OK, client.predict("ctr", row, row.length).status());
            }
            // User state intact: after the restart the daemon decides exactly as an engine whose state saw every
            // decision before the kill, and differently from one that starts from empty state.
            try (AdSlotSequence after = new AdSlotSequence(policies, dir.resolve("reference-state"));
                AdSlotSequence fresh = new AdSlotSequence(policies, dir.resolve("fresh-state"));
                DecideClient client = DecideClient.connect("uds:" + sock))
            {
                assertEquals(AdSlotSequence.USERS, after.users(), "the reference kept its state");
                final List<String> served = after.run(client, 301, 100);
                assertTrue(!served.equals(fresh.answers(301, 100)), "the check would notice lost state");
            }
            final String log = Files.readString(dir.resolve("first.log"));
            assertTrue(log.contains("event=signal name=HUP"), log);
            assertTrue(log.contains("event=reload reason=sighup"), log);

            daemon.destroy();
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, daemon.exitValue(), Files.readString(dir.resolve("second.log")));
            assertTrue(Files.readString(dir.resolve("second.log")).contains("event=shutdown.end"));
            assertTrue(!Files.exists(sock), "a clean shutdown removes the socket file");
            AdSlotSequence.assertLogged(dir.resolve("decisions"), 300, 100);
        }
        finally
        {
            daemon.destroyForcibly();
        }
    }

    @Test
    void badConfigurationExitsTwoNamingEverySetting() throws Exception
    {
        final Path log = dir.resolve("bad.log");
        final Process process = javaProcess(List.of("--policies", dir.resolve("missing").toString(), "--tcp",
            "10.1.2.3:9", "--max-frame-bytes", "100", "--shm-ring-bytes", "5000"), log);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        final String out = Files.readString(log);
        assertEquals(2, process.exitValue(), out);
        assertTrue(out.contains("decided.policies"), out);
        assertTrue(out.contains("not a loopback address"), out);
        assertTrue(out.contains("decided.max-frame-bytes: 100 is not a multiple of 8"), out);
        assertTrue(out.contains("decided.shm-ring-bytes: 5000 is not a power of two"), out);
    }

    private Process start(final Path policies, final Path sock, final Path shm, final int tcpPort,
        final int adminPort, final Path log) throws IOException
    {
        return javaProcess(List.of("--policies", policies.toString(), "--uds", sock.toString(), "--tcp",
            "127.0.0.1:" + tcpPort, "--shm", shm.toString(), "--admin", "127.0.0.1:" + adminPort,
            "--watch-interval-ms", "3600000", "--state-dir", dir.resolve("daemon-state").toString(),
            "--log", dir.resolve("decisions").toString(), "--default-timeout-us", "10000000", "--max-queue-us",
            "10000000"), log);
    }

    /**
     * A reproducible sequence of ad-slot requests (request r: user r % USERS, time T0 + r seconds, features from r)
     * decided by an in-process reference engine over its own state directory and by the daemon.
     */
    private static final class AdSlotSequence implements AutoCloseable
    {
        static final int USERS = 7;
        static final long T0 = 1_700_000_000_000L;

        private final DecisionEngine engine;
        private final DecisionContext context;
        private final int feed;
        private final double[] features = new double[DecisionArtifacts.AD_SLOT_FEATURES];
        private final double[] probabilities = new double[256];

        AdSlotSequence(final Path policies, final Path state)
        {
            engine = new DecisionEngine(policies, LoadOptions.defaults(), PolicyRegistry.DEFAULT_MAX_READERS,
                DecisionEngine.DEFAULT_MAX_CANDIDATES, FallbackDefaults.DEFAULTS, RegistryListener.NONE,
                EngineStores.NONE.withStateDirectory(state));
            engine.reload();
            context = engine.newContext();
            feed = engine.handle("feed");
        }

        long users()
        {
            return engine.stateStore().userCount();
        }

        private int decide(final long request)
        {
            for (int f = 0; f < features.length; f++)
            {
                features[f] = ((request * 31 + f * 7) % 13) / 4.0;
            }
            assertEquals(DecisionStatus.OK, engine.adSlot(feed, request, request % USERS, T0 + request * 1000,
                features, features.length, probabilities, context));
            return context.adMask();
        }

        List<String> run(final DecideClient client, final long first, final int count) throws IOException
        {
            final List<String> answers = new ArrayList<>();
            final AdSlotResponseFlyweight view = new AdSlotResponseFlyweight();
            for (long r = first; r < first + count; r++)
            {
                final int mask = decide(r);
                final ResponseFlyweight response = client.adSlot("feed", r, r % USERS, T0 + r * 1000, features,
                    features.length);
                assertEquals(DecisionStatus.OK, response.status(), "request " + r);
                assertTrue(!response.fallback(), "request " + r + " shed " + response.shed());
                view.wrap(response);
                assertEquals(mask, view.mask(), "request " + r);
                assertEquals(context.adPattern(), view.pattern(), "request " + r);
                assertEquals(context.propensity(), view.propensity(), "request " + r);
                answers.add(view.pattern() + "@" + view.propensity());
            }
            return answers;
        }

        List<String> answers(final long first, final int count)
        {
            final List<String> answers = new ArrayList<>();
            for (long r = first; r < first + count; r++)
            {
                decide(r);
                answers.add(context.adPattern() + "@" + context.propensity());
            }
            return answers;
        }

        static void assertLogged(final Path logDir, final int beforeKill, final int afterRestart) throws IOException
        {
            try (DecisionLogReader reader = DecisionLogReader.open(logDir))
            {
                long expected = 1;
                while (reader.next())
                {
                    assertEquals(expected, reader.record().requestId(), "records in order, none missing");
                    assertEquals(expected % USERS, reader.record().userId());
                    assertEquals("feed", reader.artifactName());
                    expected++;
                }
                assertEquals(beforeKill + afterRestart + 1, expected, "every decision before the kill was written " +
                    "(the daemon idled 500 ms) and every one after the restart; torn tails " + reader.tornTails());
                assertTrue(reader.segments().size() >= 2, "the restart continued in a new segment");
            }
        }

        @Override
        public void close()
        {
            context.close();
            engine.close();
        }
    }

    private static Process javaProcess(final List<String> args, final Path log) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmFlags().split("\\s+")));
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.decide.sidecar.daemon.DecidedMain");
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String jvmFlags() throws IOException
    {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("jvm.properties")))
        {
            root = root.getParent();
        }
        final Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(root.resolve("jvm.properties")))
        {
            properties.load(reader);
        }
        return properties.getProperty("decide.jvm.flags").trim();
    }

    private static void awaitServing(final Path sock) throws Exception
    {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until)
        {
            try (DecideClient client = DecideClient.connect("uds:" + sock))
            {
                final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
                if (client.predict("ctr", row, row.length).status() == DecisionStatus.OK)
                {
                    return;
                }
            }
            catch (final IOException notYet)
            {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("daemon did not serve on " + sock + " within 60 s");
    }

    private static void awaitVersion(final String target, final long version) throws Exception
    {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long seen = -1;
        try (DecideClient client = DecideClient.connect(target))
        {
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            while (System.nanoTime() < until)
            {
                seen = client.predict("ctr", row, row.length).artifactVersion();
                if (seen == version)
                {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("version " + version + " not served; last seen " + seen);
    }

    private static HttpResponse<String> get(final HttpClient http, final int port, final String path)
        throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException
    {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
            java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
