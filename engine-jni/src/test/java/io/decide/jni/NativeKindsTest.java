package io.decide.jni;

import io.decide.engine.cohort.CohortTable;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionStatus;
import io.decide.engine.service.EngineStores;
import io.decide.engine.service.FallbackDefaults;
import io.decide.testsupport.DecisionArtifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * decide_scalars and decide_ad_slot through libdecide.so in a C process: their error paths return their codes and
 * leave outputs (and the session state) untouched, and every decision equals the Java API's, bit for bit; the ad-slot
 * sequence is replayed in order by a Java engine over a fresh state directory, so equal answers also mean the C
 * process's state evolved exactly as the Java engine's.
 */
final class NativeKindsTest
{
    private static final int USERS = 50;
    private static final int COUNT = 400;

    @TempDir
    Path temp;

    @Test
    void scalarsAndAdSlotEqualTheJavaApi() throws Exception
    {
        final Path policies = Files.createDirectories(temp.resolve("policies"));
        DecisionArtifacts.gbdt(policies, "ctr", 3, 1);
        DecisionArtifacts.scalars(policies, "opus", 2, 21);
        DecisionArtifacts.adSlot(policies, "feed", 4, 5);
        final Path table = temp.resolve("cohorts.cmap");
        try (CohortTable cohorts = CohortTable.create(table, DecisionArtifacts.SCALAR_BIDS, USERS))
        {
            for (int u = 0; u < USERS; u++)
            {
                final byte[] row = new byte[DecisionArtifacts.SCALAR_BIDS];
                for (int b = 0; b < row.length; b++)
                {
                    row[b] = (byte)((u + 2 * b) % (DecisionArtifacts.SCALAR_COHORTS + 1));
                }
                cohorts.put(u, row);
            }
        }
        final NativePrograms.Run run = NativePrograms.run(Map.of(), 300,
            NativePrograms.nativeDir().resolve("decide_test").toString(), "kinds", policies.toString(),
            temp.resolve("c-state").toString(), table.toString(), Integer.toString(COUNT), "11");
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains("kinds: ") && run.stdout().contains(" checks, 0 failed"), run::describe);
        assertTrue(Files.exists(temp.resolve("c-state").resolve(EngineStores.STATE_FILE_NAME)));
        try (DecisionEngine engine = new DecisionEngine(policies, LoadOptions.defaults(),
                PolicyRegistry.DEFAULT_MAX_READERS, DecisionEngine.DEFAULT_MAX_CANDIDATES, FallbackDefaults.DEFAULTS,
                RegistryListener.NONE, EngineStores.NONE.withCohortTable(table)
                    .withStateDirectory(temp.resolve("java-state")));
             DecisionContext context = engine.newContext())
        {
            engine.reload();
            int scalarLines = 0;
            int adLines = 0;
            int withAds = 0;
            for (final String line : run.lines())
            {
                if (!line.startsWith("S ") && !line.startsWith("A "))
                {
                    continue;
                }
                final String[] halves = line.split(" : ?", -1);
                final String[] in = halves[0].split(" ");
                final String[] out = halves[1].isEmpty() ? new String[0] : halves[1].trim().split(" ");
                final int rc = Integer.parseInt(in[2]);
                final long version = Long.parseLong(in[3]);
                final int fallback = Integer.parseInt(in[4]);
                final int count = Integer.parseInt(in[5]);
                final int status;
                if (line.startsWith("S "))
                {
                    final long user = Long.parseLong(in[6]);
                    final int features = Integer.parseInt(in[7]);
                    final double[] row = doubles(in, 8, features);
                    final double[] scalars = new double[8];
                    status = engine.scalars(engine.handle("opus"), user, row, features, scalars, context);
                    for (int b = 0; status == DecisionStatus.OK && b < context.resultCount(); b++)
                    {
                        assertEquals(Double.doubleToRawLongBits(scalars[b]), Long.parseUnsignedLong(out[b], 16),
                            () -> "scalar differs: " + line);
                    }
                    scalarLines++;
                }
                else
                {
                    final long request = Long.parseLong(in[6]);
                    final long user = Long.parseLong(in[7]);
                    final long now = Long.parseLong(in[8]);
                    final double[] features = doubles(in, 9, DecisionArtifacts.AD_SLOT_FEATURES);
                    final double[] probabilities = new double[64];
                    status = engine.adSlot(engine.handle("feed"), request, user, now, features, features.length,
                        probabilities, context);
                    if (status == DecisionStatus.OK)
                    {
                        assertEquals(context.adPattern(), Integer.parseInt(out[0]), () -> "pattern differs: " + line);
                        assertEquals(context.adMask(), Integer.parseInt(out[1]), () -> "mask differs: " + line);
                        assertEquals(Double.doubleToRawLongBits(context.propensity()),
                            Long.parseUnsignedLong(out[2], 16), () -> "propensity differs: " + line);
                        for (int p = 0; p < context.resultCount(); p++)
                        {
                            assertEquals(Double.doubleToRawLongBits(probabilities[p]),
                                Long.parseUnsignedLong(out[3 + p], 16), () -> "probability differs: " + line);
                        }
                        withAds += context.adMask() != 0 ? 1 : 0;
                    }
                    adLines++;
                }
                assertEquals(DecideError.codeOf(status), rc, () -> "status differs: " + line);
                assertEquals(DecisionStatus.OK, status, line);
                assertEquals(context.version(), version, () -> "version differs: " + line);
                assertEquals(context.fallback() ? 1 : 0, fallback, () -> "fallback differs: " + line);
                assertEquals(context.resultCount(), count, () -> "count differs: " + line);
            }
            assertEquals(COUNT, scalarLines, run::describe);
            assertEquals(COUNT, adLines, run::describe);
            assertTrue(withAds > COUNT / 10, "only " + withAds + " feeds had ads");
        }
    }

    @Test
    void bridgeScalarsAndAdSlotAllocateNothing() throws Exception
    {
        final Path policies = Files.createDirectories(temp.resolve("bridge-policies"));
        DecisionArtifacts.scalars(policies, "opus", 1, 21);
        DecisionArtifacts.adSlot(policies, "feed", 1, 5);
        final int id = NativeBridge.open(policies.toString(), temp.resolve("bridge-state").toString(), null, 0, 0,
            true, null);
        assertTrue(id >= 0);
        try
        {
            final int opus = NativeBridge.handle(id, "opus");
            final int feed = NativeBridge.handle(id, "feed");
            final org.agrona.concurrent.UnsafeBuffer memory =
                new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(4096));
            final long base = memory.addressOffset();
            final long row = base;
            final long out = base + 512;
            final long result = base + 1024;
            final long choice = base + 1088;
            final long probabilities = base + 2048;
            final long[] request = {0};
            assertEquals(0, NativeBridge.scalars(id, opus, 3, row, DecisionArtifacts.GBDT_FEATURES, out, 8, result));
            assertEquals(0, NativeBridge.adSlot(id, feed, 1, 3, 1_700_000_000_000L, row,
                DecisionArtifacts.AD_SLOT_FEATURES, choice, probabilities, 64, result));
            assertEquals(1, memory.getLong(1024 + NativeBridge.RESULT_VERSION_OFFSET));
            io.decide.testsupport.AllocationAssert.assertZeroAllocation("NativeBridge.scalars", 20_000, 10_000, () ->
                NativeBridge.scalars(id, opus, 3, row, DecisionArtifacts.GBDT_FEATURES, out, 8, result));
            io.decide.testsupport.AllocationAssert.assertZeroAllocation("NativeBridge.adSlot", 60_000, 10_000, () ->
            {
                request[0]++;
                NativeBridge.adSlot(id, feed, request[0], request[0] % 50, 1_700_000_000_000L + request[0] * 100, row,
                    DecisionArtifacts.AD_SLOT_FEATURES, choice, probabilities, 64, result);
            });
            assertEquals(DecideError.BAD_SIZE.code(), NativeBridge.adSlot(id, feed, 1, 3, 1_700_000_000_000L, row,
                DecisionArtifacts.AD_SLOT_FEATURES, choice, probabilities, 2, result));
        }
        finally
        {
            assertEquals(0, NativeBridge.close(id));
        }
    }

    @Test
    void adSlotDecisionsAreLoggedWhenTheEngineHasALogDirectory() throws Exception
    {
        final Path policies = Files.createDirectories(temp.resolve("logged-policies"));
        DecisionArtifacts.adSlot(policies, "feed", 1, 5);
        final Path logDir = temp.resolve("logged-log");
        final int id = NativeBridge.open(policies.toString(), temp.resolve("logged-state").toString(),
            logDir.toString(), 0, 0, true, null);
        assertTrue(id >= 0);
        final int decisions = 500;
        final double[] propensities = new double[decisions];
        final int[] patterns = new int[decisions];
        try
        {
            final int feed = NativeBridge.handle(id, "feed");
            final org.agrona.concurrent.UnsafeBuffer memory =
                new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(4096));
            final long base = memory.addressOffset();
            for (int i = 0; i < decisions; i++)
            {
                memory.putDouble(0, i % 7);
                assertEquals(0, NativeBridge.adSlot(id, feed, 1_000 + i, i % 40, 1_700_000_000_000L + i * 1_000L,
                    base, DecisionArtifacts.AD_SLOT_FEATURES, base + 1088, base + 2048, 64, base + 1024));
                patterns[i] = memory.getInt(1088);
                propensities[i] = memory.getDouble(1088 + 8);
            }
        }
        finally
        {
            assertEquals(0, NativeBridge.close(id));
        }
        try (io.decide.engine.log.DecisionLogReader reader = io.decide.engine.log.DecisionLogReader.open(logDir))
        {
            int read = 0;
            while (reader.next())
            {
                final io.decide.engine.log.DecisionRecordFlyweight record = reader.record();
                assertEquals(1_000 + read, record.requestId(), "record " + read);
                assertEquals(read % 40, record.userId());
                assertEquals("feed", reader.artifactName());
                assertEquals(patterns[read], record.action());
                assertEquals(propensities[read], record.propensity());
                assertEquals(propensities[read], record.probability(record.action()));
                assertTrue(record.featureCount() > 0, "the replay row is logged");
                read++;
            }
            assertEquals(decisions, read, "every ad-slot decision of a closed engine is in its log");
            assertTrue(reader.tornTails().isEmpty());
        }
    }

    private static double[] doubles(final String[] tokens, final int from, final int count)
    {
        final double[] values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Double.longBitsToDouble(Long.parseUnsignedLong(tokens[from + i], 16));
        }
        return values;
    }
}
