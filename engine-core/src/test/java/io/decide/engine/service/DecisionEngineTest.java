package io.decide.engine.service;

import io.decide.engine.rank.CandidateBatchDescriptor;
import io.decide.engine.rank.CandidateBatchWriter;
import io.decide.engine.rank.RankContext;
import io.decide.engine.rank.Ranker;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.engine.quota.QuotaDecider;
import io.decide.testsupport.AllocationAssert;
import io.decide.testsupport.DecisionArtifacts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionEngineTest
{
    private static final double[] COSTS = {0, 1, 2, 3};

    @TempDir
    Path dir;

    @Test
    void predictsExactlyAsTheModelAndReportsVersion() throws Exception
    {
        final TreeEnsemble ensemble = DecisionArtifacts.gbdt(dir, "ctr", 3, 11);
        try (DecisionEngine engine = DecisionEngine.open(dir); DecisionContext context = engine.newContext())
        {
            final int ctr = engine.handle("ctr");
            assertEquals(0, ctr);
            assertEquals(3, engine.version(ctr));
            assertEquals(DecisionArtifacts.GBDT_FEATURES, engine.inputWidth(ctr, DecisionKind.GBDT_PREDICT));
            final SplittableRandom random = new SplittableRandom(5);
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            final double[] out = new double[4];
            final double[] expected = new double[ensemble.transformedCount()];
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8 * row.length + 16]);
            for (int i = 0; i < 500; i++)
            {
                for (int f = 0; f < row.length; f++)
                {
                    row[f] = random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * 4 - 2;
                    buffer.putDouble(16 + 8 * f, row[f], ByteOrder.LITTLE_ENDIAN);
                }
                ensemble.predict(row, expected);
                assertEquals(DecisionStatus.OK, engine.predict(ctr, row, row.length, out, context));
                assertEquals(expected.length, context.resultCount());
                assertEquals(3, context.version());
                assertFalse(context.fallback());
                assertArrayEquals(expected, Arrays.copyOf(out, expected.length));
                Arrays.fill(out, -1);
                assertEquals(DecisionStatus.OK, engine.predict(ctr, buffer, 16, row.length, out, context));
                assertArrayEquals(expected, Arrays.copyOf(out, expected.length));
            }
        }
    }

    @Test
    void requestFaultsAreStatusCodesAndWriteNothing() throws Exception
    {
        DecisionArtifacts.gbdt(dir, "ctr", 1, 11);
        DecisionArtifacts.quota(dir, "quota", 1, COSTS, 1.0);
        try (DecisionEngine engine = DecisionEngine.open(dir); DecisionContext context = engine.newContext())
        {
            final int ctr = engine.handle("ctr");
            final int quota = engine.handle("quota");
            assertEquals(DecisionEngine.NO_HANDLE, engine.handle("nope"));
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            final double[] out = {7, 7};
            final int[] option = {9};
            assertEquals(DecisionStatus.UNKNOWN_ARTIFACT, engine.predict(-1, row, row.length, out, context));
            assertEquals(DecisionStatus.UNKNOWN_ARTIFACT, engine.predict(99, row, row.length, out, context));
            assertEquals(DecisionStatus.BAD_SIZE, engine.predict(ctr, row, row.length - 1, out, context));
            assertEquals(DecisionStatus.BAD_SIZE, engine.predict(ctr, row, row.length + 1, out, context));
            assertEquals(DecisionStatus.BAD_SIZE, engine.predict(ctr, row, row.length, new double[0], context));
            assertEquals(DecisionStatus.WRONG_KIND, engine.predict(quota, row, row.length, out, context));
            assertEquals(DecisionStatus.WRONG_KIND, engine.quota(ctr, new double[4], 4, option, context));
            assertEquals(DecisionStatus.BAD_SIZE, engine.quota(quota, new double[4], 3, option, context));
            assertArrayEquals(new double[]{7, 7}, out);
            assertEquals(9, option[0]);
            assertEquals(0, context.resultCount());
            assertEquals("WRONG_KIND", DecisionStatus.name(DecisionStatus.WRONG_KIND));
        }
    }

    @Test
    void quotaMatchesTheDeciderAndReloadServesNewVersionsButRefusesBadFiles() throws Exception
    {
        DecisionArtifacts.quota(dir, "quota", 1, COSTS, 1.0);
        try (DecisionEngine engine = DecisionEngine.open(dir); DecisionContext context = engine.newContext())
        {
            final int quota = engine.handle("quota");
            final int[] out = new int[1];
            final double[] values = {0, 2, 4, 4.5};
            assertEquals(DecisionStatus.OK, engine.quota(quota, values, 4, out, context));
            assertEquals(new QuotaDecider(COSTS, 1.0, 0).choose(values, 0), out[0]);
            assertEquals(1, context.version());

            DecisionArtifacts.quota(dir, "quota", 2, COSTS, 10.0);
            Files.write(dir.resolve("quota-v3.dpol"), "not an artifact".getBytes(StandardCharsets.UTF_8));
            assertTrue(engine.reload().hasRejections());
            assertEquals(2, engine.version(quota));
            assertEquals(DecisionStatus.OK, engine.quota(quota, values, 4, out, context));
            assertEquals(0, out[0], "λ = 10 makes the cheapest option best");
            assertEquals(2, context.version());
        }
    }

    @Test
    void lastGoodVersionAnswersWhenANewerVersionHoldsAnotherKindAndShedPathUsesDefaults() throws Exception
    {
        final TreeEnsemble ensemble = DecisionArtifacts.gbdt(dir, "m", 1, 4);
        try (DecisionEngine engine = DecisionEngine.open(dir); DecisionContext context = engine.newContext())
        {
            final int m = engine.handle("m");
            DecisionArtifacts.quota(dir, "m", 2, COSTS, 1.0);
            engine.reload();
            assertEquals(2, engine.version(m));
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            Arrays.fill(row, 0.5);
            final double[] out = new double[2];
            final double[] expected = new double[1];
            ensemble.predict(row, expected);
            assertEquals(DecisionStatus.OK, engine.predict(m, row, row.length, out, context));
            assertTrue(context.fallback());
            assertEquals(1, context.version());
            assertEquals(expected[0], out[0]);

            Arrays.fill(row, Double.NaN);
            ensemble.predict(row, expected);
            assertEquals(DecisionStatus.OK, engine.fallbackPredict(m, out, context));
            assertEquals(expected[0], out[0], "shed answer: last good version on an all-missing row");
            assertTrue(context.fallback());
            assertEquals(1, context.version());

            final int[] option = {5};
            assertEquals(DecisionStatus.OK, engine.fallbackQuota(m, option, context));
            assertEquals(0, option[0]);
            assertEquals(2, context.version());
        }
        final Path other = Files.createDirectory(dir.resolve("other"));
        DecisionArtifacts.quota(other, "q", 1, COSTS, 1.0);
        try (DecisionEngine engine = new DecisionEngine(other, io.decide.engine.registry.LoadOptions.defaults(), 4,
            16, new FallbackDefaults(0.25, 2), io.decide.engine.registry.RegistryListener.NONE))
        {
            engine.reload();
            final DecisionContext context = engine.newContext();
            final double[] out = new double[1];
            assertEquals(DecisionStatus.OK, engine.fallbackPredict(engine.handle("q"), out, context));
            assertEquals(0.25, out[0], "no GBDT version ever: static default");
            assertEquals(0, context.version());
            assertTrue(context.fallback());
            context.close();
        }
    }

    @Test
    void rankMatchesTheRankerAndRefusesBatchesThatDoNotFit()
    {
        final int n = 50;
        final int q = 3;
        final UnsafeBuffer batch = batch(n, q, 8);
        final double[] scalars = {0.5, 2, 1};
        try (DecisionEngine engine = DecisionEngine.open(dir); DecisionContext context = engine.newContext())
        {
            final int length = (int)CandidateBatchDescriptor.batchLength(n, q);
            final int[] out = new int[10];
            final int[] expected = new int[10];
            assertEquals(10, new Ranker().topK(batch, 8, scalars, 10, expected, new RankContext(64)));
            assertEquals(DecisionStatus.OK, engine.rank(batch, 8, length, scalars, 3, 10, out, context));
            assertArrayEquals(expected, out);
            assertEquals(10, context.resultCount());
            assertEquals(DecisionStatus.BAD_SIZE, engine.rank(batch, 8, length, scalars, 2, 10, out, context));
            assertEquals(DecisionStatus.BAD_REQUEST, engine.rank(batch, 8, length - 1, scalars, 3, 10, out, context));
            assertEquals(DecisionStatus.BAD_SIZE, engine.rank(batch, 8, length, scalars, 3, 11, out, context));
            assertEquals(DecisionStatus.OK, engine.fallbackRank(batch, 8, length, 4, out, context));
            assertArrayEquals(new int[]{0, 1, 2, 3}, Arrays.copyOf(out, 4));
            assertTrue(context.fallback());
        }
    }

    private final double[] zRow = new double[DecisionArtifacts.GBDT_FEATURES];
    private final double[] zOut = new double[4];
    private final int[] zOption = new int[1];
    private final double[] zValues = {0, 2, 4, 4.5};
    private final double[] zScalars = {0.5, 2, 1};
    private final int[] zTop = new int[10];
    private UnsafeBuffer zBatch;
    private UnsafeBuffer zName;
    private UnsafeBuffer zRowBuffer;
    private DecisionEngine zEngine;
    private DecisionContext zContext;
    private int zCtr;
    private int zQuota;
    private long zSink;

    @Test
    void everyDecisionPathAllocatesNothing() throws Exception
    {
        DecisionArtifacts.gbdt(dir, "ctr", 1, 11);
        DecisionArtifacts.quota(dir, "quota", 1, COSTS, 1.0);
        zBatch = batch(200, 3, 0);
        zName = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        zName.putBytes(0, "quota".getBytes(StandardCharsets.UTF_8));
        zRowBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8 * zRow.length));
        try (DecisionEngine engine = DecisionEngine.open(dir); DecisionContext context = engine.newContext())
        {
            zEngine = engine;
            zContext = context;
            zCtr = engine.handle("ctr");
            zQuota = engine.handle("quota");
            final int batchLength = (int)CandidateBatchDescriptor.batchLength(200, 3);
            AllocationAssert.assertZeroAllocation("predict(double[])", 20_000, 10_000, () ->
            {
                zRow[0] += 0.001;
                zSink += zEngine.predict(zCtr, zRow, zRow.length, zOut, zContext);
            });
            AllocationAssert.assertZeroAllocation("predict(DirectBuffer)", 20_000, 10_000, () ->
                zSink += zEngine.predict(zCtr, zRowBuffer, 0, zRow.length, zOut, zContext));
            AllocationAssert.assertZeroAllocation("quota", 20_000, 10_000, () ->
                zSink += zEngine.quota(zQuota, zValues, 4, zOption, zContext));
            AllocationAssert.assertZeroAllocation("rank", 5_000, 2_000, () ->
                zSink += zEngine.rank(zBatch, 0, batchLength, zScalars, 3, 10, zTop, zContext));
            AllocationAssert.assertZeroAllocation("handle(DirectBuffer)", 20_000, 10_000, () ->
                zSink += zEngine.handle(zName, 0, 5));
            AllocationAssert.assertZeroAllocation("fallbacks and faults", 20_000, 10_000, () ->
            {
                zSink += zEngine.fallbackPredict(zCtr, zOut, zContext);
                zSink += zEngine.fallbackQuota(zQuota, zOption, zContext);
                zSink += zEngine.fallbackRank(zBatch, 0, batchLength, 10, zTop, zContext);
                zSink += zEngine.predict(zQuota, zRow, zRow.length, zOut, zContext);
                zSink += zEngine.predict(zCtr, zRow, 3, zOut, zContext);
                zSink += zEngine.quota(17, zValues, 4, zOption, zContext);
            });
        }
        assertTrue(zSink != 0);
    }

    private static UnsafeBuffer batch(final int n, final int q, final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(
            (int)(offset + CandidateBatchDescriptor.batchLength(n, q))));
        final CandidateBatchWriter writer = new CandidateBatchWriter().wrap(buffer, offset).header(n, q);
        final SplittableRandom random = new SplittableRandom(n);
        for (int i = 0; i < n; i++)
        {
            writer.ecpm(i, random.nextDouble() * 10);
            for (int j = 0; j < q; j++)
            {
                writer.pQuality(i, j, random.nextDouble() * 0.2);
            }
        }
        return buffer;
    }
}
