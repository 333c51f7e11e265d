package io.decide.tools.gbdt.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import io.decide.format.gbdt.OutputTransform;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.CompiledEngine;
import io.decide.tools.gbdt.FidelityCheck;
import io.decide.tools.gbdt.FidelityCheck.Fixture;
import io.decide.tools.gbdt.ProbeRows;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models trained with xgboost4j 3.0.4, imported from the JSON XGBoost wrote, predict every probe row exactly as
 * {@code Booster.predict} does: margins bit for bit, transformed outputs within {@link XgbFixtures#OUTPUT_ULPS}.
 */
class XGBoostFidelityTest
{
    static List<String> names()
    {
        return XgbFixtures.NAMES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void predictsExactlyLikeXGBoost(final String name)
    {
        final Fixture fixture = XgbFixtures.get(name).fixture();
        assertTrue(fixture.rows().length >= XgbFixtures.ROWS);
        FidelityCheck.assertFidelity(fixture);
        final CompiledEngine engine = CompiledEngine.of(fixture.model());
        FidelityCheck.assertFidelity(fixture, engine::predictRaw, engine::predict);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void ubjsonImportsTheSameModelAsJson(final String name)
    {
        final XgbFixtures.Trained trained = XgbFixtures.get(name);
        assertTrue(XGBoostJsonImporter.isUbjson(trained.ubj()));
        final TreeEnsemble fromUbj = XGBoostJsonImporter.read(new java.io.ByteArrayInputStream(trained.ubj()),
            name + ".ubj");
        assertEquals("ubjson", fromUbj.info().get("format"));
        assertSameModel(trained.fixture().model(), fromUbj);
    }

    @Test
    void readsFilesByPath(@TempDir final Path dir) throws IOException
    {
        final XgbFixtures.Trained trained = XgbFixtures.get("binary-logistic");
        final Path json = dir.resolve("model.json");
        final Path ubj = dir.resolve("model.ubj");
        Files.write(json, trained.json());
        Files.write(ubj, trained.ubj());
        assertSameModel(trained.fixture().model(), XGBoostJsonImporter.read(json));
        assertSameModel(trained.fixture().model(), XGBoostJsonImporter.read(ubj));
        assertEquals(json.toString(), XGBoostJsonImporter.read(json).info().get("source"));
    }

    @Test
    void fixturesCoverWhatTheyClaim()
    {
        final TreeEnsemble binary = XgbFixtures.get("binary-logistic").fixture().model();
        assertEquals(OutputTransform.SIGMOID, binary.transform());
        assertArrayEquals(new String[]{"num_0", "num_1", "num_2", "num_3", "num_4", "cat_5", "cat_6"},
            binary.featureNames());
        assertTrue(categoricalSplits(binary) > 0, "categorical splits");
        assertTrue(categoricalSplits(XgbFixtures.get("squarederror").fixture().model()) > 0);
        assertTrue(categoricalSplits(XgbFixtures.get("multi-softprob").fixture().model()) > 0);
        assertNull(XgbFixtures.get("squarederror").fixture().model().featureNames());

        final Map<String, String> info = binary.info();
        assertEquals("xgboost", info.get("library"));
        assertEquals("3.0.4", info.get("version"));
        assertEquals("binary:logistic", info.get("objective"));
        assertEquals("gbtree", info.get("booster"));
        assertEquals("40", info.get("iterations"));

        final TreeEnsemble softmax = XgbFixtures.get("multi-softmax").fixture().model();
        assertEquals(OutputTransform.ARGMAX, softmax.transform());
        assertEquals(4, softmax.outputCount());
        assertEquals(1, softmax.transformedCount());

        final TreeEnsemble dart = XgbFixtures.get("dart-binary").fixture().model();
        assertEquals("dart", dart.info().get("booster"));
        assertTrue(Arrays.stream(dart.trees()).mapToDouble(Tree::weight).distinct().count() > 1,
            "DART trees carry different weights");
        assertTrue(Arrays.stream(XgbFixtures.get("dart-softprob").fixture().model().trees())
            .mapToDouble(Tree::weight).anyMatch(w -> w != 1.0));

        final TreeEnsemble forest = XgbFixtures.get("random-forest-softprob").fixture().model();
        assertEquals("4", forest.info().get("num_parallel_tree"));
        assertEquals(3 * 4 * 3, forest.trees().length);
        assertEquals(3, forest.outputCount());

        final TreeEnsemble targets = XgbFixtures.get("multi-target").fixture().model();
        assertEquals(3, targets.outputCount());
        assertEquals(OutputTransform.IDENTITY, targets.transform());
        final double[] bases = targets.baseScores();
        assertTrue(bases[0] == bases[1] && bases[1] == bases[2], "XGBoost 3.0 has one intercept for all targets");

        final TreeEnsemble fixed = XgbFixtures.get("binary-logistic-base-score").fixture().model();
        assertEquals(-GlibcLogf.logf(1.0f / 0.3f - 1.0f), (float)fixed.baseScores()[0]);

        assertTrue(XgbFixtures.get("squarederror-exact-pruned").fixture().model().maxDepth() >= 5);
    }

    @Test
    void prunedNodesAreDroppedAndNodeIdsKept() throws IOException
    {
        final XgbFixtures.Trained pruned = XgbFixtures.get("squarederror-exact-pruned");
        final JsonNode trees = JsonTreeReader.read(pruned.json()).path("learner").path("gradient_booster")
            .path("model").path("trees");
        int prunedTrees = 0;
        for (int t = 0; t < trees.size(); t++)
        {
            final int deleted = trees.get(t).path("tree_param").path("num_deleted").asInt();
            final int nodes = trees.get(t).path("tree_param").path("num_nodes").asInt();
            assertEquals(nodes - deleted, pruned.fixture().model().trees()[t].nodeCount(), "tree " + t);
            prunedTrees += deleted > 0 ? 1 : 0;
        }
        assertTrue(prunedTrees > 0, "the exact updater's pruner left deleted nodes in some tree");

        final XgbFixtures.Trained lossguide = XgbFixtures.get("squarederror-lossguide");
        final JsonNode lossguideTrees = JsonTreeReader.read(lossguide.json()).path("learner")
            .path("gradient_booster").path("model").path("trees");
        for (int t = 0; t < lossguideTrees.size(); t++)
        {
            final JsonNode json = lossguideTrees.get(t);
            final Tree tree = lossguide.fixture().model().trees()[t];
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                final int left = json.path("left_children").get(i).asInt();
                assertEquals(left, tree.isLeaf(i) ? -1 : tree.left(i), "tree " + t + " node " + i);
            }
        }
    }

    /**
     * Early stopping leaves a {@code best_iteration} attribute; XGBoost's {@code Booster.predict} still uses every
     * tree unless given an iteration range, so the importer keeps them all and only records the attribute.
     */
    @Test
    void bestIterationIsRecordedAndEveryTreeKept() throws XGBoostError, IOException
    {
        final XgbFixtures.Trained trained = XgbFixtures.get("binary-logistic");
        final Booster booster = XGBoost.loadModel(trained.json());
        booster.setAttr("best_iteration", "12");
        final TreeEnsemble model = XGBoostJsonImporter.read(new java.io.ByteArrayInputStream(
            booster.toByteArray("json")), "early-stopped.json");
        booster.dispose();
        assertEquals("12", model.info().get("best_iteration"));
        assertEquals(trained.fixture().model().trees().length, model.trees().length);
    }

    /**
     * The fixtures send rows with infinities through {@code inplace_predict} because a DMatrix refuses them; that
     * is only sound if, for gbtree models, it agrees with {@code Booster.predict} on a DMatrix. (For DART it does
     * not: XGBoost 3.0's inplace DART path computes {@code ((base + leaf) - base) * w}.)
     */
    @Test
    void inplacePredictAgreesWithDMatrixPredictForGbtree() throws XGBoostError, IOException
    {
        for (final String name : List.of("binary-logistic", "multi-softprob", "multi-target"))
        {
            final XgbFixtures.Trained trained = XgbFixtures.get(name);
            final Booster booster = XGBoost.loadModel(trained.json());
            try
            {
                final double[][] rows = trained.fixture().rows();
                final List<Integer> finite = new ArrayList<>();
                for (int r = 0; r < rows.length && finite.size() < 20_000; r++)
                {
                    if (!ProbeRows.hasInfinity(rows[r]))
                    {
                        finite.add(r);
                    }
                }
                final int features = rows[0].length;
                final float[] x = XgbFixtures.flatten(rows, finite);
                final String[] types = features == 7 ? new String[]{"q", "q", "q", "q", "q", "c", "c"} : null;
                final DMatrix matrix = XgbFixtures.matrix(x, finite.size(), features, types);
                final float[][] viaMatrix = booster.predict(matrix, true);
                matrix.dispose();
                final float[][] inplace = booster.inplace_predict(x, finite.size(), features, Float.NaN,
                    new int[]{0, 0}, Booster.PredictionType.kMargin, null);
                for (int i = 0; i < finite.size(); i++)
                {
                    assertArrayEquals(viaMatrix[i], inplace[i], 0.0f, name + " row " + finite.get(i));
                }
            }
            finally
            {
                booster.dispose();
            }
        }
    }

    private static int categoricalSplits(final TreeEnsemble model)
    {
        int count = 0;
        for (final Tree tree : model.trees())
        {
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (!tree.isLeaf(i) && tree.categories(i) != null)
                {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * @param expected one import.
     * @param actual   another.
     */
    static void assertSameModel(final TreeEnsemble expected, final TreeEnsemble actual)
    {
        assertEquals(expected.featureCount(), actual.featureCount());
        assertEquals(expected.outputCount(), actual.outputCount());
        assertEquals(expected.transform(), actual.transform());
        assertArrayEquals(expected.baseScores(), actual.baseScores(), 0.0);
        assertArrayEquals(expected.monotone(), actual.monotone());
        assertArrayEquals(expected.featureNames(), actual.featureNames());
        assertEquals(expected.trees().length, actual.trees().length);
        for (int t = 0; t < expected.trees().length; t++)
        {
            final Tree a = expected.trees()[t];
            final Tree b = actual.trees()[t];
            final String where = "tree " + t;
            assertEquals(a.group(), b.group(), where);
            assertEquals(a.weight(), b.weight(), 0.0, where);
            assertEquals(a.nodeCount(), b.nodeCount(), where);
            for (int i = 0; i < a.nodeCount(); i++)
            {
                final String node = where + " node " + i;
                assertEquals(a.isLeaf(i), b.isLeaf(i), node);
                if (a.isLeaf(i))
                {
                    assertEquals(Double.doubleToRawLongBits(a.leafValue(i)), Double.doubleToRawLongBits(
                        b.leafValue(i)), node);
                    continue;
                }
                assertEquals(a.left(i), b.left(i), node);
                assertEquals(a.right(i), b.right(i), node);
                assertEquals(a.feature(i), b.feature(i), node);
                assertEquals(a.defaultLeft(i), b.defaultLeft(i), node);
                assertEquals(Double.doubleToRawLongBits(a.threshold(i)), Double.doubleToRawLongBits(b.threshold(i)),
                    node);
                assertArrayEquals(a.categories(i), b.categories(i), node);
                assertNotNull(b.categories(i) == null ? b.missing(i) : b.categories(i), node);
            }
        }
    }
}
