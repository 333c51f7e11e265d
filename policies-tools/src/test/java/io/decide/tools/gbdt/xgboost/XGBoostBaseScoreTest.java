package io.decide.tools.gbdt.xgboost;

import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.ModelImportException;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The margin every prediction starts from: XGBoost 3.0.4 maps {@code base_score} through its objective's
 * {@code ProbToMargin} in float with glibc's {@code logf}, which {@code (float) Math.log} misses for about one value
 * in a thousand. Each case loads a model whose {@code base_score} was rewritten into the library and compares its
 * margin with the importer's, bit for bit (the trees were trained with eta 0, so they add nothing).
 */
class XGBoostBaseScoreTest
{
    /** Base scores tried per objective with a log or logit link (identity links need fewer). */
    private static final int VALUES = 150;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "binary:logistic, 0, logit",
        "reg:logistic, 0, logit",
        "count:poisson, 0, log",
        "reg:gamma, 0, log",
        "reg:tweedie, 0, log",
        "reg:squarederror, 0, any",
        "binary:logitraw, 0, any",
        "reg:absoluteerror, 0, any",
        "multi:softprob, 3, any"
    })
    void marginFromBaseScoreIsBitIdenticalToXGBoost(final String objective, final int classes, final String domain)
        throws XGBoostError, IOException
    {
        final String json = zeroTreeModel(objective, classes);
        final SplittableRandom random = new SplittableRandom(objective.hashCode());
        final List<Float> values = new ArrayList<>();
        switch (domain)
        {
            case "logit":
                values.add(1e-7f);
                values.add(0.5f);
                values.add(0.9999999f);
                values.add(Math.nextUp(0.0f) * 1e10f);
                while (values.size() < VALUES)
                {
                    values.add((float)random.nextDouble(1e-6, 1.0));
                }
                break;
            case "log":
                values.add(Float.MIN_VALUE);
                values.add(1e-40f);
                values.add(1.0f);
                values.add(Float.MAX_VALUE);
                while (values.size() < VALUES)
                {
                    values.add((float)Math.exp(random.nextDouble(-30, 30)));
                }
                break;
            default:
                values.add(-0.0f);
                while (values.size() < VALUES / 5)
                {
                    values.add((float)random.nextDouble(-1e3, 1e3));
                }
        }
        final float[] row = {0.25f, -1.0f};
        final DMatrix matrix = new DMatrix(row, 1, 2, Float.NaN);
        try
        {
            for (final float value : values)
            {
                final String rewritten = json.replaceFirst("\"base_score\":\"[^\"]*\"",
                    "\"base_score\":\"" + value + "\"");
                final Booster booster = XGBoost.loadModel(rewritten.getBytes(StandardCharsets.UTF_8));
                final float[] library = booster.predict(matrix, true)[0];
                booster.dispose();
                final TreeEnsemble model = XGBoostJsonImporter.read(
                    new ByteArrayInputStream(rewritten.getBytes(StandardCharsets.UTF_8)), objective);
                final double[] margins = new double[model.outputCount()];
                model.predictRaw(new double[]{row[0], row[1]}, margins);
                assertEquals(library.length, margins.length);
                for (int g = 0; g < margins.length; g++)
                {
                    assertEquals(Float.floatToRawIntBits(library[g]), Float.floatToRawIntBits((float)margins[g]),
                        objective + " base_score " + value + " output " + g + ": library " + library[g] +
                        ", imported " + (float)margins[g]);
                }
            }
        }
        finally
        {
            matrix.dispose();
        }
    }

    @Test
    void logfPortMatchesXGBoostWhereMathLogDoesNot() throws XGBoostError, IOException
    {
        final String json = zeroTreeModel("count:poisson", 0);
        final float[] row = {0.25f, -1.0f};
        final DMatrix matrix = new DMatrix(row, 1, 2, Float.NaN);
        int differs = 0;
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 3000 && differs < 3; i++)
        {
            final float value = (float)random.nextDouble(0.5, 2.0);
            if ((float)Math.log(value) == GlibcLogf.logf(value))
            {
                continue;
            }
            differs++;
            final Booster booster = XGBoost.loadModel(json.replaceFirst("\"base_score\":\"[^\"]*\"",
                "\"base_score\":\"" + value + "\"").getBytes(StandardCharsets.UTF_8));
            assertEquals(GlibcLogf.logf(value), booster.predict(matrix, true)[0][0], 0.0f, "logf(" + value + ")");
            booster.dispose();
        }
        matrix.dispose();
        assertTrue(differs >= 3, "values where (float) Math.log and logf differ exist and were checked");
    }

    @Test
    void vectorBaseScoresOfLaterVersionsGiveOneMarginPerOutput() throws XGBoostError, IOException
    {
        final String json = new String(XgbFixtures.get("multi-target").json(), StandardCharsets.UTF_8);
        final TreeEnsemble vector = read(json.replaceFirst("\"base_score\":\"[^\"]*\"",
            "\"base_score\":\"[1E0,-2.5E-1,3E0]\""));
        assertArrayEquals(new double[]{1.0, -0.25, 3.0}, vector.baseScores(), 0.0);
        final TreeEnsemble single = read(json.replaceFirst("\"base_score\":\"[^\"]*\"", "\"base_score\":\"[5E-1]\""));
        assertArrayEquals(new double[]{0.5, 0.5, 0.5}, single.baseScores(), 0.0);
        final ModelImportException wrongLength = assertThrows(ModelImportException.class, () ->
            read(json.replaceFirst("\"base_score\":\"[^\"]*\"", "\"base_score\":\"[1E0,2E0]\"")));
        assertTrue(wrongLength.getMessage().contains("2 values for 3 outputs"), wrongLength.getMessage());

        final String logistic = zeroTreeModel("binary:logistic", 0);
        final TreeEnsemble mapped = read(logistic.replaceFirst("\"base_score\":\"[^\"]*\"",
            "\"base_score\":\"[2.5E-1]\""));
        assertEquals(-GlibcLogf.logf(1.0f / 0.25f - 1.0f), (float)mapped.baseScores()[0]);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "binary:logistic, 0",
        "binary:logistic, 1",
        "binary:logistic, 1.5",
        "reg:logistic, -0.1",
        "count:poisson, 0",
        "reg:gamma, -1",
        "reg:tweedie, NaN",
        "reg:squarederror, Infinity"
    })
    void baseScoresOutsideTheObjectivesDomainAreRefused(final String objective, final String value)
        throws XGBoostError, IOException
    {
        final String json = zeroTreeModel(objective, 0).replaceFirst("\"base_score\":\"[^\"]*\"",
            "\"base_score\":\"" + value + "\"");
        final ModelImportException refused = assertThrows(ModelImportException.class, () -> read(json));
        assertEquals("learner.learner_model_param.base_score", refused.where());
        assertTrue(refused.getMessage().contains(objective), refused.getMessage());
    }

    private static TreeEnsemble read(final String json)
    {
        return XGBoostJsonImporter.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "model");
    }

    /** A small model of the objective whose trees add 0 (eta 0), as XGBoost's JSON. */
    static String zeroTreeModel(final String objective, final int classes) throws XGBoostError, IOException
    {
        final int rows = 200;
        final SplittableRandom random = new SplittableRandom(1);
        final float[] x = new float[rows * 2];
        final float[] y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            x[2 * r] = (float)random.nextDouble(-1, 1);
            x[2 * r + 1] = (float)random.nextDouble(-1, 1);
            y[r] = classes > 0 ? random.nextInt(classes) : objective.contains("logistic") || objective.contains(
                "logitraw") ? random.nextInt(2) : 1 + random.nextInt(5);
        }
        final DMatrix train = new DMatrix(x, rows, 2, Float.NaN);
        train.setLabel(y);
        final Map<String, Object> params = new java.util.HashMap<>(Map.of("objective", objective, "eta", 0.0,
            "max_depth", 2, "nthread", 1));
        if (classes > 0)
        {
            params.put("num_class", classes);
        }
        final Booster booster = XGBoost.train(train, params, 1, new java.util.HashMap<>(), null, null);
        final String json = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
        booster.dispose();
        train.dispose();
        return json;
    }
}
