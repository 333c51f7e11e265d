package io.decide.sidecar;

import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.client.DecideClient;
import io.decide.sidecar.daemon.Daemon;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.testsupport.DecisionArtifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100 artifact swaps (and refused bad files in between) while clients on UDS and shared memory run without pause:
 * zero failed requests, versions never go backwards, the last version serves. The swaps are spread over
 * {@code decide.sidecar.soak.seconds} (0 by default: as fast as the machine allows; {@code -Psoak} sets 60).
 */
class ReloadUnderLoadTest
{
    private static final int SWAPS = 100;
    private static final long SOAK_SECONDS = Long.getLong("decide.sidecar.soak.seconds", 0);

    @TempDir
    Path dir;

    @Test
    void hundredSwapsUnderLoadFailNoRequest() throws Exception
    {
        final Path policies = SidecarFixtures.policies(dir);
        try (Daemon daemon = SidecarFixtures.daemon(dir, policies, Map.of("decided.default-timeout-us", "10000000",
            "decided.max-queue-us", "10000000")))
        {
            final String[] targets = SidecarFixtures.targets(dir, daemon);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong calls = new AtomicLong();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread[] clients = new Thread[2];
            for (int c = 0; c < clients.length; c++)
            {
                final String target = c == 0 ? targets[0] : targets[2];
                clients[c] = new Thread(() ->
                {
                    try (DecideClient client = DecideClient.connect(target))
                    {
                        final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
                        long lastVersion = 0;
                        while (!stop.get())
                        {
                            final ResponseFlyweight r = client.predict("ctr", row, row.length);
                            if (r.status() != DecisionStatus.OK || r.fallback())
                            {
                                throw new AssertionError(target + ": status " + r.status() + " flags " + r.flags());
                            }
                            if (r.artifactVersion() < lastVersion)
                            {
                                throw new AssertionError(target + ": version went back from " + lastVersion +
                                    " to " + r.artifactVersion());
                            }
                            lastVersion = r.artifactVersion();
                            calls.incrementAndGet();
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "client-" + c);
                clients[c].start();
            }
            final long pauseNanos = SOAK_SECONDS * 1_000_000_000L / SWAPS;
            for (int v = 2; v <= SWAPS + 1; v++)
            {
                final long next = System.nanoTime() + pauseNanos;
                DecisionArtifacts.gbdt(policies, "ctr", v, v);
                if (v % 10 == 0)
                {
                    Files.write(policies.resolve("ctr-bad-v" + (v + 1000) + ".dpol"),
                        ("corrupt " + v).getBytes(StandardCharsets.UTF_8));
                }
                if (v % 2 == 0)
                {
                    daemon.reload("test");
                }
                while (System.nanoTime() - next < 0 && failure.get() == null)
                {
                    Thread.sleep(1);
                }
            }
            daemon.reload("test");
            final long before = calls.get();
            final long until = System.nanoTime() + 5_000_000_000L;
            while (calls.get() < before + 100 && System.nanoTime() < until)
            {
                Thread.sleep(5);
            }
            stop.set(true);
            for (final Thread client : clients)
            {
                client.join(10_000);
            }
            if (failure.get() != null)
            {
                throw new AssertionError("a request failed during the swaps", failure.get());
            }
            assertEquals(SWAPS + 1, daemon.engine().version(daemon.engine().handle("ctr")));
            assertTrue(calls.get() > SWAPS, "requests ran during the swaps: " + calls.get());
            assertTrue(daemon.engine().registry().loadFailures() >= 10, "corrupt files were refused");
            assertEquals(0, daemon.metrics().loopErrors());
        }
    }
}
