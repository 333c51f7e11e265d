package io.decide.engine.service;

import io.decide.engine.adslot.AdSlotContext;
import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.cohort.CohortReader;
import io.decide.engine.cohort.CohortTable;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.scalar.ScalarContext;
import io.decide.engine.scalar.ScalarDecider;
import io.decide.engine.scalar.SensitivityModelResolver;
import io.decide.engine.state.SessionStateCursor;
import io.decide.engine.state.SessionStateStore;
import io.decide.testsupport.AllocationAssert;
import io.decide.testsupport.DecisionArtifacts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scalar and ad-slot kinds of the facade: equal to their deciders, faults, fallbacks, state, allocation. */
class DecisionEngineKindsTest
{
    private static final long T0 = 1_700_000_000_000L;
    private static final int USERS = 50;

    @TempDir
    Path dir;

    private static double sink;

    static Path cohortTable(final Path file) throws Exception
    {
        try (CohortTable table = CohortTable.create(file, DecisionArtifacts.SCALAR_BIDS, USERS))
        {
            for (int u = 0; u < USERS; u++)
            {
                final byte[] cohorts = new byte[DecisionArtifacts.SCALAR_BIDS];
                for (int b = 0; b < cohorts.length; b++)
                {
                    cohorts[b] = (byte)((u + b) % (DecisionArtifacts.SCALAR_COHORTS + 1));
                }
                table.put(u, cohorts);
            }
        }
        return file;
    }

    private DecisionEngine engine(final Path policies, final EngineStores stores)
    {
        final DecisionEngine engine = new DecisionEngine(policies, LoadOptions.defaults(),
            PolicyRegistry.DEFAULT_MAX_READERS, DecisionEngine.DEFAULT_MAX_CANDIDATES, FallbackDefaults.DEFAULTS,
            RegistryListener.NONE, stores);
        engine.reload();
        return engine;
    }

    @Test
    void scalarsEqualTheDeciderWithTableAndFeatures() throws Exception
    {
        final Path policies = Files.createDirectories(dir.resolve("p"));
        final Path file = DecisionArtifacts.scalars(policies, "opus", 4, 21);
        final Path tableFile = cohortTable(dir.resolve("cohorts.cmap"));
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        try (DecisionEngine engine = engine(policies, EngineStores.NONE.withCohortTable(tableFile));
            DecisionContext context = engine.newContext();
            CohortTable table = CohortTable.open(tableFile))
        {
            final ScalarDecider reference = ScalarDecider.of(artifact, SensitivityModelResolver.BUILT_IN);
            final ScalarContext referenceContext = reference.newContext();
            final CohortReader reader = table.newReader();
            final int opus = engine.handle("opus");
            final int q = DecisionArtifacts.SCALAR_BIDS;
            assertEquals(DecisionArtifacts.GBDT_FEATURES, engine.inputWidth(opus, DecisionKind.SCALAR));
            final SplittableRandom random = new SplittableRandom(3);
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8 * row.length]);
            final double[] out = new double[q + 2];
            final double[] expected = new double[q];
            int fromTable = 0;
            for (int i = 0; i < 400; i++)
            {
                final long user = random.nextInt(USERS + 10);
                for (int f = 0; f < row.length; f++)
                {
                    row[f] = random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * 4 - 2;
                    buffer.putDouble(8 * f, row[f], ByteOrder.LITTLE_ENDIAN);
                }
                reference.scalarsFor(user, reader, row, expected, referenceContext);
                assertEquals(DecisionStatus.OK, engine.scalars(opus, user, row, row.length, out, context));
                assertEquals(q, context.resultCount());
                assertEquals(4, context.version());
                assertFalse(context.fallback());
                assertArrayEquals(expected, Arrays.copyOf(out, q));
                Arrays.fill(out, -1);
                assertEquals(DecisionStatus.OK, engine.scalars(opus, user, buffer, 0, row.length, out, context));
                assertArrayEquals(expected, Arrays.copyOf(out, q));
                reference.scalarsForUser(user, reader, expected, referenceContext);
                assertEquals(DecisionStatus.OK, engine.scalars(opus, user, row, 0, out, context));
                assertArrayEquals(expected, Arrays.copyOf(out, q));
                if (user < USERS && expected[1] != reference.defaultScalar(1))
                {
                    fromTable++;
                }
            }
            assertTrue(fromTable > 100, "the table answered bid 1 only " + fromTable + " times");
        }
    }

    @Test
    void scalarsWithoutTableServeDefaultsForTableBids() throws Exception
    {
        DecisionArtifacts.scalars(dir, "opus", 1, 21);
        try (DecisionEngine engine = DecisionEngine.open(dir); DecisionContext context = engine.newContext())
        {
            final int opus = engine.handle("opus");
            final double[] out = new double[DecisionArtifacts.SCALAR_BIDS];
            assertEquals(DecisionStatus.OK, engine.scalars(opus, 7, new double[0], 0, out, context));
            assertArrayEquals(new double[] {1.0, 1.1, 1.2}, out);
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            assertEquals(DecisionStatus.OK, engine.scalars(opus, 7, row, row.length, out, context));
            assertEquals(1.1, out[1]);
        }
    }

    @Test
    void adSlotEqualsTheDeciderAndKeepsStateAcrossRestart() throws Exception
    {
        final Path policies = Files.createDirectories(dir.resolve("p"));
        final Path file = DecisionArtifacts.adSlot(policies, "feed", 9, 5);
        final Path stateDir = dir.resolve("state");
        final SplittableRandom random = new SplittableRandom(8);
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        try (SessionStateStore referenceStore = SessionStateStore.open(dir.resolve("reference.cmap"), 1000,
                SessionStateStore.DEFAULT_SESSION_TIMEOUT_MILLIS))
        {
            final AdSlotDecider reference = AdSlotDecider.of(artifact, 0);
            final AdSlotContext referenceContext = reference.newContext();
            final SessionStateCursor referenceState = referenceStore.newCursor();
            final int p = reference.patternCount();
            final double[] features = new double[DecisionArtifacts.AD_SLOT_FEATURES];
            final double[] probabilities = new double[p + 3];
            long request = 1;
            int withAds = 0;
            for (int round = 0; round < 2; round++)
            {
                try (DecisionEngine engine = engine(policies, EngineStores.NONE.withStateDirectory(stateDir));
                    DecisionContext context = engine.newContext())
                {
                    final int feed = engine.handle("feed");
                    assertEquals(DecisionArtifacts.AD_SLOT_FEATURES, engine.inputWidth(feed, DecisionKind.AD_SLOT));
                    if (round == 1)
                    {
                        assertEquals(20, engine.stateStore().userCount(), "state survived the restart");
                    }
                    for (int i = 0; i < 300; i++, request++)
                    {
                        final long user = random.nextInt(20);
                        for (int f = 0; f < features.length; f++)
                        {
                            features[f] = random.nextDouble() * 3;
                        }
                        final long now = T0 + request * 1000;
                        final AdSlotDecision expected = reference.decide(request, user, now, features, referenceState,
                            referenceContext);
                        assertEquals(DecisionStatus.OK,
                            engine.adSlot(feed, request, user, now, features, features.length, probabilities, context));
                        assertEquals(p, context.resultCount());
                        assertEquals(9, context.version());
                        assertFalse(context.fallback());
                        assertEquals(expected.pattern(), context.adPattern());
                        assertEquals(expected.mask(), context.adMask());
                        assertEquals(expected.propensity(), context.propensity());
                        assertArrayEquals(expected.probabilities(), Arrays.copyOf(probabilities, p));
                        assertEquals(expected.probabilities()[expected.pattern()], context.propensity());
                        assertNotNull(context.adSlotDecision());
                        withAds += expected.mask() != 0 ? 1 : 0;
                    }
                }
            }
            assertTrue(withAds > 50, "only " + withAds + " feeds had ads");
        }
    }

    @Test
    void faultsFallbacksAndUnsupported() throws Exception
    {
        DecisionArtifacts.scalars(dir, "opus", 1, 21);
        DecisionArtifacts.adSlot(dir, "feed", 1, 5);
        DecisionArtifacts.gbdt(dir, "ctr", 1, 11);
        final Path stateDir = dir.resolve("state");
        final double[] probabilities = new double[64];
        final double[] features = new double[DecisionArtifacts.AD_SLOT_FEATURES];
        final double[] scalars = new double[8];
        final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
        try (DecisionEngine engine = DecisionEngine.open(dir); DecisionContext context = engine.newContext())
        {
            assertEquals(DecisionStatus.UNSUPPORTED_KIND,
                engine.adSlot(engine.handle("feed"), 1, 1, T0, features, features.length, probabilities, context));
        }
        try (DecisionEngine engine = engine(dir, EngineStores.NONE.withStateDirectory(stateDir));
            DecisionContext context = engine.newContext())
        {
            final int opus = engine.handle("opus");
            final int feed = engine.handle("feed");
            final int ctr = engine.handle("ctr");
            final int p = engine.inputWidth(feed, DecisionKind.AD_SLOT) >= 0 ? 0 : -1;
            assertEquals(0, p);
            assertEquals(-1, engine.inputWidth(ctr, DecisionKind.SCALAR));
            assertEquals(-1, engine.inputWidth(ctr, DecisionKind.AD_SLOT));
            assertEquals(DecisionStatus.UNKNOWN_ARTIFACT, engine.scalars(99, 1, row, 0, scalars, context));
            assertEquals(DecisionStatus.WRONG_KIND, engine.scalars(ctr, 1, row, 0, scalars, context));
            assertEquals(DecisionStatus.BAD_SIZE, engine.scalars(opus, 1, row, 3, scalars, context));
            assertEquals(DecisionStatus.BAD_SIZE, engine.scalars(opus, 1, row, 0, new double[2], context));
            assertEquals(DecisionStatus.UNKNOWN_ARTIFACT,
                engine.adSlot(-1, 1, 1, T0, features, features.length, probabilities, context));
            assertEquals(DecisionStatus.WRONG_KIND,
                engine.adSlot(ctr, 1, 1, T0, features, features.length, probabilities, context));
            assertEquals(DecisionStatus.BAD_SIZE,
                engine.adSlot(feed, 1, 1, T0, features, features.length - 1, probabilities, context));
            assertEquals(DecisionStatus.BAD_SIZE,
                engine.adSlot(feed, 1, 1, T0, features, features.length, new double[2], context));
            assertEquals(DecisionStatus.BAD_REQUEST,
                engine.adSlot(feed, 1, 1, 0, features, features.length, probabilities, context));
            assertEquals(0, engine.stateStore().userCount(), "faults touched no state");

            assertEquals(DecisionStatus.OK, engine.fallbackScalars(opus, scalars, context));
            assertTrue(context.fallback());
            assertArrayEquals(new double[] {1.0, 1.1, 1.2}, Arrays.copyOf(scalars, 3));
            assertEquals(DecisionStatus.WRONG_KIND, engine.fallbackScalars(ctr, scalars, context));
            assertEquals(DecisionStatus.OK, engine.fallbackAdSlot(feed, probabilities, context));
            assertTrue(context.fallback());
            assertEquals(1, context.version());
            assertEquals(0, context.adPattern());
            assertEquals(0, context.adMask());
            assertEquals(1.0, context.propensity());
            assertNull(context.adSlotDecision());
            final int patterns = context.resultCount();
            assertTrue(patterns > 1);
            assertEquals(1.0, probabilities[0]);
            assertEquals(0.0, Arrays.stream(probabilities, 1, patterns).sum());
            assertEquals(DecisionStatus.OK, engine.fallbackAdSlot(ctr, probabilities, context));
            assertEquals(0, context.version());
            assertEquals(1, context.resultCount());
            assertEquals(0, engine.stateStore().userCount(), "the shed path touched no state");

            // A newer version of "feed" and "opus" that only holds a GBDT: the last good version answers, flagged.
            DecisionArtifacts.gbdt(dir, "feed", 2, 11);
            DecisionArtifacts.gbdt(dir, "opus", 2, 11);
            engine.reload();
            assertEquals(2, engine.version(feed));
            assertEquals(DecisionStatus.OK,
                engine.adSlot(feed, 5, 1, T0, features, features.length, probabilities, context));
            assertTrue(context.fallback());
            assertEquals(1, context.version());
            assertEquals(DecisionStatus.OK, engine.scalars(opus, 1, row, row.length, scalars, context));
            assertTrue(context.fallback());
            assertEquals(1, context.version());
        }
    }

    @Test
    void scalarAndAdSlotDecisionsAllocateNothing() throws Exception
    {
        DecisionArtifacts.scalars(dir, "opus", 1, 21);
        DecisionArtifacts.adSlot(dir, "feed", 1, 5);
        final Path tableFile = cohortTable(Files.createDirectories(dir.resolve("t")).resolve("cohorts.cmap"));
        try (DecisionEngine engine = engine(dir,
            EngineStores.NONE.withCohortTable(tableFile).withStateDirectory(dir.resolve("state")));
            DecisionContext context = engine.newContext())
        {
            final int opus = engine.handle("opus");
            final int feed = engine.handle("feed");
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8 * row.length]);
            final double[] scalars = new double[DecisionArtifacts.SCALAR_BIDS];
            final double[] features = new double[DecisionArtifacts.AD_SLOT_FEATURES];
            final double[] probabilities = new double[64];
            final long[] counter = {0};
            AllocationAssert.assertZeroAllocation("scalars (models + table)", 20_000, 10_000, () ->
            {
                row[0] += 0.001;
                counter[0]++;
                sink += engine.scalars(opus, counter[0] % USERS, row, row.length, scalars, context);
            });
            AllocationAssert.assertZeroAllocation("scalars (table only, buffer)", 20_000, 10_000, () ->
            {
                counter[0]++;
                sink += engine.scalars(opus, counter[0] % USERS, row, 0, scalars, context);
                sink += engine.scalars(opus, counter[0] % USERS, buffer, 0, row.length, scalars, context);
            });
            AllocationAssert.assertZeroAllocation("adSlot", 20_000, 10_000, () ->
            {
                counter[0]++;
                features[0] = (counter[0] % 7) * 0.5;
                sink += engine.adSlot(feed, counter[0], counter[0] % 100, T0 + counter[0] * 100, features,
                    features.length, probabilities, context);
                sink += context.adMask();
            });
            final UnsafeBuffer featureBuffer = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(8 * features.length));
            AllocationAssert.assertZeroAllocation("adSlot(DirectBuffer)", 20_000, 10_000, () ->
            {
                counter[0]++;
                sink += engine.adSlot(feed, counter[0], counter[0] % 50, T0 + counter[0] * 100, featureBuffer, 0,
                    features.length, probabilities, context);
            });
            AllocationAssert.assertZeroAllocation("scalar and ad-slot fallbacks and faults", 20_000, 10_000, () ->
            {
                sink += engine.fallbackScalars(opus, scalars, context);
                sink += engine.fallbackAdSlot(feed, probabilities, context);
                sink += engine.scalars(opus, 1, row, 3, scalars, context);
                sink += engine.adSlot(feed, 1, 1, T0, features, 2, probabilities, context);
            });
        }
    }
}
