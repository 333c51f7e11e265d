package io.decide.bench;

import com.microsoft.ml.lightgbm.lightgbmlib;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The models the GBDT peer benchmarks time: regression models over {@value #FEATURES} features trained on
 * {@value #TRAIN_ROWS} generated rows, with xgboost4j (hist, given depth and tree count) or lightgbm4j (31 leaves),
 * and the rows they are timed on. Trained models are cached as the library saved them under {@link #CACHE_DIR}
 * ({@code bench/target/models}, or {@code -Ddecide.bench.models=DIR}), keyed by everything that shapes them, so
 * the second fork of a benchmark and later runs read the file instead of training again.
 * <p>
 * Rows: feature {@code f} is N(0,1) with 5% NaN (missing); the label is a sum of smooth effects of the first 20
 * features, two interactions and noise, so trees keep finding splits down to depth 8.
 */
final class GbdtModels
{
    /** Features of every model and row. */
    static final int FEATURES = 100;
    /** Rows the models are trained on. */
    static final int TRAIN_ROWS = 20_000;
    /** Rows every benchmark cycles through (and checks before timing). */
    static final int ROWS = 1024;
    /** Directory of cached trained models. */
    static final Path CACHE_DIR = Paths.get(System.getProperty("decide.bench.models", "bench/target/models"));

    /** Bump when the data or training parameters change, so cached models are not reused. */
    private static final int DATA_VERSION = 1;
    private static final long TRAIN_SEED = 20_251_122L;
    private static final long ROW_SEED = 77L;

    private GbdtModels()
    {
    }

    /**
     * @param rowCount rows.
     * @param seed     seed.
     * @return {@code rowCount x FEATURES} features, row-major, float values (NaN for missing).
     */
    static float[] features(final int rowCount, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] x = new float[rowCount * FEATURES];
        for (int i = 0; i < x.length; i++)
        {
            x[i] = random.nextInt(20) == 0 ? Float.NaN : (float)gaussian(random);
        }
        return x;
    }

    /**
     * @param x        rows from {@link #features}.
     * @param rowCount rows.
     * @param seed     noise seed.
     * @return one regression label per row.
     */
    static float[] labels(final float[] x, final int rowCount, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] y = new float[rowCount];
        for (int r = 0; r < rowCount; r++)
        {
            final int o = r * FEATURES;
            double v = 0;
            for (int f = 0; f < 20; f++)
            {
                final double xf = x[o + f];
                v += Double.isNaN(xf) ? 0.3 * ((f % 3) - 1) : (f % 2 == 0 ? Math.sin((f + 1) * 0.4 * xf) :
                    0.5 * xf * (f % 5 == 0 ? -1 : 1) + (xf > 0.5 ? 0.4 : 0));
            }
            final double a = nanToZero(x[o + 20]);
            final double b = nanToZero(x[o + 21]);
            v += a * b + (nanToZero(x[o + 22]) > 0 ? nanToZero(x[o + 23]) : -nanToZero(x[o + 24]));
            y[r] = (float)(3 + v + 0.3 * gaussian(random));
        }
        return y;
    }

    /** @return the {@link #ROWS} benchmark rows (not training rows), row-major floats. */
    static float[] benchmarkRows()
    {
        return features(ROWS, ROW_SEED);
    }

    /**
     * @param flat row-major floats.
     * @return one double[] per row, each value the float widened.
     */
    static double[][] doubleRows(final float[] flat)
    {
        final double[][] rows = new double[flat.length / FEATURES][FEATURES];
        for (int r = 0; r < rows.length; r++)
        {
            for (int f = 0; f < FEATURES; f++)
            {
                rows[r][f] = flat[r * FEATURES + f];
            }
        }
        return rows;
    }

    /**
     * @param flat row-major floats.
     * @return one float[] per row.
     */
    static float[][] floatRows(final float[] flat)
    {
        final float[][] rows = new float[flat.length / FEATURES][FEATURES];
        for (int r = 0; r < rows.length; r++)
        {
            System.arraycopy(flat, r * FEATURES, rows[r], 0, FEATURES);
        }
        return rows;
    }

    /**
     * An XGBoost regression model as {@code Booster.toByteArray("json")} wrote it, trained on first use and cached.
     *
     * @param trees boosting rounds (one tree each).
     * @param depth {@code max_depth}.
     * @return the model JSON.
     * @throws IOException  when the cache cannot be read or written.
     * @throws XGBoostError when training fails.
     */
    static byte[] xgboostJson(final int trees, final int depth) throws IOException, XGBoostError
    {
        final Path file = CACHE_DIR.resolve("xgb-reg-v" + DATA_VERSION + "-f" + FEATURES + "-r" + TRAIN_ROWS +
            "-t" + trees + "-d" + depth + ".json");
        if (Files.isRegularFile(file))
        {
            return Files.readAllBytes(file);
        }
        final long start = System.nanoTime();
        final float[] x = features(TRAIN_ROWS, TRAIN_SEED);
        final DMatrix train = new DMatrix(x, TRAIN_ROWS, FEATURES, Float.NaN);
        final byte[] json;
        try
        {
            train.setLabel(labels(x, TRAIN_ROWS, TRAIN_SEED + 1));
            final Map<String, Object> params = new LinkedHashMap<>();
            params.put("objective", "reg:squarederror");
            params.put("max_depth", depth);
            params.put("eta", 0.05);
            params.put("tree_method", "hist");
            params.put("nthread", 2);
            params.put("seed", 7);
            final Booster booster = XGBoost.train(train, params, trees, new HashMap<>(), null, null);
            try
            {
                json = booster.toByteArray("json");
            }
            finally
            {
                booster.dispose();
            }
        }
        finally
        {
            train.dispose();
        }
        write(file, json);
        System.out.printf("trained XGBoost %d trees, depth %d in %.1f s -> %s%n", trees, depth,
            (System.nanoTime() - start) / 1e9, file);
        return json;
    }

    /**
     * A LightGBM regression model (31 leaves) as {@code saveModelToString} wrote it, trained on first use and
     * cached.
     *
     * @param trees boosting iterations (one tree each).
     * @return the model text.
     * @throws IOException    when the cache cannot be read or written.
     * @throws LGBMException when training fails.
     */
    static String lightGbmText(final int trees) throws IOException, LGBMException
    {
        final Path file = CACHE_DIR.resolve("lgbm-reg-v" + DATA_VERSION + "-f" + FEATURES + "-r" + TRAIN_ROWS +
            "-t" + trees + "-l31.txt");
        if (Files.isRegularFile(file))
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        final long start = System.nanoTime();
        final float[] x = features(TRAIN_ROWS, TRAIN_SEED);
        final String parameters = "objective=regression num_leaves=31 learning_rate=0.05 num_threads=2 seed=7 " +
            "deterministic=true force_row_wise=true verbosity=-1";
        final String text;
        try (LGBMDataset dataset = LGBMDataset.createFromMat(x, TRAIN_ROWS, FEATURES, true, parameters, null);
            LGBMBooster booster = createBooster(dataset, x, parameters))
        {
            for (int i = 0; i < trees; i++)
            {
                if (booster.updateOneIter())
                {
                    throw new IllegalStateException("LightGBM stopped after " + i + " of " + trees + " iterations");
                }
            }
            text = booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
        }
        write(file, text.getBytes(StandardCharsets.UTF_8));
        System.out.printf("trained LightGBM %d trees, 31 leaves in %.1f s -> %s%n", trees,
            (System.nanoTime() - start) / 1e9, file);
        return text;
    }

    private static LGBMBooster createBooster(final LGBMDataset dataset, final float[] x, final String parameters)
        throws LGBMException
    {
        dataset.setField("label", labels(x, TRAIN_ROWS, TRAIN_SEED + 1));
        return LGBMBooster.create(dataset, parameters);
    }

    /**
     * Fail unless a LightGBM C API call returned 0.
     *
     * @param status the call's return code.
     * @param what   what was called.
     */
    static void lightGbmCheck(final int status, final String what)
    {
        if (status != 0)
        {
            throw new IllegalStateException("LightGBM " + what + " failed: " + lightgbmlib.LGBM_GetLastError());
        }
    }

    private static void write(final Path file, final byte[] bytes) throws IOException
    {
        Files.createDirectories(file.getParent());
        final Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static double nanToZero(final float v)
    {
        return Float.isNaN(v) ? 0 : v;
    }

    private static double gaussian(final SplittableRandom random)
    {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
