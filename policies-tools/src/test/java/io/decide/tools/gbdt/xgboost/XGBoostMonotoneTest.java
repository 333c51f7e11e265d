package io.decide.tools.gbdt.xgboost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.decide.format.gbdt.MonotoneCheck;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.ModelImportException;
import io.decide.tools.gbdt.ProbeRows;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * Monotone constraints: a model file does not hold them (they are training parameters), so the importer reads
 * them from the {@code Config} of a memory snapshot or from a {@code save_config()} file, at
 * {@code learner.gradient_booster[.gbtree].tree_train_param.monotone_constraints} (XGBoost 3.0's
 * {@code GBTree::SaveConfig}). A model trained with them predicts monotonically, and {@link MonotoneCheck} proves
 * it; an edited leaf that breaks the order is reported with its tree and node.
 */
class XGBoostMonotoneTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int[] DECLARED = {1, 0, -1, 0, 0};
    private static final String CONSTRAINTS = "(1,0,-1,0,0)";

    private static byte[] modelJson;
    private static double[][] typical;

    @BeforeAll
    static void train() throws XGBoostError
    {
        final XgbFixtures.Data data = XgbFixtures.data(XgbFixtures.Label.REGRESSION, 0, 0, false, 50);
        final Booster booster = XgbFixtures.booster(Map.<String, Object>of("objective", "reg:squarederror",
            "tree_method", "hist", "max_depth", 4, "nthread", 1, "monotone_constraints", CONSTRAINTS), 30, data);
        modelJson = booster.toByteArray("json");
        booster.dispose();
        typical = data.typical();
    }

    /** The configuration XGBoost 3.0's {@code save_config()} writes, reduced to what the importer reads. */
    private static ObjectNode config(final String booster, final String constraints)
    {
        final ObjectNode config = MAPPER.createObjectNode();
        final ObjectNode gradientBooster = config.putObject("learner").putObject("gradient_booster");
        gradientBooster.put("name", booster);
        final ObjectNode holder = "dart".equals(booster) ? gradientBooster.putObject("gbtree") : gradientBooster;
        holder.putObject("tree_train_param").put("monotone_constraints", constraints);
        config.putArray("version").add(3).add(0).add(4);
        return config;
    }

    private static byte[] snapshot(final byte[] model, final ObjectNode config) throws IOException
    {
        final ObjectNode root = MAPPER.createObjectNode();
        root.set("Config", config);
        root.set("Model", MAPPER.readTree(model));
        return MAPPER.writeValueAsBytes(root);
    }

    private static TreeEnsemble read(final byte[] bytes)
    {
        return XGBoostJsonImporter.read(new ByteArrayInputStream(bytes), "snapshot.json");
    }

    @Test
    void constraintsComeFromTheConfigNotTheModelFile(@TempDir final Path dir) throws IOException
    {
        assertArrayEquals(new int[5], read(modelJson).monotone(), "a plain model file holds no constraints");

        final TreeEnsemble fromSnapshot = read(snapshot(modelJson, config("gbtree", CONSTRAINTS)));
        assertArrayEquals(DECLARED, fromSnapshot.monotone());
        assertEquals(Arrays.toString(DECLARED), fromSnapshot.info().get("monotone_constraints"));

        final Path model = dir.resolve("model.json");
        final Path config = dir.resolve("config.json");
        Files.write(model, modelJson);
        Files.write(config, MAPPER.writeValueAsBytes(config("gbtree", CONSTRAINTS)));
        assertArrayEquals(DECLARED, XGBoostJsonImporter.read(model, config).monotone());

        assertArrayEquals(new int[]{1, 0, 0, 0, 0}, read(snapshot(modelJson, config("gbtree", "(1)"))).monotone(),
            "fewer constraints than features: the rest are unconstrained");
        assertArrayEquals(new int[]{0, 0, 0, 0, -1}, read(snapshot(modelJson, config("gbtree", "[0, 0, 0, 0, -1]")))
            .monotone());
        assertArrayEquals(new int[5], read(snapshot(modelJson, config("gbtree", "()"))).monotone());
        final byte[] dart = XgbFixtures.get("dart-binary").json();
        assertArrayEquals(new int[]{0, 1, 0, 0, 0, 0, 0}, read(snapshot(dart, config("dart", "(0,1)"))).monotone());

        final ModelImportException tooMany = assertThrows(ModelImportException.class, () ->
            read(snapshot(modelJson, config("gbtree", "(1,0,0,0,0,1)"))));
        assertTrue(tooMany.getMessage().contains("6 constraints for num_feature 5"), tooMany.getMessage());
        final ModelImportException notADirection = assertThrows(ModelImportException.class, () ->
            read(snapshot(modelJson, config("gbtree", "(2,0)"))));
        assertTrue(notADirection.getMessage().contains("constraint 2 for feature 0"), notADirection.getMessage());
    }

    @Test
    void constrainedTrainingPassesTheMonotoneCheck() throws IOException
    {
        final TreeEnsemble model = read(snapshot(modelJson, config("gbtree", CONSTRAINTS)));
        assertEquals(List.of(), MonotoneCheck.check(model));
    }

    @Test
    void rowsDifferingOnlyInAConstrainedFeatureOrderTheirMargins() throws IOException
    {
        final TreeEnsemble model = read(snapshot(modelJson, config("gbtree", CONSTRAINTS)));
        final double[][] probes = ProbeRows.probeValues(model, true);
        final SplittableRandom random = new SplittableRandom(5);
        final double[][] values = new double[model.featureCount()][];
        for (int f = 0; f < values.length; f++)
        {
            values[f] = DoubleStream.concat(Arrays.stream(probes[f]).filter(v -> !Double.isNaN(v)),
                random.doubles(200, -6, 6)).toArray();
        }
        final int[] constrained = {0, 2};
        qt().withExamples(20_000).forAll(
            integers().between(0, typical.length - 1),
            integers().between(0, 1),
            integers().between(0, 1 << 20),
            integers().between(0, 1 << 20))
            .checkAssert((rowIndex, which, i, j) ->
            {
                final int feature = constrained[which];
                final double[] candidates = values[feature];
                final double a = candidates[i % candidates.length];
                final double b = candidates[j % candidates.length];
                final double low = Math.min(a, b);
                final double high = Math.max(a, b);
                final double[] row = typical[rowIndex].clone();
                final double[] atLow = new double[1];
                final double[] atHigh = new double[1];
                row[feature] = low;
                model.predictRaw(row, atLow);
                row[feature] = high;
                model.predictRaw(row, atHigh);
                final String what = "feature " + feature + " from " + low + " to " + high + " in row " + rowIndex;
                if (DECLARED[feature] > 0)
                {
                    assertTrue(atLow[0] <= atHigh[0], what + ": " + atLow[0] + " > " + atHigh[0]);
                }
                else
                {
                    assertTrue(atLow[0] >= atHigh[0], what + ": " + atLow[0] + " < " + atHigh[0]);
                }
            });
    }

    @Test
    void anEditedLeafThatBreaksTheOrderIsReportedWithTreeAndNode() throws IOException
    {
        final ObjectNode model = (ObjectNode)MAPPER.readTree(modelJson);
        final ArrayNode trees = (ArrayNode)model.get("learner").get("gradient_booster").get("model").get("trees");
        int tree = -1;
        int node = -1;
        for (int t = 0; t < trees.size() && tree < 0; t++)
        {
            final ArrayNode lefts = (ArrayNode)trees.get(t).get("left_children");
            final ArrayNode features = (ArrayNode)trees.get(t).get("split_indices");
            for (int i = 0; i < lefts.size(); i++)
            {
                if (lefts.get(i).asInt() != -1 && features.get(i).asInt() == 0)
                {
                    tree = t;
                    node = i;
                    break;
                }
            }
        }
        assertTrue(tree >= 0, "some tree splits on the increasing feature");
        final ObjectNode edited = (ObjectNode)trees.get(tree);
        final ArrayNode lefts = (ArrayNode)edited.get("left_children");
        final ArrayNode rights = (ArrayNode)edited.get("right_children");
        final ArrayNode values = (ArrayNode)edited.get("split_conditions");
        final Deque<Integer> below = new ArrayDeque<>();
        below.push(lefts.get(node).asInt());
        while (!below.isEmpty())
        {
            final int i = below.pop();
            if (lefts.get(i).asInt() == -1)
            {
                values.set(i, values.get(i).floatValue() + 100.0f);
            }
            else
            {
                below.push(lefts.get(i).asInt());
                below.push(rights.get(i).asInt());
            }
        }
        final TreeEnsemble broken = read(snapshot(MAPPER.writeValueAsBytes(model), config("gbtree", CONSTRAINTS)));
        final List<MonotoneCheck.Violation> violations = MonotoneCheck.check(broken);
        assertFalse(violations.isEmpty());
        final int brokenTree = tree;
        final int brokenNode = node;
        assertTrue(violations.stream().anyMatch(v -> v.tree() == brokenTree && v.node() == brokenNode &&
            v.feature() == 0), violations.toString());
        assertTrue(violations.get(0).toString().startsWith("tree " + brokenTree + " node "), violations.toString());
        assertFalse(java.util.regex.Pattern.compile("\"num_deleted\":\"[1-9]").matcher(new String(modelJson,
            StandardCharsets.UTF_8)).find(), "no pruned nodes, so reported node ids are XGBoost's");
    }
}
