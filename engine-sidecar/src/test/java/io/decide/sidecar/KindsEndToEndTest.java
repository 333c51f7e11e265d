package io.decide.sidecar;

import io.decide.engine.log.DecisionLogDescriptor;
import io.decide.engine.log.DecisionLogReader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.engine.service.EngineStores;
import io.decide.engine.service.FallbackDefaults;
import io.decide.sidecar.client.DecideClient;
import io.decide.sidecar.daemon.Daemon;
import io.decide.sidecar.protocol.AdSlotResponseFlyweight;
import io.decide.sidecar.protocol.ProtocolStatus;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.testsupport.DecisionArtifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCALAR and AD_SLOT over UDS, TCP and shm answer exactly what the in-process facade answers; ad slots are logged. */
class KindsEndToEndTest
{
    private static final long T0 = 1_700_000_000_000L;
    private static final int USERS = 40;

    @TempDir
    Path dir;

    @Test
    void scalarAndAdSlotOverEveryTransportEqualTheFacade() throws Exception
    {
        final Path policies = SidecarFixtures.allKinds(dir);
        final Path daemonTable = SidecarFixtures.cohortTable(dir.resolve("daemon-cohorts.cmap"), USERS);
        final Path referenceTable = SidecarFixtures.cohortTable(dir.resolve("reference-cohorts.cmap"), USERS);
        final Path logDir = dir.resolve("log");
        final List<long[]> logged = new ArrayList<>();
        final List<double[]> loggedProbabilities = new ArrayList<>();
        try (Daemon daemon = SidecarFixtures.daemon(dir, policies, Map.of(
                "decided.default-timeout-us", "10000000",
                "decided.max-queue-us", "60000000",
                "decided.state-dir", dir.resolve("daemon-state").toString(),
                "decided.cohort-table", daemonTable.toString(),
                "decided.log", logDir.toString()));
             DecisionEngine reference = new DecisionEngine(policies, LoadOptions.defaults(),
                 PolicyRegistry.DEFAULT_MAX_READERS, DecisionEngine.DEFAULT_MAX_CANDIDATES, FallbackDefaults.DEFAULTS,
                 RegistryListener.NONE, new EngineStores(referenceTable, dir.resolve("reference-state"), 1000,
                     30 * 60 * 1000L));
             DecisionContext context = reference.newContext())
        {
            reference.reload();
            final int opus = reference.handle("opus");
            final int feed = reference.handle("feed");
            final SplittableRandom random = new SplittableRandom(13);
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            final double[] features = new double[DecisionArtifacts.AD_SLOT_FEATURES];
            final double[] expected = new double[64];
            final AdSlotResponseFlyweight adSlot = new AdSlotResponseFlyweight();
            long request = 1;
            for (final String target : SidecarFixtures.targets(dir, daemon))
            {
                try (DecideClient client = DecideClient.connect(target))
                {
                    for (int i = 0; i < 150; i++, request++)
                    {
                        final long user = random.nextInt(USERS + 5);
                        for (int f = 0; f < row.length; f++)
                        {
                            row[f] = random.nextInt(8) == 0 ? Double.NaN : random.nextDouble() * 4 - 2;
                        }
                        final int count = random.nextInt(3) == 0 ? 0 : row.length;
                        assertEquals(DecisionStatus.OK, reference.scalars(opus, user, row, count, expected, context));
                        ResponseFlyweight r = client.scalars("opus", user, row, count);
                        assertEquals(DecisionStatus.OK, r.status(), target + " " + ProtocolStatus.name(r.status()));
                        assertEquals(DecisionKind.SCALAR.id(), r.kind());
                        assertEquals(DecisionArtifacts.SCALAR_BIDS, r.resultCount());
                        assertEquals(1, r.artifactVersion());
                        assertFalse(r.fallback(), target + " shed " + r.shed() + " request " + request);
                        for (int b = 0; b < r.resultCount(); b++)
                        {
                            assertEquals(Double.doubleToRawLongBits(expected[b]),
                                Double.doubleToRawLongBits(r.doubleResult(b)), target + " scalar " + b);
                        }

                        for (int f = 0; f < features.length; f++)
                        {
                            features[f] = random.nextDouble() * 3;
                        }
                        final long now = T0 + request * 2000;
                        final long adUser = random.nextInt(USERS);
                        assertEquals(DecisionStatus.OK, reference.adSlot(feed, request, adUser, now, features,
                            features.length, expected, context));
                        r = client.adSlot("feed", request, adUser, now, features, features.length);
                        assertEquals(DecisionStatus.OK, r.status(), target + " " + ProtocolStatus.name(r.status()));
                        assertEquals(DecisionKind.AD_SLOT.id(), r.kind());
                        assertEquals(1, r.artifactVersion());
                        assertFalse(r.fallback());
                        adSlot.wrap(r);
                        assertEquals(context.resultCount(), adSlot.patternCount());
                        assertEquals(context.adPattern(), adSlot.pattern(), target + " request " + request);
                        assertEquals(context.adMask(), adSlot.mask());
                        assertEquals(context.propensity(), adSlot.propensity());
                        final double[] probabilities = new double[adSlot.patternCount()];
                        for (int p = 0; p < probabilities.length; p++)
                        {
                            probabilities[p] = adSlot.probability(p);
                            assertEquals(Double.doubleToRawLongBits(expected[p]),
                                Double.doubleToRawLongBits(probabilities[p]));
                        }
                        logged.add(new long[]{request, adUser, now, adSlot.pattern()});
                        loggedProbabilities.add(probabilities);
                    }
                    ResponseFlyweight r = client.scalars("opus", 1, row, 3);
                    assertEquals(DecisionStatus.BAD_SIZE, r.status());
                    r = client.scalars("ctr", 1, row, 0);
                    assertEquals(DecisionStatus.WRONG_KIND, r.status());
                    r = client.adSlot("feed", 1, 1, T0, features, 2);
                    assertEquals(DecisionStatus.BAD_SIZE, r.status());
                    r = client.adSlot("feed", 1, 1, 0, features, features.length);
                    assertEquals(DecisionStatus.BAD_REQUEST, r.status());
                    r = client.adSlot("nope", 1, 1, T0, features, features.length);
                    assertEquals(DecisionStatus.UNKNOWN_ARTIFACT, r.status());
                }
            }
            assertEquals(0, daemon.metrics().loopErrors());
            final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            final String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" +
                daemon.adminAddress().getPort() + "/metrics")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("decided_requests_total{kind=\"ad_slot\"} " + (logged.size() + 3 * 3)),
                metrics);
            assertTrue(metrics.contains("decided_decision_log_dropped_total 0"), metrics);
            assertTrue(metrics.contains("decided_decision_log_written_total"), metrics);
        }
        try (DecisionLogReader reader = DecisionLogReader.open(logDir))
        {
            int i = 0;
            while (reader.next())
            {
                final long[] want = logged.get(i);
                assertEquals(want[0], reader.record().requestId());
                assertEquals(want[1], reader.record().userId());
                assertEquals(want[2] * 1_000_000L, reader.record().timeEpochNanos());
                assertEquals((int)want[3], reader.record().action());
                assertEquals(DecisionLogDescriptor.KIND_AD_SLOT, reader.record().kind());
                assertEquals("feed", reader.artifactName());
                assertEquals(1, reader.record().artifactVersion());
                assertEquals(loggedProbabilities.get(i).length, reader.record().actionCount());
                assertEquals(DecisionArtifacts.AD_SLOT_FEATURES + io.decide.engine.adslot.AdSlotLogging.REPLAY_FIELDS,
                    reader.record().featureCount(), "the replay row: C features, posts since last ad, had-ad flag");
                assertEquals(loggedProbabilities.get(i)[(int)want[3]], reader.record().propensity());
                i++;
            }
            assertEquals(logged.size(), i, "every decided ad slot is logged once");
            assertTrue(reader.tornTails().isEmpty());
        }
        assertTrue(Files.exists(dir.resolve("daemon-state").resolve(EngineStores.STATE_FILE_NAME)));
    }

    @Test
    void loadHarnessDrivesScalarAndAdSlot() throws Exception
    {
        final Path policies = SidecarFixtures.allKinds(dir);
        try (Daemon daemon = SidecarFixtures.daemon(dir, policies, Map.of(
            "decided.default-timeout-us", "10000000", "decided.max-queue-us", "60000000",
            "decided.state-dir", dir.resolve("state").toString())))
        {
            final String uds = SidecarFixtures.targets(dir, daemon)[0];
            final io.decide.sidecar.loadtest.LoadTest.Result scalars = io.decide.sidecar.loadtest.LoadTest.run(uds,
                2000, 500_000_000L, 0, 1, new io.decide.sidecar.loadtest.LoadTest.Workload(DecisionKind.SCALAR,
                    "opus", DecisionArtifacts.GBDT_FEATURES, 0, 0, 0, 0));
            assertEquals(0, scalars.errors(), scalars.report());
            assertTrue(scalars.ok() > 500, scalars.report());
            final io.decide.sidecar.loadtest.LoadTest.Result adSlots = io.decide.sidecar.loadtest.LoadTest.run(uds,
                2000, 500_000_000L, 0, 1, new io.decide.sidecar.loadtest.LoadTest.Workload(DecisionKind.AD_SLOT,
                    "feed", DecisionArtifacts.AD_SLOT_FEATURES, 0, 0, 0, 0));
            assertEquals(0, adSlots.errors(), adSlots.report());
            assertTrue(adSlots.ok() > 500, adSlots.report());
            assertTrue(daemon.engine().stateStore().userCount() > 500, "ad-slot requests recorded user state");
        }
    }
}
