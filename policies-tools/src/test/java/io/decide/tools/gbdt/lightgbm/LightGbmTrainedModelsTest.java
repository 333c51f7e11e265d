package io.decide.tools.gbdt.lightgbm;

import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.OutputTransform;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.CompiledEngine;
import io.decide.tools.gbdt.ModelImportException;
import io.decide.tools.gbdt.lightgbm.LightGbmFidelity.Fixture;
import io.decide.tools.gbdt.lightgbm.SyntheticData.Label;
import org.junit.jupiter.api.Test;

import static io.decide.tools.gbdt.lightgbm.LightGbmFidelity.TRANSFORMED_ULPS;
import static io.decide.tools.gbdt.lightgbm.LightGbmFidelity.assertRawBitIdentical;
import static io.decide.tools.gbdt.lightgbm.LightGbmFidelity.assertTransformedWithin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential tests: the models of {@link LightGbmFixtures}, trained by LightGBM on seeded synthetic data,
 * imported from their text, and predicted on at least 100,000 probe rows each (specials, tiny values around
 * kZeroThreshold, every threshold and its neighbouring doubles, odd categories). Raw margins must be bit-identical
 * to LightGBM's, transformed outputs within {@link LightGbmFidelity#TRANSFORMED_ULPS} ulps; each test also checks
 * the model really has the feature it is there for.
 */
class LightGbmTrainedModelsTest
{
    private static void assertFaithful(final Fixture fixture)
    {
        final TreeEnsemble ensemble = fixture.ensemble();
        assertTrue(fixture.rowCount() >= LightGbmFixtures.PROBE_ROWS);
        assertRawBitIdentical(fixture, ensemble::predictRaw);
        assertTransformedWithin(fixture, ensemble::predict, TRANSFORMED_ULPS);
        final CompiledEngine engine = CompiledEngine.of(ensemble);
        assertRawBitIdentical(fixture, engine::predictRaw);
        assertTransformedWithin(fixture, engine::predict, TRANSFORMED_ULPS);
    }

    private static int countNodes(final TreeEnsemble ensemble, final NodePredicate predicate)
    {
        int count = 0;
        for (final Tree tree : ensemble.trees())
        {
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (!tree.isLeaf(i) && predicate.test(tree, i))
                {
                    count++;
                }
            }
        }
        return count;
    }

    @FunctionalInterface
    private interface NodePredicate
    {
        boolean test(Tree tree, int node);
    }

    /** Numeric nodes with a missing rule and, unless null, a default direction. */
    private static int countMissing(final TreeEnsemble ensemble, final MissingRule rule, final Boolean defaultLeft)
    {
        return countNodes(ensemble, (t, i) -> t.categories(i) == null && t.missing(i) == rule &&
            (defaultLeft == null || defaultLeft == t.defaultLeft(i)));
    }

    @Test
    void binaryWithNanMissingTypeAndSigmoidScale()
    {
        final Fixture fixture = LightGbmFixtures.binary();
        final TreeEnsemble ensemble = fixture.ensemble();
        assertEquals(OutputTransform.SIGMOID, ensemble.transform());
        assertEquals(1.7, ensemble.sigmoidScale());
        assertTrue(countMissing(ensemble, MissingRule.NAN_DEFAULT, true) > 0, "NaN type, default left");
        assertTrue(countMissing(ensemble, MissingRule.NAN_DEFAULT, false) > 0, "NaN type, default right");
        assertTrue(countMissing(ensemble, MissingRule.NAN_AS_ZERO, null) > 0, "None missing type");
        assertTrue(fixture.modelText().contains(" -1.0000000180025095e-35 "), "a threshold at -kZeroThreshold");
        assertTrue(countNodes(ensemble, (t, i) -> t.categories(i) == null &&
            t.threshold(i) == Math.nextDown(-TreeEnsemble.ZERO_THRESHOLD)) > 0, "-kZeroThreshold imported below");
        assertFaithful(fixture);

        final TreeEnsemble unscaled = LightGbmFidelity.importText("binary, sigmoid:1",
            fixture.modelText().replace("objective=binary sigmoid:1.7", "objective=binary sigmoid:1"));
        assertThrows(AssertionError.class, () -> assertTransformedWithin(fixture, unscaled::predict,
            TRANSFORMED_ULPS), "the sigmoid scale is what LightGBM applies");
    }

    @Test
    void regressionWithZeroAsMissing()
    {
        final Fixture fixture = LightGbmFixtures.regressionZeroAsMissing();
        final TreeEnsemble ensemble = fixture.ensemble();
        assertEquals(OutputTransform.IDENTITY, ensemble.transform());
        assertTrue(countMissing(ensemble, MissingRule.ZERO_DEFAULT, true) > 0, "Zero type, default left");
        assertTrue(countMissing(ensemble, MissingRule.ZERO_DEFAULT, false) > 0, "Zero type, default right");
        assertFaithful(fixture);
    }

    @Test
    void regressionWithoutMissingValues()
    {
        final Fixture fixture = LightGbmFixtures.regressionWithoutMissing();
        final TreeEnsemble ensemble = fixture.ensemble();
        assertTrue(countMissing(ensemble, MissingRule.NAN_AS_ZERO, null) > 0);
        assertEquals(0, countMissing(ensemble, MissingRule.NAN_DEFAULT, null) +
            countMissing(ensemble, MissingRule.ZERO_DEFAULT, null), "only the None missing type");
        assertFaithful(fixture);
    }

    @Test
    void binaryWithCategoricalFeature()
    {
        final Fixture fixture = LightGbmFixtures.categorical();
        final TreeEnsemble ensemble = fixture.ensemble();
        assertTrue(countNodes(ensemble, (t, i) -> t.categories(i) != null && t.categories(i).length > 1) > 0,
            "many-vs-many categorical splits");
        assertFaithful(fixture);
    }

    @Test
    void multiclassSoftmax()
    {
        final Fixture fixture = LightGbmFixtures.multiclass();
        final TreeEnsemble ensemble = fixture.ensemble();
        assertEquals(4, ensemble.outputCount());
        assertEquals(OutputTransform.SOFTMAX, ensemble.transform());
        assertEquals(60, ensemble.trees().length);
        assertEquals(2, ensemble.trees()[6].group());
        assertFaithful(fixture);
    }

    @Test
    void multiclassOneVersusAll()
    {
        final Fixture fixture = LightGbmFixtures.multiclassOva();
        final TreeEnsemble ensemble = fixture.ensemble();
        assertEquals(OutputTransform.SIGMOID, ensemble.transform());
        assertEquals(0.8, ensemble.sigmoidScale());
        assertFaithful(fixture);
    }

    @Test
    void crossEntropy()
    {
        final Fixture fixture = LightGbmFixtures.crossEntropy();
        assertEquals(OutputTransform.SIGMOID, fixture.ensemble().transform());
        assertEquals(1.0, fixture.ensemble().sigmoidScale());
        assertFaithful(fixture);
    }

    @Test
    void poisson()
    {
        final Fixture fixture = LightGbmFixtures.poisson();
        assertEquals(OutputTransform.EXP, fixture.ensemble().transform());
        assertFaithful(fixture);
    }

    @Test
    void gamma()
    {
        final Fixture fixture = LightGbmFixtures.gamma();
        assertEquals(OutputTransform.EXP, fixture.ensemble().transform());
        assertFaithful(fixture);
    }

    @Test
    void tweedie()
    {
        final Fixture fixture = LightGbmFixtures.tweedie();
        assertEquals(OutputTransform.EXP, fixture.ensemble().transform());
        assertFaithful(fixture);
    }

    @Test
    void quantileRegression()
    {
        final Fixture fixture = LightGbmFixtures.quantile();
        assertEquals(OutputTransform.IDENTITY, fixture.ensemble().transform());
        assertFaithful(fixture);
    }

    @Test
    void otherIdentityObjectives()
    {
        for (final String objective : new String[]{"regression_l1", "huber", "fair", "mape"})
        {
            final Fixture fixture = LightGbmFixtures.regression(objective);
            assertTrue(fixture.modelText().contains("\nobjective=" + objective + "\n"), objective);
            assertEquals(OutputTransform.IDENTITY, fixture.ensemble().transform());
            assertFaithful(fixture);
        }
    }

    @Test
    void rankingObjectives()
    {
        for (final String objective : new String[]{"lambdarank", "rank_xendcg"})
        {
            final Fixture fixture = LightGbmFixtures.ranking(objective);
            assertTrue(fixture.modelText().contains("\nobjective=" + objective + "\n"), objective);
            assertEquals(OutputTransform.IDENTITY, fixture.ensemble().transform());
            assertFaithful(fixture);
        }
    }

    @Test
    void linearTreesAreRefusedByName()
    {
        final String text = LightGbmFidelity.train(LightGbmFixtures.COMMON + "objective=regression " +
            "linear_tree=true", 3, SyntheticData.training(171, LightGbmFixtures.TRAINING_ROWS, Label.REGRESSION,
            false));
        assertTrue(text.contains("is_linear=1"));
        final ModelImportException e = assertThrows(ModelImportException.class,
            () -> LightGbmFidelity.importText("linear", text));
        assertTrue(e.getMessage().contains("linear trees"), e.getMessage());
    }

    @Test
    void randomForestAveragesOverIterations()
    {
        final Fixture fixture = LightGbmFixtures.randomForest();
        assertTrue(fixture.modelText().contains("\naverage_output\n"));
        assertEquals(25, fixture.ensemble().averageDivisor());
        assertFaithful(fixture);
        assertArrayEquals(fixture.raw(), fixture.transformed(),
            "regression: LightGBM's output is its raw tree sum divided by the iteration count, in double");
    }

    @Test
    void multiclassRandomForestAveragesOverIterationsNotTrees()
    {
        final Fixture fixture = LightGbmFixtures.randomForestMulticlass();
        assertEquals(32, fixture.ensemble().trees().length);
        assertEquals(8, fixture.ensemble().averageDivisor());
        assertFaithful(fixture);
    }

    @Test
    void dart()
    {
        final Fixture fixture = LightGbmFixtures.dart();
        assertEquals("dart", fixture.ensemble().info().get("boosting"));
        assertFaithful(fixture);
    }

    @Test
    void constantModelOfSingleLeafTrees()
    {
        final Fixture fixture = LightGbmFixtures.singleLeaf();
        final Tree first = fixture.ensemble().trees()[0];
        assertEquals(1, first.nodeCount());
        assertTrue(fixture.modelText().contains("num_leaves=1\n"));
        assertFaithful(fixture);
    }
}
