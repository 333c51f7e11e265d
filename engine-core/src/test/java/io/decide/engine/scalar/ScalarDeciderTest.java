package io.decide.engine.scalar;

import io.decide.engine.cohort.CohortReader;
import io.decide.engine.cohort.CohortTable;
import io.decide.engine.rank.CandidateBatchDescriptor;
import io.decide.engine.rank.CandidateBatchWriter;
import io.decide.engine.rank.RankContext;
import io.decide.engine.rank.Ranker;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsWriter;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsWriter;
import io.decide.testsupport.AllocationAssert;
import io.decide.testsupport.RandomEnsembles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static io.decide.format.scalars.CohortScalarsDescriptor.DECREASING;
import static io.decide.format.scalars.CohortScalarsDescriptor.INCREASING;
import static io.decide.format.scalars.CohortScalarsDescriptor.METHOD_LPQC_SORTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fixed artifact with three bids: bid 10 from output 0 of a two-output GBDT (cohorts 0..2, decreasing), bid 20
 * without a model (cohorts from the table, increasing), bid 30 from output 1 of the same GBDT (increasing).
 */
class ScalarDeciderTest
{
    private static final double[] SCALARS_10 = {1.5, 1.0, 0.5};
    private static final double[] SCALARS_20 = {0.5, 0.75, 1.25, 2.0};
    private static final double[] SCALARS_30 = {1.0, 2.0};
    private static final double[] DEFAULTS = {1.0, 1.1, 1.2};
    /**
     * Warm-up calls before measuring a path through Chronicle Map: its lookup allocates nothing only once C2 has
     * compiled it (escape analysis), and other tests in the same JVM (a closed table's exceptions, other maps) can
     * make it deoptimise and recompile, which takes longer on a loaded machine.
     */
    private static final int TABLE_WARMUP = 200_000;

    @TempDir
    Path dir;

    private LoadedArtifact artifact;
    private CohortTable table;

    @BeforeEach
    void setUp() throws Exception
    {
        final Path file = dir.resolve("scalars.dpol");
        new ArtifactWriter("scalars", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(model()))
            .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, section())
            .writeTo(file);
        artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        table = CohortTable.create(dir.resolve("users.cmap"), 3, 100);
        table.put(1, new byte[]{2, 3, 1});
        table.put(2, new byte[]{0, 1, 0});
        table.put(3, new byte[]{(byte)200, 0, 5});
    }

    @AfterEach
    void tearDown()
    {
        table.close();
        artifact.close();
    }

    /** Output 0: 0.7 for feature 0 below 1.5, else 2.5; output 1: -1 for feature 1 below 0, else 1. */
    private static TreeEnsemble model()
    {
        return TreeEnsemble.builder().featureCount(2).outputCount(2).baseScores(0.0, 0.0)
            .addTree(stump(0, 0, 1.5, 0.7, 2.5))
            .addTree(stump(1, 1, 0.0, -1.0, 1.0))
            .build();
    }

    private static byte[] section()
    {
        return new CohortScalarsWriter()
            .addBid(10, DECREASING, METHOD_LPQC_SORTED, 0.5, 2, DEFAULTS[0], new double[]{1, 2}, SCALARS_10, 0, 0)
            .addBid(20, INCREASING, METHOD_LPQC_SORTED, 0.5, 2, DEFAULTS[1], new double[]{0, 1, 2}, SCALARS_20)
            .addBid(30, INCREASING, METHOD_LPQC_SORTED, 0.5, 2, DEFAULTS[2], new double[]{0}, SCALARS_30, 0, 1)
            .toBytes();
    }

    private static Tree stump(
        final int group, final int feature, final double threshold, final double left, final double right)
    {
        return new Tree(group, 1.0, new int[]{1, -1, -1}, new int[]{2, -1, -1}, new int[]{feature, 0, 0},
            new double[]{threshold, 0, 0}, new boolean[]{true, false, false},
            new MissingRule[]{MissingRule.NAN_DEFAULT, null, null}, new int[3][], new double[]{0, left, right});
    }

    @Test
    void readsTheSectionOnceAndSharesOneEvaluationPerModel()
    {
        final ScalarDecider decider = ScalarDecider.of(artifact);
        assertSame(decider, ScalarDecider.of(artifact));
        assertEquals(3, decider.bidCount());
        assertEquals(30, decider.bidId(2));
        assertEquals(1, decider.bidIndex(20));
        assertEquals(-1, decider.bidIndex(99));
        assertEquals(DECREASING, decider.direction(0));
        assertEquals(4, decider.cohortCount(1));
        assertEquals(1.25, decider.scalar(1, 2));
        assertEquals(1.1, decider.defaultScalar(1));
        assertTrue(decider.hasModel(0));
        assertFalse(decider.hasModel(1));
        assertEquals(1, decider.modelCount(), "bids 10 and 30 read two outputs of one GBDT");
        assertEquals(2, decider.featureCount());
    }

    @Test
    void cohortsAndSensitivitiesFromTheCaller()
    {
        final ScalarDecider decider = ScalarDecider.of(artifact);
        final double[] out = new double[3];
        assertEquals(0, decider.scalarsForCohorts(new int[]{2, 3, 0}, out));
        assertArrayEquals(new double[]{0.5, 2.0, 1.0}, out);
        assertEquals(2, decider.scalarsForCohorts(new int[]{-1, 4, 1}, out));
        assertArrayEquals(new double[]{DEFAULTS[0], DEFAULTS[1], 2.0}, out);
        // A sensitivity equal to a boundary belongs to the cohort above it.
        assertEquals(0, decider.scalarsForSensitivities(new double[]{1.0, 0.999, 0.0}, out));
        assertArrayEquals(new double[]{1.0, 0.75, 2.0}, out);
        assertEquals(1, decider.scalarsForSensitivities(new double[]{-1e300, Double.NaN, 1e300}, out));
        assertArrayEquals(new double[]{1.5, DEFAULTS[1], 2.0}, out);
        assertEquals(3, decider.defaultsServed());
        assertEquals(0, decider.unknownUsers());
    }

    @Test
    void tableLookupsWithUnknownUsersAndCohortsOutsideTheBid()
    {
        final ScalarDecider decider = ScalarDecider.of(artifact);
        final ScalarContext context = decider.newContext();
        final CohortReader reader = table.newReader();
        final double[] out = new double[3];
        assertEquals(0, decider.scalarsForUser(1, reader, out, context));
        assertArrayEquals(new double[]{0.5, 2.0, 2.0}, out);
        assertEquals(0, decider.scalarsForUser(2, reader, out, context));
        assertArrayEquals(new double[]{1.5, 0.75, 1.0}, out);
        assertEquals(2, decider.scalarsForUser(3, reader, out, context), "cohorts 200 and 5 are not cohorts");
        assertArrayEquals(new double[]{DEFAULTS[0], 0.5, DEFAULTS[2]}, out);
        assertEquals(3, decider.scalarsForUser(404, reader, out, context));
        assertArrayEquals(DEFAULTS, out);
        assertEquals(5, decider.defaultsServed());
        assertEquals(1, decider.unknownUsers());
        assertEquals(0, decider.failedLookups());
    }

    @Test
    void aTableWithFewerBidsAndAClosedTableServeDefaults() throws Exception
    {
        final ScalarDecider decider = ScalarDecider.of(artifact);
        final ScalarContext context = decider.newContext();
        final double[] out = new double[3];
        try (CohortTable narrow = CohortTable.create(dir.resolve("narrow.cmap"), 1, 10))
        {
            narrow.put(7, new byte[]{1});
            assertEquals(2, decider.scalarsForUser(7, narrow.newReader(), out, context));
            assertArrayEquals(new double[]{1.0, DEFAULTS[1], DEFAULTS[2]}, out);
        }
        final CohortTable closing = CohortTable.create(dir.resolve("closing.cmap"), 3, 10);
        closing.put(7, new byte[]{1, 1, 1});
        final CohortReader reader = closing.newReader();
        closing.close();
        assertEquals(3, decider.scalarsForUser(7, reader, out, context));
        assertArrayEquals(DEFAULTS, out);
        assertEquals(1, decider.failedLookups());
        assertEquals(5, decider.defaultsServed());
    }

    @Test
    void modelPathAndMixedRequests()
    {
        final ScalarDecider decider = ScalarDecider.of(artifact);
        final ScalarContext context = decider.newContext();
        final CohortReader reader = table.newReader();
        final double[] out = new double[3];
        // s10 = 0.7 (cohort 0), s30 = 1 (cohort 1); bid 20 has no model.
        assertEquals(1, decider.scalarsForFeatures(new double[]{0, 5}, out, context));
        assertArrayEquals(new double[]{1.5, DEFAULTS[1], 2.0}, out);
        assertArrayEquals(new double[]{0.7, 1.0}, context.modelOutputs(0));
        // s10 = 2.5 (cohort 2), s30 = -1 (cohort 0); bid 20 from user 1's table row (cohort 3).
        assertEquals(0, decider.scalarsFor(1, reader, new double[]{3, -2}, out, context));
        assertArrayEquals(new double[]{0.5, 2.0, 1.0}, out);
        assertEquals(1, decider.scalarsFor(404, reader, new double[]{3, -2}, out, context));
        assertArrayEquals(new double[]{0.5, DEFAULTS[1], 1.0}, out);
        assertEquals(1, decider.unknownUsers());
        assertThrows(IllegalArgumentException.class, () -> decider.scalarsForFeatures(new double[1], out, context));
        assertThrows(IllegalArgumentException.class,
            () -> decider.scalarsForFeatures(new double[2], out, ScalarDecider.of(artifact, (a, b) -> null)
                .newContext()));
    }

    /** The plug point: a model kind the engine does not know, supplied by a resolver; NaN outputs get defaults. */
    @Test
    void aResolverPlugsInAnotherModelKind()
    {
        final SensitivityModel<double[]> scaled = new SensitivityModel<>()
        {
            @Override
            public int featureCount()
            {
                return 1;
            }

            @Override
            public int outputCount()
            {
                return 2;
            }

            @Override
            public double[] newScratch()
            {
                return new double[]{0.5};
            }

            @Override
            public void evaluate(final double[] row, final double[] outputs, final double[] scratch)
            {
                outputs[0] = row[0] * scratch[0];
                outputs[1] = -row[0];
            }
        };
        final ScalarDecider decider = ScalarDecider.of(artifact, (a, bid) -> bid.modelOrdinal() < 0 ? null : scaled);
        assertNotEquals(ScalarDecider.of(artifact), decider);
        assertEquals(1, decider.modelCount());
        assertEquals(1, decider.featureCount());
        final double[] out = new double[3];
        assertEquals(1, decider.scalarsForFeatures(new double[]{3}, out, decider.newContext()));
        assertArrayEquals(new double[]{1.0, DEFAULTS[1], 1.0}, out, "s10 = 1.5 (cohort 1), s30 = -3 (cohort 0)");
        assertEquals(3, decider.scalarsForFeatures(new double[]{Double.NaN}, out, decider.newContext()));
        assertArrayEquals(DEFAULTS, out);
        final SensitivityModel<double[]> narrow = new SensitivityModel<>()
        {
            @Override
            public int featureCount()
            {
                return 1;
            }

            @Override
            public int outputCount()
            {
                return 1;
            }

            @Override
            public double[] newScratch()
            {
                return null;
            }

            @Override
            public void evaluate(final double[] row, final double[] outputs, final double[] scratch)
            {
                outputs[0] = row[0];
            }
        };
        final Exception ex = assertThrows(IllegalArgumentException.class,
            () -> ScalarDecider.of(artifact, (a, bid) -> bid.modelOrdinal() < 0 ? null : narrow));
        assertTrue(ex.getMessage().contains("bid 30: model output 1"), ex.getMessage());
    }

    @Test
    void replaysVerificationVectorsAtLoadAndRefusesAnArtifactWhoseScalarsDisagree() throws Exception
    {
        for (final boolean wrong : new boolean[]{false, true})
        {
            final VerificationVectorsWriter vectors = new VerificationVectorsWriter();
            vectors.group(SectionType.COHORT_SCALARS, 0, ScalarDecider.MODE_SENSITIVITIES, 3, 3, Tolerance.EXACT, 0)
                .add(new double[]{1.0, 0.999, 0.0}, new double[]{1.0, 0.75, 2.0})
                .add(new double[]{Double.NaN, 5, -1}, new double[]{DEFAULTS[0], 2.0, 1.0});
            vectors.group(SectionType.COHORT_SCALARS, 0, ScalarDecider.MODE_FEATURES, 2, 3, Tolerance.EXACT, 0)
                .add(new double[]{3, -2}, new double[]{0.5, DEFAULTS[1], wrong ? 2.0 : 1.0});
            vectors.group(SectionType.COHORT_SCALARS, 0, ScalarDecider.MODE_COHORTS, 3, 3, Tolerance.EXACT, 0)
                .add(new double[]{2, 3, 0}, new double[]{0.5, 2.0, 1.0})
                .add(new double[]{-1, 0.5, 9}, new double[]{DEFAULTS[0], DEFAULTS[1], DEFAULTS[2]});
            final Path file = dir.resolve("vectors-" + wrong + ".dpol");
            new ArtifactWriter("scalars", 2)
                .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(model()))
                .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, section())
                .addSection(SectionType.VERIFICATION_VECTORS, 1, vectors.toBytes())
                .writeTo(file);
            if (wrong)
            {
                final Exception ex = assertThrows(Exception.class,
                    () -> new ArtifactLoader(LoadOptions.defaults()).open(file));
                assertTrue(ex.getMessage().contains("COHORT_SCALARS #0, mode 1"), ex.getMessage());
            }
            else
            {
                final LoadedArtifact loaded = new ArtifactLoader(LoadOptions.defaults()).open(file);
                try
                {
                    assertEquals(3, loaded.verification().groupsReplayed());
                    assertEquals(5, loaded.verification().vectorsChecked());
                    assertEquals(0, ScalarDecider.of(loaded).defaultsServed(), "replay has its own counters");
                }
                finally
                {
                    loaded.close();
                }
            }
        }
    }

    @Test
    void refusesAnArtifactWithoutScalars() throws Exception
    {
        final Path file = dir.resolve("empty.dpol");
        new ArtifactWriter("empty", 1).addSection(1000, 1, new byte[8]).writeTo(file);
        final LoadedArtifact empty = new ArtifactLoader(LoadOptions.defaults()).open(file);
        try
        {
            final Exception ex = assertThrows(IllegalArgumentException.class, () -> ScalarDecider.of(empty));
            assertTrue(ex.getMessage().contains("no COHORT_SCALARS"), ex.getMessage());
        }
        finally
        {
            empty.close();
        }
    }

    /** The scalars are the CQS weights: the personalised top-K is the Ranker's top-K with the user's scalars. */
    @Test
    void scalarsFeedTheRanker()
    {
        final ScalarDecider decider = ScalarDecider.of(artifact);
        final Ranker ranker = new Ranker();
        final ScalarRanking ranking = new ScalarRanking(decider, ranker);
        final ScalarRanking.Context context = ranking.newContext(8);
        final CohortReader reader = table.newReader();
        // Candidate 0: high eCPM, high pQuality for bid 10; candidate 1: lower eCPM, clean; 2: high on bid 30.
        final UnsafeBuffer batch = batch(new double[]{3.0, 2.6, 2.9},
            new double[]{1.0, 0, 0, 0.1, 0.1, 0.1, 0, 0, 0.5});
        final int[] top = new int[2];
        // User 1: scalars 0.5, 2.0, 2.0 → totals 2.5, 2.3, 1.9.
        assertEquals(2, ranking.topKForUser(1, reader, batch, 0, 2, top, context));
        assertArrayEquals(new int[]{0, 1}, top);
        assertArrayEquals(new double[]{0.5, 2.0, 2.0}, context.scalars());
        final int[] expected = new int[2];
        ranker.topK(batch, 0, context.scalars(), 2, expected, new RankContext(8));
        assertArrayEquals(expected, top);
        // User 2: scalars 1.5, 0.75, 1.0 → totals 1.5, 2.275, 2.4: the quality-sensitive user sees other ads.
        assertEquals(2, ranking.topKForUser(2, reader, batch, 0, 2, top, context));
        assertArrayEquals(new int[]{2, 1}, top);
        assertEquals(1.5, context.rank().totalValue(0), 1e-12);
        // Features: s10 = 2.5 (scalar 0.5), bid 20 from user 2's row (0.75), s30 = 1 (2.0) → 2.5, 2.275, 1.9.
        assertEquals(2, ranking.topKFor(2, reader, new double[]{3, 1}, batch, 0, 2, top, context));
        assertArrayEquals(new int[]{0, 1}, top);
    }

    @Test
    void decisionsAllocateNothing()
    {
        final ScalarDecider decider = ScalarDecider.of(artifact);
        final ScalarContext context = decider.newContext();
        final CohortReader reader = table.newReader();
        final double[] out = new double[3];
        final double[] row = {0, 0};
        final int[] cohorts = {0, 0, 0};
        final double[] sensitivities = {0, 0, 0};
        final long[] user = {0};
        AllocationAssert.assertZeroAllocation("table path (hits and misses)", TABLE_WARMUP, 20_000, () ->
        {
            final long u = user[0]++;
            decider.scalarsForUser(u & 3, reader, out, context);
        });
        AllocationAssert.assertZeroAllocation("GBDT path", 20_000, 20_000, () ->
        {
            row[0] = (user[0]++ & 7) * 0.5;
            row[1] = row[0] - 1;
            decider.scalarsForFeatures(row, out, context);
        });
        AllocationAssert.assertZeroAllocation("mixed GBDT + table path", TABLE_WARMUP, 20_000, () ->
        {
            final long u = user[0]++;
            row[0] = (u & 7) * 0.5;
            decider.scalarsFor(u & 3, reader, row, out, context);
        });
        AllocationAssert.assertZeroAllocation("cohorts path", 20_000, 20_000, () ->
        {
            final long u = user[0]++;
            cohorts[0] = (int)(u & 3);
            cohorts[1] = (int)(u % 5) - 1;
            decider.scalarsForCohorts(cohorts, out);
        });
        AllocationAssert.assertZeroAllocation("sensitivities path", 20_000, 20_000, () ->
        {
            final long u = user[0]++;
            sensitivities[0] = (u & 7) * 0.5;
            sensitivities[1] = (u & 1) == 0 ? Double.NaN : 1.5;
            decider.scalarsForSensitivities(sensitivities, out);
        });
        final ScalarRanking ranking = new ScalarRanking(decider, new Ranker());
        final ScalarRanking.Context rankContext = ranking.newContext(8);
        final UnsafeBuffer batch = batch(new double[]{3.0, 2.6, 2.9}, new double[]{1.0, 0, 0, 0.1, 0.1, 0.1, 0, 0, 0.5});
        final int[] top = new int[2];
        AllocationAssert.assertZeroAllocation("scalars + top-K", TABLE_WARMUP, 20_000, () ->
        {
            final long u = user[0]++;
            ranking.topKForUser(u & 3, reader, batch, 0, 2, top, rankContext);
        });
        assertTrue(decider.defaultsServed() > 0 && decider.unknownUsers() > 0);
    }

    /** The GBDT path with models shaped like the benchmark's (50 trees, depth up to 6, padded and compact blocks). */
    @Test
    void gbdtPathWithLargerModelsAllocatesNothing() throws Exception
    {
        final Random random = new Random(5);
        final TreeEnsemble[] models = new TreeEnsemble[2];
        final CohortScalarsWriter section = new CohortScalarsWriter();
        final ArtifactWriter writer = new ArtifactWriter("large", 1);
        for (int m = 0; m < 2; m++)
        {
            models[m] = RandomEnsembles.ensemble(random,
                new RandomEnsembles.Shape(20, 2, 50, 6, false, true));
            writer.addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(models[m]));
            section.addBid(m, INCREASING, METHOD_LPQC_SORTED, 0.5, 2, 1, new double[]{-1, 0, 1},
                new double[]{0.5, 1, 1.5, 2}, m, 1);
        }
        final Path file = dir.resolve("large.dpol");
        writer.addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, section.toBytes()).writeTo(file);
        final LoadedArtifact large = new ArtifactLoader(LoadOptions.defaults()).open(file);
        try
        {
            final ScalarDecider decider = ScalarDecider.of(large);
            final ScalarContext context = decider.newContext();
            final double[][] rows = RandomEnsembles.rows(random, models[0], 64);
            final double[] out = new double[2];
            final int[] next = {0};
            AllocationAssert.assertZeroAllocation("GBDT path, 2 models of 50 trees", 20_000, 20_000,
                () -> decider.scalarsForFeatures(rows[next[0]++ & 63], out, context));
        }
        finally
        {
            large.close();
        }
    }

    private static UnsafeBuffer batch(final double[] ecpm, final double[] p)
    {
        final int n = ecpm.length;
        final int q = p.length / n;
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(
            (int)CandidateBatchDescriptor.batchLength(n, q)));
        final CandidateBatchWriter writer = new CandidateBatchWriter().wrap(buffer, 0).header(n, q);
        for (int i = 0; i < n; i++)
        {
            writer.ecpm(i, ecpm[i]);
            for (int j = 0; j < q; j++)
            {
                writer.pQuality(i, j, p[i * q + j]);
            }
        }
        assertEquals(0, Arrays.stream(ecpm).filter(Double::isNaN).count());
        return buffer;
    }
}
