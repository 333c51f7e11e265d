package io.decide.tools.gbdt.xgboost;

import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.FidelityCheck.Fixture;
import io.decide.tools.gbdt.ProbeRows;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.Column;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.agrona.BufferUtil;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * XGBoost models trained here with xgboost4j on seeded synthetic data, imported, and the library's predictions for
 * at least {@link #ROWS} probe rows each: the fixtures every XGBoost fidelity check (the reference
 * {@link TreeEnsemble} now, the engine's evaluator later) runs on. Built once per JVM and cached.
 */
public final class XgbFixtures
{
    /** Prediction rows per fixture. */
    public static final int ROWS = 100_000;
    /** Ulps transformed outputs may differ: XGBoost computes sigmoid, exp and softmax in float with libm. */
    public static final int OUTPUT_ULPS = 4;

    private static final int TRAIN_ROWS = 3000;
    private static final Map<String, Trained> CACHE = new ConcurrentHashMap<>();

    /** Names of all fixtures, in a stable order. */
    public static final List<String> NAMES = List.of(
        "squarederror",
        "squarederror-exact-pruned",
        "squarederror-lossguide",
        "binary-logistic",
        "binary-logistic-base-score",
        "reg-logistic",
        "binary-logitraw",
        "multi-softprob",
        "multi-softmax",
        "count-poisson",
        "reg-gamma",
        "reg-tweedie",
        "reg-absoluteerror",
        "reg-pseudohubererror",
        "dart-binary",
        "dart-softprob",
        "random-forest-softprob",
        "multi-target");

    private XgbFixtures()
    {
    }

    /**
     * A trained fixture and the model bytes XGBoost wrote.
     *
     * @param fixture  imported model (from JSON), rows, library predictions.
     * @param json     {@code toByteArray("json")}.
     * @param ubj      {@code toByteArray("ubj")}.
     * @param typical  rows from the training distribution.
     */
    public record Trained(Fixture fixture, byte[] json, byte[] ubj, double[][] typical)
    {
    }

    /**
     * @param name one of {@link #NAMES}.
     * @return the fixture, trained on first use.
     */
    public static Trained get(final String name)
    {
        return CACHE.computeIfAbsent(name, XgbFixtures::build);
    }

    /** Training data: a dense float matrix with NaN for missing, labels, and which features are categorical. */
    static final class Data
    {
        final int rows;
        final int features;
        final float[] x;
        final float[] labels;
        final int labelColumns;
        final String[] featureTypes;
        final String[] featureNames;

        Data(final int rows, final int features, final float[] x, final float[] labels, final int labelColumns,
            final String[] featureTypes, final String[] featureNames)
        {
            this.rows = rows;
            this.features = features;
            this.x = x;
            this.labels = labels;
            this.labelColumns = labelColumns;
            this.featureTypes = featureTypes;
            this.featureNames = featureNames;
        }

        double[][] typical()
        {
            final double[][] result = new double[rows][features];
            for (int r = 0; r < rows; r++)
            {
                for (int f = 0; f < features; f++)
                {
                    result[r][f] = x[r * features + f];
                }
            }
            return result;
        }
    }

    /** What kind of label the objective wants. */
    enum Label
    {
        REGRESSION, BINARY, PROBABILITY, CLASSES, COUNT, POSITIVE, TWEEDIE, TARGETS
    }

    /**
     * Features: 0 gaussian (10% NaN), 1 uniform in [-1, 1] with exact ±0.0 spikes, 2 integers 0..20, 3 heavy
     * tailed, 4 gaussian (5% NaN); then, when {@code categories > 0}, 5 categorical with that many categories (5%
     * NaN) and 6 categorical with 3 categories.
     */
    static Data data(final Label label, final int classes, final int categories, final boolean names, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int features = categories > 0 ? 7 : 5;
        final float[] x = new float[TRAIN_ROWS * features];
        final int columns = label == Label.TARGETS ? classes : 1;
        final float[] y = new float[TRAIN_ROWS * columns];
        final double[] catEffect = new double[Math.max(categories, 1)];
        for (int c = 0; c < catEffect.length; c++)
        {
            catEffect[c] = random.nextDouble(-1.5, 1.5);
        }
        for (int r = 0; r < TRAIN_ROWS; r++)
        {
            final int o = r * features;
            x[o] = random.nextInt(10) == 0 ? Float.NaN : (float)gaussian(random);
            final int spike = random.nextInt(10);
            x[o + 1] = spike == 0 ? 0.0f : spike == 1 ? -0.0f : (float)random.nextDouble(-1, 1);
            x[o + 2] = random.nextInt(21);
            x[o + 3] = (float)(Math.exp(gaussian(random) * 2) * 100);
            x[o + 4] = random.nextInt(20) == 0 ? Float.NaN : (float)gaussian(random);
            if (categories > 0)
            {
                x[o + 5] = random.nextInt(20) == 0 ? Float.NaN : random.nextInt(categories);
                x[o + 6] = random.nextInt(3);
            }
            final double base = (Float.isNaN(x[o]) ? -0.5 : 1.2 * x[o]) + Math.sin(3 * x[o + 1]) +
                0.25 * (((int)x[o + 2]) % 5) - 0.0005 * Math.min(x[o + 3], 2000) +
                (Float.isNaN(x[o + 4]) ? 0.7 : 0.4 * x[o + 4]) +
                (categories > 0 && !Float.isNaN(x[o + 5]) ? catEffect[(int)x[o + 5]] : 0) +
                (categories > 0 ? 0.3 * x[o + 6] : 0);
            final double noisy = base + 0.3 * gaussian(random);
            switch (label)
            {
                case REGRESSION:
                    y[r] = (float)(2 * noisy + 1);
                    break;
                case BINARY:
                    y[r] = random.nextDouble() < 1 / (1 + Math.exp(-noisy)) ? 1 : 0;
                    break;
                case PROBABILITY:
                    y[r] = (float)(1 / (1 + Math.exp(-noisy)));
                    break;
                case CLASSES:
                {
                    final double u = noisy + 0.5 * gaussian(random);
                    y[r] = Math.min(classes - 1, Math.max(0, (int)Math.floor(u + classes / 2.0)));
                    break;
                }
                case COUNT:
                    y[r] = poisson(random, Math.exp(0.6 * noisy));
                    break;
                case POSITIVE:
                    y[r] = (float)(Math.exp(0.5 * noisy) * (0.05 - Math.log(1 - random.nextDouble())));
                    break;
                case TWEEDIE:
                    y[r] = random.nextInt(3) == 0 ? 0 : (float)(Math.exp(0.5 * noisy) * -Math.log(1 -
                        random.nextDouble()));
                    break;
                case TARGETS:
                    for (int t = 0; t < columns; t++)
                    {
                        y[r * columns + t] = (float)((t + 1) * noisy - t + (t == 2 ? x[o + 1] * 3 : 0));
                    }
                    break;
                default:
                    throw new IllegalStateException();
            }
        }
        final String[] types = new String[features];
        final String[] featureNames = names ? new String[features] : null;
        for (int f = 0; f < features; f++)
        {
            types[f] = f >= 5 ? "c" : "q";
            if (names)
            {
                featureNames[f] = f >= 5 ? "cat_" + f : "num_" + f;
            }
        }
        return new Data(TRAIN_ROWS, features, x, y, columns, categories > 0 ? types : null, featureNames);
    }

    private static double gaussian(final SplittableRandom random)
    {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static float poisson(final SplittableRandom random, final double mean)
    {
        final double limit = Math.exp(-Math.min(mean, 30));
        int k = 0;
        double p = random.nextDouble();
        while (p > limit)
        {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    private static Map<String, Object> params(final String objective, final Object... more)
    {
        final Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", objective);
        params.put("nthread", 1);
        params.put("seed", 7);
        params.put("max_depth", 5);
        params.put("eta", 0.3);
        params.put("tree_method", "hist");
        for (int i = 0; i < more.length; i += 2)
        {
            params.put((String)more[i], more[i + 1]);
        }
        return params;
    }

    private static Trained build(final String name)
    {
        try
        {
            switch (name)
            {
                case "squarederror":
                    return train(name, params("reg:squarederror", "max_cat_to_onehot", 1, "max_depth", 6), 30,
                        data(Label.REGRESSION, 0, 9, false, 1), true);
                case "squarederror-exact-pruned":
                    return train(name, params("reg:squarederror", "tree_method", "exact", "max_depth", 6, "gamma",
                        1.0), 20, data(Label.REGRESSION, 0, 0, false, 2), true);
                case "squarederror-lossguide":
                    return train(name, params("reg:squarederror", "grow_policy", "lossguide", "max_leaves", 24,
                        "max_depth", 0, "max_bin", 32), 25, data(Label.REGRESSION, 0, 0, false, 3), true);
                case "binary-logistic":
                    return train(name, params("binary:logistic", "max_cat_to_onehot", 4), 40,
                        data(Label.BINARY, 0, 12, true, 4), true);
                case "binary-logistic-base-score":
                    return train(name, params("binary:logistic", "base_score", 0.3), 10,
                        data(Label.BINARY, 0, 0, false, 5), true);
                case "reg-logistic":
                    return train(name, params("reg:logistic"), 20, data(Label.PROBABILITY, 0, 6, false, 6), true);
                case "binary-logitraw":
                    return train(name, params("binary:logitraw"), 20, data(Label.BINARY, 0, 0, false, 7), true);
                case "multi-softprob":
                    return train(name, params("multi:softprob", "num_class", 4, "max_cat_to_onehot", 1), 15,
                        data(Label.CLASSES, 4, 9, false, 8), true);
                case "multi-softmax":
                    return train(name, params("multi:softmax", "num_class", 4), 15,
                        data(Label.CLASSES, 4, 0, false, 9), true);
                case "count-poisson":
                    return train(name, params("count:poisson"), 25, data(Label.COUNT, 0, 5, false, 10), true);
                case "reg-gamma":
                    return train(name, params("reg:gamma"), 25, data(Label.POSITIVE, 0, 0, false, 11), true);
                case "reg-tweedie":
                    return train(name, params("reg:tweedie", "tweedie_variance_power", 1.4), 25,
                        data(Label.TWEEDIE, 0, 0, false, 12), true);
                case "reg-absoluteerror":
                    return train(name, params("reg:absoluteerror"), 20, data(Label.REGRESSION, 0, 7, false, 13),
                        true);
                case "reg-pseudohubererror":
                    return train(name, params("reg:pseudohubererror", "huber_slope", 1.5), 20,
                        data(Label.REGRESSION, 0, 0, false, 14), true);
                case "dart-binary":
                    return train(name, params("binary:logistic", "booster", "dart", "rate_drop", 0.3,
                        "skip_drop", 0.0, "normalize_type", "tree"), 20, data(Label.BINARY, 0, 6, false, 15), false);
                case "dart-softprob":
                    return train(name, params("multi:softprob", "num_class", 3, "booster", "dart", "rate_drop", 0.2,
                        "one_drop", 1, "sample_type", "weighted", "normalize_type", "forest"), 12,
                        data(Label.CLASSES, 3, 0, false, 16), false);
                case "random-forest-softprob":
                    return train(name, params("multi:softprob", "num_class", 3, "num_parallel_tree", 4,
                        "subsample", 0.7, "colsample_bynode", 0.7, "eta", 1.0), 3,
                        data(Label.CLASSES, 3, 5, false, 17), true);
                case "multi-target":
                    return train(name, params("reg:squarederror", "multi_strategy", "one_output_per_tree"), 12,
                        data(Label.TARGETS, 3, 4, false, 18), true);
                default:
                    throw new IllegalArgumentException("no XGBoost fixture " + name);
            }
        }
        catch (final XGBoostError ex)
        {
            throw new IllegalStateException("XGBoost failed building fixture " + name, ex);
        }
    }

    /**
     * A dense DMatrix (NaN missing) with the feature types of the training data.
     *
     * @param x        row-major floats.
     * @param rows     rows.
     * @param features features.
     * @param types    feature types ("q", "c") or null.
     * @return the matrix.
     * @throws XGBoostError from the library.
     */
    static DMatrix matrix(final float[] x, final int rows, final int features, final String[] types)
        throws XGBoostError
    {
        final DMatrix matrix = new DMatrix(x, rows, features, Float.NaN);
        if (types != null)
        {
            matrix.setFeatureTypes(types);
        }
        return matrix;
    }

    /**
     * Train a booster on the data.
     *
     * @param params training parameters.
     * @param rounds boosting rounds.
     * @param data   training data.
     * @return the booster (caller disposes).
     * @throws XGBoostError from the library.
     */
    static Booster booster(final Map<String, Object> params, final int rounds, final Data data) throws XGBoostError
    {
        final DMatrix train = matrix(data.x, data.rows, data.features, data.featureTypes);
        try
        {
            if (data.featureNames != null)
            {
                train.setFeatureNames(data.featureNames);
            }
            if (data.labelColumns == 1)
            {
                train.setLabel(data.labels);
            }
            else
            {
                try (Labels labels = new Labels(data.labels, data.rows, data.labelColumns))
                {
                    train.setLabel(labels);
                }
            }
            return XGBoost.train(train, new HashMap<>(params), rounds, new HashMap<>(), null, null);
        }
        finally
        {
            train.dispose();
        }
    }

    private static Trained train(final String name, final Map<String, Object> params, final int rounds,
        final Data data, final boolean infinities) throws XGBoostError
    {
        final Booster booster = booster(params, rounds, data);
        try
        {
            final byte[] json = booster.toByteArray("json");
            final byte[] ubj = booster.toByteArray("ubj");
            final TreeEnsemble model = XGBoostJsonImporter.read(new ByteArrayInputStream(json), name + ".json");
            final double[][] typical = data.typical();
            final double[][] rows = ProbeRows.rows(model, typical, ROWS, 0.35, infinities, name.hashCode());
            final float[][][] predictions = predict(booster, rows, data.featureTypes, model.outputCount());
            final Fixture fixture = new Fixture("xgboost " + name, model, rows, predictions[0], predictions[1],
                OUTPUT_ULPS);
            return new Trained(fixture, json, ubj, typical);
        }
        finally
        {
            booster.dispose();
        }
    }

    /**
     * The library's margins and outputs for rows: {@code Booster.predict} on a DMatrix for finite rows; rows with
     * an infinity (which DMatrix refuses) through {@code inplace_predict}, which agrees with it for gbtree (checked
     * by a test) but not for DART, so DART fixtures have none.
     *
     * @param booster the model.
     * @param rows    rows (rounded to float).
     * @param types   feature types or null.
     * @param outputs margins per row.
     * @return {margins, outputs}.
     * @throws XGBoostError from the library.
     */
    static float[][][] predict(final Booster booster, final double[][] rows, final String[] types, final int outputs)
        throws XGBoostError
    {
        final int features = rows[0].length;
        final List<Integer> finite = new ArrayList<>();
        final List<Integer> infinite = new ArrayList<>();
        for (int r = 0; r < rows.length; r++)
        {
            (ProbeRows.hasInfinity(rows[r]) ? infinite : finite).add(r);
        }
        final float[][] margins = new float[rows.length][];
        final float[][] values = new float[rows.length][];
        if (!finite.isEmpty())
        {
            final DMatrix matrix = matrix(flatten(rows, finite), finite.size(), features, types);
            try
            {
                scatter(booster.predict(matrix, true), finite, margins);
                scatter(booster.predict(matrix, false), finite, values);
            }
            finally
            {
                matrix.dispose();
            }
        }
        if (!infinite.isEmpty())
        {
            final float[] x = flatten(rows, infinite);
            scatter(booster.inplace_predict(x, infinite.size(), features, Float.NaN, new int[]{0, 0},
                Booster.PredictionType.kMargin, null), infinite, margins);
            scatter(booster.inplace_predict(x, infinite.size(), features, Float.NaN, new int[]{0, 0},
                Booster.PredictionType.kValue, null), infinite, values);
        }
        for (final float[] m : margins)
        {
            if (m.length != outputs)
            {
                throw new IllegalStateException(m.length + " margins per row, model has " + outputs + " outputs");
            }
        }
        return new float[][][]{margins, values};
    }

    static float[] flatten(final double[][] rows, final List<Integer> which)
    {
        final int features = rows[0].length;
        final float[] x = new float[which.size() * features];
        for (int i = 0; i < which.size(); i++)
        {
            final double[] row = rows[which.get(i)];
            for (int f = 0; f < features; f++)
            {
                x[i * features + f] = (float)row[f];
            }
        }
        return x;
    }

    private static void scatter(final float[][] predicted, final List<Integer> which, final float[][] into)
    {
        for (int i = 0; i < which.size(); i++)
        {
            into[which.get(i)] = predicted[i];
        }
    }

    /** A row-major float label matrix handed to XGBoost through the array interface (multi-target labels). */
    static final class Labels extends Column
    {
        private final ByteBuffer buffer;
        private final int rows;
        private final int columns;

        Labels(final float[] values, final int rows, final int columns)
        {
            this.rows = rows;
            this.columns = columns;
            this.buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
            buffer.asFloatBuffer().put(values);
        }

        @Override
        public String toJson()
        {
            final String order = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "<" : ">";
            return "{\"data\":[" + BufferUtil.address(buffer) + ",true],\"shape\":[" + rows + "," + columns +
                "],\"typestr\":\"" + order + "f4\",\"version\":3}";
        }

        @Override
        public void close()
        {
        }
    }
}
