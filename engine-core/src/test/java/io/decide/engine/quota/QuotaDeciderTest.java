package io.decide.engine.quota;

import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.quota.QuotaDualDescriptor;
import io.decide.format.quota.QuotaDualWriter;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsWriter;
import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaDeciderTest
{
    private static final double[] COSTS = {0, 1, 2, 3};

    @TempDir
    Path dir;

    @Test
    void choosesTheBestNetValueAndTiesGoToTheLowerCost()
    {
        final QuotaDecider decider = new QuotaDecider(COSTS, 1.0, 0.0);
        assertEquals(2, decider.choose(new double[]{0, 2, 4, 4.5}, 0));
        assertEquals(0, decider.choose(new double[]{0, 1, 2, 3}, 0), "all net values 0: cheapest");
        assertEquals(1, decider.choose(new double[]{0, 2, 3, 4}, 0), "net 0,1,1,1: lowest cost of the tie");
        assertEquals(3, decider.choose(new double[]{9, 9, 9, 0, 2, 4, 9}, 3), "offset");
        assertEquals(3, decider.choose(new double[]{0, 2, 4, 4.5}, 0, 0.4), "lambda override");
        assertEquals(0, decider.choose(new double[]{0, 2, 4, 4.5}, 0, 10), "lambda override");
    }

    @Test
    void equalCostsTieToTheLowerIndexAndNaNIsNeverChosen()
    {
        final QuotaDecider decider = new QuotaDecider(new double[]{0, 2, 2}, 1.0, 0.0);
        assertEquals(1, decider.choose(new double[]{0, 5, 5}, 0));
        assertEquals(2, decider.choose(new double[]{0, Double.NaN, 5}, 0));
        assertEquals(1, decider.choose(new double[]{Double.NaN, 5, Double.NaN}, 0));
        assertEquals(0, decider.choose(new double[]{Double.NaN, Double.NaN, Double.NaN}, 0));
    }

    @Test
    void exploreAddsTheWeightedScoreAndBatchMatchesSingleChoices()
    {
        final QuotaDecider decider = new QuotaDecider(COSTS, 1.0, 2.0);
        assertEquals(3, decider.chooseExplore(new double[]{0, 1, 2, 3}, new double[]{0, 0, 0, 0.25}, 0, 1.0));
        assertEquals(0, decider.chooseExplore(new double[]{0, 1, 2, 3}, new double[]{0, 0, 0, 0}, 0, 1.0));
        final SplittableRandom random = new SplittableRandom(7);
        final int items = 1000;
        final double[] values = new double[items * COSTS.length];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = random.nextDouble() * 5;
        }
        final int[] chosen = new int[items];
        decider.chooseBatch(values, items, 1.3, chosen);
        for (int i = 0; i < items; i++)
        {
            assertEquals(decider.choose(values, i * COSTS.length, 1.3), chosen[i]);
        }
    }

    @Test
    void refusesBadConstruction()
    {
        assertThrows(IllegalArgumentException.class, () -> new QuotaDecider(new double[0], 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuotaDecider(new double[]{2, 1}, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuotaDecider(COSTS, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuotaDecider(COSTS, Double.POSITIVE_INFINITY, 0));
        assertThrows(IllegalStateException.class, () -> new QuotaDecider(COSTS, 1, 0).newContext());
    }

    @Test
    void readsTheArtifactAndCachesTheDecider() throws Exception
    {
        final Path file = dir.resolve("quota.dpol");
        new ArtifactWriter("quota", 3).addSection(SectionType.QUOTA_DUAL, QuotaDualDescriptor.VERSION,
            new QuotaDualWriter(COSTS).lambda(1.5).exploreWeight(0.25).capacity(1000).toBytes()).writeTo(file);
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        try
        {
            final QuotaDecider decider = QuotaDecider.of(artifact, 0);
            assertSame(decider, QuotaDecider.of(artifact, 0));
            assertEquals(1.5, decider.lambda());
            assertEquals(0.25, decider.exploreWeight());
            assertEquals(1000, decider.capacity());
            assertEquals(4, decider.optionCount());
            assertEquals(3.0, decider.cost(3));
            assertFalse(decider.modelValued());
            assertEquals(1, decider.choose(new double[]{0, 2, 3, 4}, 0));
            assertThrows(IllegalArgumentException.class, () -> QuotaDecider.of(artifact, 1));
        }
        finally
        {
            artifact.close();
        }
    }

    @Test
    void replaysVerificationVectorsAtLoadAndRefusesAnArtifactWhoseChoicesDisagree() throws Exception
    {
        for (final boolean wrong : new boolean[]{false, true})
        {
            final VerificationVectorsWriter vectors = new VerificationVectorsWriter();
            vectors.group(SectionType.QUOTA_DUAL, 0, QuotaDecider.MODE_VALUES, 5, 1, Tolerance.EXACT, 0)
                .add(new double[]{1.0, 0, 2, 4, 4.5}, new double[]{2})
                .add(new double[]{0.4, 0, 2, 4, 4.5}, new double[]{wrong ? 2 : 3});
            vectors.group(SectionType.QUOTA_DUAL, 0, QuotaDecider.MODE_MODEL, 3, 1, Tolerance.EXACT, 0)
                .add(new double[]{1.0, 0, 7}, new double[]{3});
            final Path file = dir.resolve("vectors-" + wrong + ".dpol");
            new ArtifactWriter("quota", 1)
                .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(diminishingModel()))
                .addSection(SectionType.QUOTA_DUAL, QuotaDualDescriptor.VERSION, new QuotaDualWriter(COSTS)
                    .lambda(1.0).gbdtValues(0, 1, 0, new double[]{0, 1, 2, 3}).toBytes())
                .addSection(SectionType.VERIFICATION_VECTORS, 1, vectors.toBytes())
                .writeTo(file);
            if (wrong)
            {
                final Exception ex = assertThrows(Exception.class,
                    () -> new ArtifactLoader(LoadOptions.defaults()).open(file));
                assertTrue(ex.getMessage().contains("QUOTA_DUAL"), ex.getMessage());
            }
            else
            {
                final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
                assertEquals(2, artifact.verification().groupsReplayed());
                assertEquals(3, artifact.verification().vectorsChecked());
                artifact.close();
            }
        }
    }

    /** Value model: 10·(1 − 0.5^k) as a sum of stumps on feature 1 (the K feature); feature 0 shifts everything. */
    static TreeEnsemble diminishingModel()
    {
        final TreeEnsemble.Builder builder = TreeEnsemble.builder().featureCount(2).baseScores(0.0);
        double increment = 5;
        for (int k = 1; k <= 4; k++)
        {
            builder.addTree(stump(1, k - 0.5, 0, increment));
            increment /= 2;
        }
        builder.addTree(stump(0, 0.5, 0, 100));
        return builder.build();
    }

    private static Tree stump(final int feature, final double threshold, final double left, final double right)
    {
        return new Tree(0, 1.0, new int[]{1, -1, -1}, new int[]{2, -1, -1}, new int[]{feature, 0, 0},
            new double[]{threshold, 0, 0}, new boolean[]{true, false, false},
            new MissingRule[]{MissingRule.NAN_DEFAULT, null, null}, new int[3][], new double[]{0, left, right});
    }

    @Test
    void valuesOptionsWithTheGbdtModelAndLeavesTheRowAsItWas() throws Exception
    {
        final double[] costs = {0, 1, 2, 3, 4};
        final Path file = dir.resolve("model.dpol");
        new ArtifactWriter("quota", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(diminishingModel()))
            .addSection(SectionType.QUOTA_DUAL, QuotaDualDescriptor.VERSION, new QuotaDualWriter(costs).lambda(1.0)
                .gbdtValues(0, 1, 0, new double[]{0, 1, 2, 3, 4}).toBytes())
            .writeTo(file);
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        try
        {
            final QuotaDecider decider = QuotaDecider.of(artifact, 0);
            assertTrue(decider.modelValued());
            final QuotaContext context = decider.newContext();
            final double[] row = {0, 42};
            // values 0, 5, 7.5, 8.75, 9.375: increments 5, 2.5, 1.25, 0.625.
            assertEquals(3, decider.chooseWithModel(row, 1.0, context), "increment 1.25 > 1 > 0.625");
            assertEquals(2, decider.chooseWithModel(row, 2.0, context), "increment 2.5 > 2 > 1.25");
            assertEquals(0, decider.chooseWithModel(row, 6.0, context));
            assertEquals(4, decider.chooseWithModel(row, 0.5, context));
            assertArrayEquals(new double[]{0, 42}, row);
            final double[] values = {0, 5, 7.5, 8.75, 9.375};
            for (final double lambda : new double[]{0.1, 0.7, 1.3, 2.6, 5.5})
            {
                assertEquals(decider.choose(values, 0, lambda), decider.chooseWithModel(row, lambda, context));
            }
        }
        finally
        {
            artifact.close();
        }
    }

    private final double[] allocValues = new double[200 * 16];
    private final double[] allocExplore = new double[200 * 16];
    private final int[] allocChosen = new int[16];
    private int sink;

    @Test
    void choosingAllocatesNothing() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < allocValues.length; i++)
        {
            allocValues[i] = random.nextDouble();
            allocExplore[i] = random.nextDouble();
        }
        final double[] costs10 = new double[10];
        final double[] costs200 = new double[200];
        for (int k = 0; k < costs200.length; k++)
        {
            costs200[k] = k;
            if (k < 10)
            {
                costs10[k] = k;
            }
        }
        final QuotaDecider d10 = new QuotaDecider(costs10, 0.01, 0.5);
        final QuotaDecider d200 = new QuotaDecider(costs200, 0.001, 0.5);
        AllocationAssert.assertZeroAllocation("choose K=10", 20_000, 10_000,
            () -> sink += d10.choose(allocValues, (sink & 7) * 10, 0.02));
        AllocationAssert.assertZeroAllocation("choose K=200", 20_000, 10_000,
            () -> sink += d200.choose(allocValues, (sink & 7) * 200));
        AllocationAssert.assertZeroAllocation("chooseExplore", 20_000, 10_000,
            () -> sink += d10.chooseExplore(allocValues, allocExplore, 10, 0.02));
        AllocationAssert.assertZeroAllocation("chooseBatch", 5_000, 2_000,
            () -> d10.chooseBatch(allocValues, 16, 0.02, allocChosen));

        final Path file = dir.resolve("alloc.dpol");
        new ArtifactWriter("quota", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(diminishingModel()))
            .addSection(SectionType.QUOTA_DUAL, QuotaDualDescriptor.VERSION, new QuotaDualWriter(
                new double[]{0, 1, 2, 3, 4}).lambda(1.0).gbdtValues(0, 1, 0, new double[]{0, 1, 2, 3, 4}).toBytes())
            .writeTo(file);
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        try
        {
            final QuotaDecider model = QuotaDecider.of(artifact, 0);
            final QuotaContext context = model.newContext();
            final double[] row = {0, 0};
            AllocationAssert.assertZeroAllocation("chooseWithModel", 20_000, 10_000,
                () -> sink += model.chooseWithModel(row, 1.0, context));
        }
        finally
        {
            artifact.close();
        }
    }
}
