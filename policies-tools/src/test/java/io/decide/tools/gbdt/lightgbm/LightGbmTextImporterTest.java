package io.decide.tools.gbdt.lightgbm;

import io.decide.format.gbdt.CategoricalRule;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.OutputTransform;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.ModelImportException;
import io.decide.tools.gbdt.lightgbm.LightGbmFidelity.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.decide.tools.gbdt.lightgbm.HandcraftedModels.categoricalStump;
import static io.decide.tools.gbdt.lightgbm.HandcraftedModels.model;
import static io.decide.tools.gbdt.lightgbm.HandcraftedModels.stump;
import static io.decide.tools.gbdt.lightgbm.HandcraftedModels.threeLeaves;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text importer on handcrafted models: split semantics at the edges (kZeroThreshold, every missing type and
 * default direction, odd categories) against LightGBM itself, the header and parameters it reads, and everything
 * it refuses, with messages that name the problem and where it is.
 */
class LightGbmTextImporterTest
{
    private static final double KZ = TreeEnsemble.ZERO_THRESHOLD;
    private static final String[] THRESHOLDS = {
        "-1.0000000180025095e-35", "-5e-36", "-1e-35", "0", "-0", "5e-36", "1.0000000180025095e-35", "-1e-30",
        "1e-30", "2.5", "-2.5"};
    private static final String[] CATEGORY_WORDS = {"9 2", "8 2", "2147483648", "1", "0 0 1"};

    @TempDir
    Path dir;

    private static TreeEnsemble read(final String text)
    {
        return LightGbmFidelity.importText("handcrafted", text);
    }

    private static ModelImportException refused(final String text)
    {
        return assertThrows(ModelImportException.class, () -> read(text));
    }

    private static void assertMessage(final ModelImportException e, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should name '" + part + "'");
        }
    }

    @Test
    void splitsAtTheEdgesMatchLightGbm()
    {
        final List<String> trees = new ArrayList<>();
        int k = 1;
        for (final String threshold : THRESHOLDS)
        {
            for (int missingType = 0; missingType < 3; missingType++)
            {
                for (int defaultLeft = 0; defaultLeft < 2; defaultLeft++)
                {
                    trees.add(stump(0, threshold, missingType << 2 | defaultLeft << 1, k, -100.0 * k));
                    k++;
                }
            }
        }
        for (final String words : CATEGORY_WORDS)
        {
            for (int missingType = 0; missingType < 3; missingType++)
            {
                for (int defaultLeft = 0; defaultLeft < 2; defaultLeft++)
                {
                    trees.add(categoricalStump(1, 1 | missingType << 2 | defaultLeft << 1, words, k, -100.0 * k));
                    k++;
                }
            }
        }
        final String text = model("regression", 2, "", trees.toArray(new String[0]));

        final List<Double> numeric = new ArrayList<>(List.of(Double.NaN, 0.0, -0.0, 1e-36, -1e-36, 1e-35, -1e-35,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300));
        for (final double t : new double[]{KZ, -KZ, 5e-36, -5e-36, 0.0, 1e-30, -1e-30, 2.5, -2.5})
        {
            numeric.add(t);
            numeric.add(Math.nextUp(t));
            numeric.add(Math.nextDown(t));
        }
        final double[] categories = {Double.NaN, 0.0, -0.0, 1e-36, -1e-36, -0.5, -0.999, -1.0, -1.5, 0.5, 0.999, 1.0,
            3.0, 3.7, 4.0, 31.0, 31.5, 32.0, 33.0, 33.99, 34.0, 64.0, 65.0, 95.0, 96.0, 1e10, 2147483647.0,
            2147483648.0, 4294967299.0, -2147483648.0, -2147483649.0, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE};
        final double[] rows = new double[numeric.size() * categories.length * 2];
        int r = 0;
        for (final double x0 : numeric)
        {
            for (final double x1 : categories)
            {
                rows[r++] = x0;
                rows[r++] = x1;
            }
        }
        final Fixture fixture = LightGbmFidelity.fixture("edges", text, rows);
        final TreeEnsemble ensemble = fixture.ensemble();
        LightGbmFidelity.assertRawBitIdentical(fixture, ensemble::predictRaw);
        LightGbmFidelity.assertTransformedWithin(fixture, ensemble::predict, 0);
    }

    @Test
    void thresholdsInsideTheZeroBandMoveToWhereLightGbmsZeroedInputsSplit()
    {
        assertEquals(Math.nextDown(-KZ), LightGbmTextImporter.effectiveThreshold(-KZ));
        assertEquals(Math.nextDown(-KZ), LightGbmTextImporter.effectiveThreshold(-5e-36));
        assertEquals(KZ, LightGbmTextImporter.effectiveThreshold(0.0));
        assertEquals(KZ, LightGbmTextImporter.effectiveThreshold(-0.0));
        assertEquals(KZ, LightGbmTextImporter.effectiveThreshold(Math.nextDown(KZ)));
        assertEquals(KZ, LightGbmTextImporter.effectiveThreshold(KZ));
        assertEquals(Math.nextDown(-KZ), LightGbmTextImporter.effectiveThreshold(Math.nextDown(-KZ)));
        assertEquals(1e-30, LightGbmTextImporter.effectiveThreshold(1e-30));
        assertEquals(Double.NEGATIVE_INFINITY, LightGbmTextImporter.effectiveThreshold(Double.NEGATIVE_INFINITY));
    }

    @Test
    void readsStructureSemanticsAndProvenance() throws IOException
    {
        final String text = model("binary sigmoid:2", 3, "monotone_constraints=0 1 -1\n",
            threeLeaves(2, 0.5, 0, -1.25, 0.1, 0.2, 0.3),
            stump(1, "3", 2 << 2 | 2, 0.5, -0.5));
        final Path file = dir.resolve("model.txt");
        Files.writeString(file, text.replace("\n", "\r\n"), StandardCharsets.UTF_8);
        final TreeEnsemble ensemble = LightGbmTextImporter.read(file);

        assertEquals(3, ensemble.featureCount());
        assertEquals(1, ensemble.outputCount());
        assertEquals(Precision.FLOAT64, ensemble.precision());
        assertEquals(SplitComparison.LESS_EQUAL, ensemble.comparison());
        assertEquals(CategoricalRule.LIGHTGBM, ensemble.categoricalRule());
        assertEquals(OutputTransform.SIGMOID, ensemble.transform());
        assertEquals(2.0, ensemble.sigmoidScale());
        assertEquals(0, ensemble.averageDivisor());
        assertArrayEquals(new double[]{0.0}, ensemble.baseScores());
        assertArrayEquals(new String[]{"f0", "f1", "f2"}, ensemble.featureNames());
        assertArrayEquals(new int[]{0, 1, -1}, ensemble.monotone());
        assertEquals("lightgbm", ensemble.info().get("library"));
        assertEquals("v4", ensemble.info().get("version"));
        assertEquals("binary sigmoid:2", ensemble.info().get("objective"));
        assertEquals("gbdt", ensemble.info().get("boosting"));
        assertEquals(file.toString(), ensemble.info().get("source"));

        final Tree tree = ensemble.trees()[0];
        assertEquals(5, tree.nodeCount());
        assertEquals(2, tree.feature(0));
        assertEquals(0.5, tree.threshold(0));
        assertEquals(2, tree.left(0), "leaf 0 follows the 2 internal nodes");
        assertEquals(1, tree.right(0));
        assertEquals(3, tree.left(1));
        assertEquals(4, tree.right(1));
        assertEquals(0.3, tree.leafValue(4));
        assertEquals(MissingRule.NAN_DEFAULT, tree.missing(0));
        final Tree second = ensemble.trees()[1];
        assertEquals(MissingRule.NAN_DEFAULT, second.missing(0));
        assertTrue(second.defaultLeft(0));
        assertEquals(1.0, second.weight());
    }

    @Test
    void monotoneConstraintsComeFromTheParametersWhenTheHeaderHasNone()
    {
        final String text = model("regression", 3, "", stump(0, "1", 8, 1, 2))
            .replace("[objective: regression]\n", "[objective: regression]\n[monotone_constraints: -1,0,1]\n");
        assertArrayEquals(new int[]{-1, 0, 1}, read(text).monotone());
        final String none = model("regression", 3, "", stump(0, "1", 8, 1, 2))
            .replace("[objective: regression]\n", "[objective: regression]\n[monotone_constraints: ]\n");
        assertArrayEquals(new int[]{0, 0, 0}, read(none).monotone());
        final String conflicting = model("regression", 3, "monotone_constraints=1 0 1\n", stump(0, "1", 8, 1, 2))
            .replace("[objective: regression]\n", "[objective: regression]\n[monotone_constraints: -1,0,1]\n");
        assertMessage(refused(conflicting), "monotone_constraints", "disagree");
    }

    @Test
    void singleLeafTreesNeedOnlyTheirLeafValue()
    {
        final String text = model("regression", 1, "", "num_leaves=1\nnum_cat=0\nleaf_value=0.25\nshrinkage=1",
            "num_leaves=1\nnum_cat=0\nsplit_feature=\nsplit_gain=\nthreshold=\ndecision_type=\nleft_child=\n" +
                "right_child=\nleaf_value=-0.125\nleaf_weight=0\nleaf_count=0\ninternal_value=\ninternal_weight=\n" +
                "internal_count=\nis_linear=0\nshrinkage=1");
        final Fixture fixture = LightGbmFidelity.fixture("single leaves", text, new double[]{Double.NaN, 0, 7});
        LightGbmFidelity.assertRawBitIdentical(fixture, fixture.ensemble()::predictRaw);
        assertEquals(0.125, fixture.raw()[0]);
        assertEquals(1, fixture.ensemble().trees()[0].nodeCount());
    }

    @Test
    void refusesLinearTreesByName()
    {
        final String linear = model("regression", 1, "", stump(0, "1", 8, 1, 2)
            .replace("is_linear=0", "is_linear=1\nleaf_const=0.5 0.5\nnum_features=1 1\nleaf_features=0 0\n" +
                "leaf_coeff=0.1 0.2"));
        assertMessage(refused(linear), "linear trees", "tree 0", "line ");
        final String byParameter = model("regression", 1, "", stump(0, "1", 8, 1, 2))
            .replace("[boosting: gbdt]\n", "[boosting: gbdt]\n[linear_tree: 1]\n");
        assertMessage(refused(byParameter), "linear trees");
    }

    @Test
    void refusesObjectivesItCannotTransformByName()
    {
        assertMessage(refused(model("cross_entropy_lambda", 1, "", stump(0, "1", 8, 1, 2))),
            "cross_entropy_lambda", "not supported");
        assertMessage(refused(model("regression sqrt", 1, "", stump(0, "1", 8, 1, 2))), "sqrt");
        assertMessage(refused(model("regression_l1 sqrt", 1, "", stump(0, "1", 8, 1, 2))), "sqrt");
        assertMessage(refused(model("custom", 1, "", stump(0, "1", 8, 1, 2))), "custom", "not supported");
        assertMessage(refused(model(null, 1, "", stump(0, "1", 8, 1, 2))), "objective none");
        assertMessage(refused(model("binary sigmoid:0", 1, "", stump(0, "1", 8, 1, 2))), "sigmoid");
    }

    @Test
    void acceptsEveryObjectiveItMaps()
    {
        final String[][] expected = {
            {"regression", "IDENTITY"}, {"regression_l1", "IDENTITY"}, {"huber", "IDENTITY"}, {"fair", "IDENTITY"},
            {"quantile", "IDENTITY"}, {"mape", "IDENTITY"}, {"lambdarank", "IDENTITY"}, {"rank_xendcg", "IDENTITY"},
            {"binary sigmoid:1", "SIGMOID"}, {"cross_entropy", "SIGMOID"}, {"poisson", "EXP"}, {"gamma", "EXP"},
            {"tweedie", "EXP"}};
        for (final String[] objective : expected)
        {
            assertEquals(OutputTransform.valueOf(objective[1]),
                read(model(objective[0], 1, "", stump(0, "1", 8, 1, 2))).transform(), objective[0]);
        }
    }

    @Test
    void refusesMalformedModelsSayingWhere()
    {
        final String good = model("regression", 2, "", stump(0, "1", 8, 1, 2), stump(1, "2", 8, 3, 4));
        read(good);
        assertMessage(refused("not a model\n"), "handcrafted", "line 1", "not a LightGBM text model");
        assertMessage(refused(good.replace("version=v4", "version=v9")), "version", "v9");
        assertMessage(refused(good.replace("end of trees", "")), "truncated", "end of trees");
        assertMessage(refused(good.replace("Tree=1", "Tree=7")), "Tree=1");
        assertMessage(refused(good.replace("decision_type=8\nleft_child=-1\nright_child=-2\nleaf_value=3",
            "decision_type=12\nleft_child=-1\nright_child=-2\nleaf_value=3")), "tree 1", "decision_type 12");
        assertMessage(refused(good.replace("leaf_value=1.0 2.0", "leaf_value=1.0")), "leaf_value", "expected 2");
        assertMessage(refused(good.replace("right_child=-2\nleaf_value=1.0", "right_child=-3\nleaf_value=1.0")),
            "tree 0 node 0", "child leaf 2");
        assertMessage(refused(good.replace("split_feature=1", "split_feature=2")), "tree 1", "split feature 2");
        assertMessage(refused(good.replace("leaf_value=1.0 2.0", "leaf_value=1.0 nan")), "not finite");
        assertMessage(refused(good.replace("threshold=2", "threshold=two")), "threshold", "'two'");
        assertMessage(refused(good.replace("num_leaves=2\nnum_cat=0\nsplit_feature=0", "num_cat=0\nsplit_feature=0")),
            "tree 0", "num_leaves");
        assertMessage(refused(good.replace("num_tree_per_iteration=1", "num_tree_per_iteration=3")),
            "num_tree_per_iteration=3");
        assertMessage(refused(good.replace("feature_names=f0 f1", "feature_names=f0")), "feature names");
        final String categorical = model("regression", 1, "", categoricalStump(0, 9, "9 2", 1, 2));
        read(categorical);
        assertMessage(refused(categorical.replace("threshold=0", "threshold=1")), "category-set index");
        assertMessage(refused(categorical.replace("cat_threshold=9 2", "cat_threshold=9 4294967296")), "uint32");
        assertMessage(refused(categorical.replace("cat_boundaries=0 2", "cat_boundaries=0 1")), "cat_boundaries");
    }

    @Test
    void multiclassTreesAddToOutputsInTurn()
    {
        final String text = model("multiclass num_class:3", 1, "", stump(0, "1", 8, 1, 2), stump(0, "1", 8, 3, 4),
            stump(0, "1", 8, 5, 6), stump(0, "1", 8, 7, 8), stump(0, "1", 8, 9, 10), stump(0, "1", 8, 11, 12))
            .replace("num_class=1\nnum_tree_per_iteration=1", "num_class=3\nnum_tree_per_iteration=3");
        final TreeEnsemble ensemble = read(text);
        assertEquals(3, ensemble.outputCount());
        assertEquals(OutputTransform.SOFTMAX, ensemble.transform());
        final double[] out = new double[3];
        ensemble.predictRaw(new double[]{0}, out);
        assertArrayEquals(new double[]{1 + 7, 3 + 9, 5 + 11}, out);
        final Fixture fixture = LightGbmFidelity.fixture("multiclass handcrafted", text, new double[]{0, 2, -7});
        LightGbmFidelity.assertRawBitIdentical(fixture, ensemble::predictRaw);
        LightGbmFidelity.assertTransformedWithin(fixture, ensemble::predict, LightGbmFidelity.TRANSFORMED_ULPS);
        assertMessage(refused(text.replace("multiclass num_class:3", "multiclass num_class:4")), "num_class");
        assertMessage(refused(text.replace("Tree=5", "Tree=5x")), "Tree=5");
    }

    @Test
    void featureNamesAreOptional() throws IOException
    {
        final String text = model("regression", 1, "", stump(0, "1", 8, 1, 2)).replace("feature_names=f0\n", "");
        assertNull(LightGbmTextImporter.read(new StringReader(text), "no names").featureNames());
    }
}
