package io.decide.tools.adload;

import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.xgboost.XGBoostJsonImporter;
import io.decide.tools.ope.CsvCursor;
import io.decide.tools.ope.OpeInputException;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains a GBDT reward model (SAT or ADS) with xgboost4j from joined.csv (format in {@code docs/OPE.md}): every
 * column except {@link #NON_FEATURES} is a feature, in header order (context features and the action encoding
 * {@code ad_count, ad_at_0..}); the target is the {@code sat} or {@code ads} column. A seeded share of rows is held
 * out to report the error. The model is written as XGBoost JSON and is checked to import with
 * {@link XGBoostJsonImporter} and to predict what XGBoost predicts before it is returned.
 */
public final class RewardTrainer
{
    /** Columns of joined.csv that are not features. */
    public static final Set<String> NON_FEATURES = Set.of("request_id", "user_id", "action", "pscore", "sat", "ads",
        "reward");

    private RewardTrainer()
    {
    }

    /**
     * Training settings.
     *
     * @param trees   boosting rounds.
     * @param depth   max tree depth.
     * @param eta     learning rate.
     * @param holdout share of rows held out, in [0, 1).
     * @param seed    seed of the split and of XGBoost.
     * @param threads XGBoost threads.
     */
    public record Settings(int trees, int depth, double eta, double holdout, long seed, int threads)
    {
    }

    /**
     * What was trained.
     *
     * @param json           the model as XGBoost JSON.
     * @param features       feature names, in order.
     * @param trainRows      rows trained on.
     * @param holdoutRows    rows held out.
     * @param trainRmse      RMSE on the training rows.
     * @param holdoutRmse    RMSE on the held-out rows (NaN without).
     * @param baselineRmse   RMSE of predicting the training mean on the held-out rows (NaN without).
     * @param importMaxDiff  largest |XGBoost - imported model| over the checked rows.
     */
    public record Result(byte[] json, String[] features, int trainRows, int holdoutRows, double trainRmse,
        double holdoutRmse, double baselineRmse, double importMaxDiff)
    {
    }

    /**
     * Train.
     *
     * @param joined   joined.csv.
     * @param target   "sat" or "ads".
     * @param settings settings.
     * @return the model and its metrics.
     * @throws IOException when the file is unreadable or malformed.
     */
    public static Result train(final Path joined, final String target, final Settings settings) throws IOException
    {
        if (!target.equals("sat") && !target.equals("ads"))
        {
            throw new IllegalArgumentException("target must be sat or ads: " + target);
        }
        final List<String> names = new ArrayList<>();
        final List<Integer> columns = new ArrayList<>();
        float[] x;
        float[] y;
        int rows = 0;
        try (CsvCursor csv = CsvCursor.open(joined))
        {
            final String[] header = csv.header();
            final int label = csv.requireColumn(target, "joined.csv with columns features...,sat,ads");
            for (int c = 0; c < header.length; c++)
            {
                if (!NON_FEATURES.contains(header[c]))
                {
                    csv.column(header[c]);
                    names.add(header[c]);
                    columns.add(c);
                }
            }
            if (names.isEmpty())
            {
                throw new OpeInputException(joined + ":1: no feature columns (every column is one of " +
                    NON_FEATURES + ")");
            }
            final int f = names.size();
            x = new float[1 << 16];
            y = new float[1 << 12];
            while (csv.next())
            {
                if ((long)(rows + 1) * f > x.length)
                {
                    if ((long)x.length * 2 > Integer.MAX_VALUE - 16)
                    {
                        throw new OpeInputException(joined + ": too many rows x features for one matrix");
                    }
                    x = Arrays.copyOf(x, x.length * 2);
                }
                if (rows == y.length)
                {
                    y = Arrays.copyOf(y, y.length * 2);
                }
                for (int j = 0; j < f; j++)
                {
                    x[rows * f + j] = (float)csv.getDouble(columns.get(j));
                }
                y[rows] = (float)csv.getDouble(label);
                rows++;
            }
            if (rows < 2)
            {
                throw new OpeInputException(joined + ": needs at least 2 data rows, has " + rows);
            }
        }
        return fit(names.toArray(new String[0]), x, y, rows, settings, joined.getFileName().toString());
    }

    private static Result fit(final String[] names, final float[] x, final float[] y, final int rows,
        final Settings settings, final String source) throws IOException
    {
        final int f = names.length;
        final SplittableRandom random = new SplittableRandom(settings.seed());
        final boolean[] held = new boolean[rows];
        int heldCount = 0;
        for (int i = 0; i < rows; i++)
        {
            held[i] = random.nextDouble() < settings.holdout();
            heldCount += held[i] ? 1 : 0;
        }
        if (heldCount == rows)
        {
            held[0] = false;
            heldCount--;
        }
        final int trainCount = rows - heldCount;
        final float[] trainX = new float[trainCount * f];
        final float[] trainY = new float[trainCount];
        final float[] testX = new float[heldCount * f];
        final float[] testY = new float[heldCount];
        for (int i = 0, a = 0, b = 0; i < rows; i++)
        {
            if (held[i])
            {
                System.arraycopy(x, i * f, testX, b * f, f);
                testY[b++] = y[i];
            }
            else
            {
                System.arraycopy(x, i * f, trainX, a * f, f);
                trainY[a++] = y[i];
            }
        }
        try
        {
            final Map<String, Object> params = new LinkedHashMap<>();
            params.put("objective", "reg:squarederror");
            params.put("tree_method", "hist");
            params.put("max_depth", settings.depth());
            params.put("eta", settings.eta());
            params.put("seed", (int)settings.seed());
            params.put("nthread", settings.threads());
            final DMatrix train = new DMatrix(trainX, trainCount, f, Float.NaN);
            final Booster booster;
            try
            {
                train.setFeatureNames(names);
                train.setLabel(trainY);
                booster = XGBoost.train(train, new HashMap<>(params), settings.trees(), new HashMap<>(), null, null);
            }
            finally
            {
                train.dispose();
            }
            try
            {
                final byte[] json = booster.toByteArray("json");
                final TreeEnsemble model = XGBoostJsonImporter.read(new ByteArrayInputStream(json), source);
                final double trainRmse = rmse(booster, trainX, trainY, trainCount, f, names);
                double holdoutRmse = Double.NaN;
                double baselineRmse = Double.NaN;
                if (heldCount > 0)
                {
                    holdoutRmse = rmse(booster, testX, testY, heldCount, f, names);
                    double mean = 0;
                    for (final float v : trainY)
                    {
                        mean += v;
                    }
                    mean /= trainCount;
                    double sum = 0;
                    for (final float v : testY)
                    {
                        sum += (v - mean) * (v - mean);
                    }
                    baselineRmse = Math.sqrt(sum / heldCount);
                }
                final int checked = Math.min(trainCount, 2_000);
                final float[] library = predict(booster, Arrays.copyOf(trainX, checked * f), checked, f, names);
                final double[] row = new double[f];
                final double[] output = new double[1];
                double maxDiff = 0;
                for (int i = 0; i < checked; i++)
                {
                    for (int j = 0; j < f; j++)
                    {
                        row[j] = trainX[i * f + j];
                    }
                    model.predict(row, output);
                    maxDiff = Math.max(maxDiff, Math.abs(output[0] - library[i]));
                }
                return new Result(json, names, trainCount, heldCount, trainRmse, holdoutRmse, baselineRmse,
                    maxDiff);
            }
            finally
            {
                booster.dispose();
            }
        }
        catch (final XGBoostError ex)
        {
            throw new IllegalStateException("XGBoost failed: " + ex.getMessage(), ex);
        }
    }

    private static float[] predict(final Booster booster, final float[] x, final int rows, final int f,
        final String[] names) throws XGBoostError
    {
        final DMatrix matrix = new DMatrix(x, rows, f, Float.NaN);
        try
        {
            matrix.setFeatureNames(names);
            final float[][] predictions = booster.predict(matrix);
            final float[] result = new float[rows];
            for (int i = 0; i < rows; i++)
            {
                result[i] = predictions[i][0];
            }
            return result;
        }
        finally
        {
            matrix.dispose();
        }
    }

    private static double rmse(final Booster booster, final float[] x, final float[] y, final int rows, final int f,
        final String[] names) throws XGBoostError
    {
        final float[] p = predict(booster, x, rows, f, names);
        double sum = 0;
        for (int i = 0; i < rows; i++)
        {
            sum += (p[i] - y[i]) * (double)(p[i] - y[i]);
        }
        return Math.sqrt(sum / rows);
    }
}
