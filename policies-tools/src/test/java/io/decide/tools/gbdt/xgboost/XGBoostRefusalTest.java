package io.decide.tools.gbdt.xgboost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.decide.tools.gbdt.ModelImportException;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the importer cannot represent or does not understand is refused with a {@link ModelImportException} that
 * names the file, where in it, and what: real models of unsupported kinds trained here, and saved models edited.
 */
class XGBoostRefusalTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ModelImportException refused(final byte[] bytes)
    {
        return assertThrows(ModelImportException.class, () ->
            XGBoostJsonImporter.read(new ByteArrayInputStream(bytes), "edited.json"));
    }

    private static ModelImportException refusedEdit(final Consumer<ObjectNode> edit) throws IOException
    {
        final ObjectNode model = (ObjectNode)MAPPER.readTree(XgbFixtures.get("binary-logistic").json());
        edit.accept(model);
        return refused(MAPPER.writeValueAsBytes(model));
    }

    private static ObjectNode learner(final ObjectNode model)
    {
        return (ObjectNode)model.get("learner");
    }

    private static ObjectNode tree(final ObjectNode model, final int index)
    {
        return (ObjectNode)model.get("learner").get("gradient_booster").get("model").get("trees").get(index);
    }

    private static void assertMentions(final ModelImportException ex, final String... words)
    {
        assertEquals("edited.json", ex.source());
        for (final String word : words)
        {
            assertTrue(ex.getMessage().contains(word), "'" + word + "' in: " + ex.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rank:ndcg", "rank:pairwise", "survival:cox", "survival:aft", "reg:quantileerror",
        "reg:squaredlogerror", "reg:expectileerror", "multi:softmaxx"})
    void unsupportedObjectivesAreNamed(final String objective) throws IOException
    {
        final ModelImportException ex = refusedEdit(m ->
            ((ObjectNode)learner(m).get("objective")).put("name", objective));
        assertMentions(ex, objective, "not supported", "binary:logistic");
        assertEquals("learner.objective.name", ex.where());
    }

    @Test
    void linearBoosterIsRefused() throws XGBoostError
    {
        final XgbFixtures.Data data = XgbFixtures.data(XgbFixtures.Label.REGRESSION, 0, 0, false, 40);
        final Booster booster = XgbFixtures.booster(Map.<String, Object>of("objective", "reg:squarederror", "booster", "gblinear",
            "nthread", 1), 3, data);
        final byte[] json = booster.toByteArray("json");
        booster.dispose();
        final ModelImportException ex = refused(json);
        assertMentions(ex, "gblinear", "not a tree ensemble");
        assertEquals("learner.gradient_booster.name", ex.where());
    }

    @Test
    void vectorLeafTreesAreRefused() throws XGBoostError
    {
        final XgbFixtures.Data data = XgbFixtures.data(XgbFixtures.Label.TARGETS, 3, 0, false, 41);
        final Booster booster = XgbFixtures.booster(Map.<String, Object>of("objective", "reg:squarederror", "tree_method", "hist",
            "multi_strategy", "multi_output_tree", "max_depth", 3, "nthread", 1), 2, data);
        final byte[] ubj = booster.toByteArray("ubj");
        booster.dispose();
        final ModelImportException ex = refused(ubj);
        assertMentions(ex, "vector-leaf", "multi_output_tree", "size_leaf_vector 3");
        assertTrue(ex.where().endsWith("trees[0].tree_param.size_leaf_vector"), ex.where());
    }

    @Test
    void malformedFilesAreRefusedWithAPlace(@TempDir final Path dir) throws IOException
    {
        final byte[] json = XgbFixtures.get("binary-logistic").json();
        final byte[] ubj = XgbFixtures.get("binary-logistic").ubj();
        assertMentions(refused(new byte[0]), "empty");
        assertMentions(refused("binf\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1)), "legacy binary");
        final ModelImportException truncatedJson = refused(Arrays.copyOf(json, json.length / 2));
        assertMentions(truncatedJson, "malformed JSON");
        assertTrue(truncatedJson.where().startsWith("JSON line 1 column"), truncatedJson.where());
        final ModelImportException truncatedUbj = refused(Arrays.copyOf(ubj, ubj.length / 2));
        assertTrue(truncatedUbj.where().startsWith("UBJSON byte "), truncatedUbj.where());
        assertMentions(refused("{\"foo\": 1}".getBytes(StandardCharsets.UTF_8)), "not an XGBoost model");
        assertMentions(refused("[1, 2]".getBytes(StandardCharsets.UTF_8)), "expected '{'");

        final Path missing = dir.resolve("absent.json");
        final ModelImportException notThere = assertThrows(ModelImportException.class, () ->
            XGBoostJsonImporter.read(missing));
        assertEquals(missing.toString(), notThere.source());
        assertTrue(notThere.getMessage().contains("cannot read"), notThere.getMessage());
        Files.write(dir.resolve("model.json"), json);
        final ModelImportException badConfig = assertThrows(ModelImportException.class, () ->
            XGBoostJsonImporter.read(dir.resolve("model.json"), missing));
        assertTrue(badConfig.getMessage().contains("cannot read"), badConfig.getMessage());
    }

    @Test
    void inconsistentModelsAreRefused() throws IOException
    {
        assertMentions(refusedEdit(m -> m.putArray("version").add(0).add(90).add(0)), "before XGBoost 1.0");
        assertMentions(refusedEdit(m -> m.remove("version")), "version", "missing");
        assertMentions(refusedEdit(m -> ((ObjectNode)learner(m).get("learner_model_param")).remove("num_feature")),
            "num_feature", "missing");
        assertMentions(refusedEdit(m -> ((ObjectNode)learner(m).get("learner_model_param"))
            .put("num_class", "3").put("num_target", "2")), "multi-class multi-target");
        assertMentions(refusedEdit(m -> ((ObjectNode)learner(m).get("learner_model_param"))
            .put("base_score", "abc")), "base_score", "not a number");
        assertMentions(refusedEdit(m -> ((ArrayNode)learner(m).get("gradient_booster").get("model")
            .get("tree_info")).set(3, 1)), "tree_info[3]", "output group 1 of 1");
        assertMentions(refusedEdit(m -> ((ArrayNode)learner(m).get("gradient_booster").get("model")
            .get("trees")).remove(5)), "trees", "entries, expected 40");
        assertMentions(refusedEdit(m -> ((ObjectNode)learner(m).get("gradient_booster")).put("name", "gbforest")),
            "gbforest", "not supported");
        assertMentions(refusedEdit(m -> ((ArrayNode)tree(m, 2).get("split_indices")).set(0, 99)),
            "trees[2].split_indices[0]", "feature 99 of num_feature 7");
        assertMentions(refusedEdit(m -> ((ArrayNode)tree(m, 1).get("left_children")).set(0, 0)),
            "trees[1]", "child 0");
        assertMentions(refusedEdit(m -> ((ArrayNode)tree(m, 1).get("right_children")).set(0,
            tree(m, 1).get("left_children").get(0).asInt())), "trees[1]", "reached twice");
        assertMentions(refusedEdit(m -> ((ArrayNode)tree(m, 0).get("split_conditions")).set(0, "x")),
            "split_conditions[0]", "expected a number");
        assertMentions(refusedEdit(m -> tree(m, 0).putArray("split_conditions")), "split_conditions", "entries");
        assertMentions(refusedEdit(m -> ((ObjectNode)tree(m, 0).get("tree_param")).put("num_nodes", "0")),
            "num_nodes");
        assertMentions(refusedEdit(m -> tree(m, 4).put("id", 7)), "trees[4].id", "tree id 7 at position 4");
        assertMentions(refusedEdit(m -> ((ObjectNode)learner(m).get("gradient_booster").get("model"))
            .putArray("iteration_indptr").add(0).add(5)), "iteration_indptr", "expected num_trees 40");
        assertMentions(refusedEdit(m -> learner(m).putArray("feature_names").add("a")), "feature_names",
            "1 names for num_feature 7");
    }

    @Test
    void nonFiniteLeavesAndBadCategoriesAreRefused() throws IOException
    {
        final String json = new String(XgbFixtures.get("binary-logistic").json(), StandardCharsets.UTF_8);
        final ObjectNode model = (ObjectNode)MAPPER.readTree(json);
        int catTree = -1;
        final ArrayNode trees = (ArrayNode)model.get("learner").get("gradient_booster").get("model").get("trees");
        for (int t = 0; t < trees.size() && catTree < 0; t++)
        {
            if (!trees.get(t).get("categories_nodes").isEmpty())
            {
                catTree = t;
            }
        }
        assertTrue(catTree >= 0);
        final int withCategories = catTree;
        assertMentions(refusedEdit(m -> ((ArrayNode)tree(m, withCategories).get("categories")).set(0, -2)),
            "categories[0]", "negative");
        assertMentions(refusedEdit(m -> ((ArrayNode)tree(m, withCategories).get("categories_sizes")).set(0, 100000)),
            "categories_segments[0]", "outside");
        assertMentions(refusedEdit(m -> {
            final ArrayNode types = (ArrayNode)tree(m, withCategories).get("split_type");
            final int node = tree(m, withCategories).get("categories_nodes").get(0).asInt();
            types.set(node, 0);
        }), "split_type", "in categories_nodes");

        final String marker = "\"split_conditions\":[";
        final int at = json.indexOf(marker) + marker.length();
        final int comma = json.indexOf(',', at);
        final String firstEntryNaN = json.substring(0, at) + "NaN" + json.substring(comma);
        final ModelImportException nan = refused(firstEntryNaN.getBytes(StandardCharsets.UTF_8));
        assertMentions(nan, "trees[0].split_conditions[0]", "NaN threshold");
    }

    @Test
    void dartWeightsMustBeFiniteAndNonNegative() throws IOException
    {
        final ObjectNode model = (ObjectNode)MAPPER.readTree(XgbFixtures.get("dart-binary").json());
        ((ArrayNode)model.get("learner").get("gradient_booster").get("weight_drop")).set(2, -0.5);
        final ModelImportException ex = refused(MAPPER.writeValueAsBytes(model));
        assertMentions(ex, "weight_drop[2]", "DART weight -0.5");
        ((ArrayNode)model.get("learner").get("gradient_booster").get("weight_drop")).remove(2);
        assertMentions(refused(MAPPER.writeValueAsBytes(model)), "weight_drop", "entries, expected 20");
    }
}
