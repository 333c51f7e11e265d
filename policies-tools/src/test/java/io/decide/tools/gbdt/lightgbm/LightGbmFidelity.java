package io.decide.tools.gbdt.lightgbm;

import com.microsoft.ml.lightgbm.PredictionType;
import io.decide.format.gbdt.TreeEnsemble;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential checks of a {@link TreeEnsemble} (or anything that predicts rows, such as the engine's evaluator)
 * against LightGBM itself. A {@link Fixture} holds one trained model's text, probe rows and LightGBM's outputs for
 * them, so the same (model, rows, library outputs) can be replayed against any {@link RowPredictor}.
 * <p>
 * Raw scores must be bit-identical: LightGBM sums double leaf values in tree order, then divides by the iteration
 * count for random forests, which the ensemble reproduces operation for operation. Transformed outputs may differ
 * by the last bits of {@code exp}: glibc's and Java's {@code Math.exp} are each within 1 ulp of the true value, and
 * the sigmoid and softmax around it add at most a few more roundings, so 4 ulps is the stated tolerance.
 */
public final class LightGbmFidelity
{
    /** Tolerance of transformed outputs, in double ulps (see the class Javadoc). */
    public static final long TRANSFORMED_ULPS = 4;

    private static final String PREDICT_PARAMETERS = "num_threads=1";
    private static final String AVERAGE_OUTPUT_LINE = "\naverage_output\n";

    /** Predicts one row into caller-provided outputs; a method reference to the predictor under test. */
    @FunctionalInterface
    public interface RowPredictor
    {
        /**
         * @param row features, NaN for missing.
         * @param out outputs.
         */
        void predict(double[] row, double[] out);
    }

    /**
     * One model with LightGBM's answers for its probe rows.
     *
     * @param name        what the model is, for messages.
     * @param modelText   the model as LightGBM saved it.
     * @param ensemble    the model as {@link LightGbmTextImporter} read it.
     * @param rowCount    number of probe rows.
     * @param rows        probe rows, row-major, {@code rowCount x ensemble.featureCount()}.
     * @param raw         the margins LightGBM transforms, {@code rowCount x ensemble.outputCount()}: its raw scores
     *                    ({@code C_API_PREDICT_RAW_SCORE}), divided in double by the iteration count for
     *                    {@code average_output} models, as {@code GBDT::Predict} does before the transform (their
     *                    raw scores are the undivided tree sums).
     * @param transformed LightGBM's normal predictions, {@code rowCount x ensemble.transformedCount()}.
     */
    public record Fixture(String name, String modelText, TreeEnsemble ensemble, int rowCount, double[] rows,
        double[] raw, double[] transformed)
    {
        /**
         * @param i row index.
         * @return a copy of the row.
         */
        public double[] row(final int i)
        {
            final int width = ensemble.featureCount();
            return Arrays.copyOfRange(rows, i * width, (i + 1) * width);
        }
    }

    private LightGbmFidelity()
    {
    }

    /**
     * Train a model with LightGBM, import its text, and record LightGBM's predictions for probe rows built from it.
     *
     * @param name        what the model is.
     * @param parameters  LightGBM parameters, for both the dataset and the booster.
     * @param iterations  boosting iterations.
     * @param training    training set.
     * @param categorical whether feature 3 is categorical (for the probe rows).
     * @param probeCount  minimum number of probe rows.
     * @param seed        probe-row seed.
     * @return the fixture.
     */
    public static Fixture fixture(final String name, final String parameters, final int iterations,
        final SyntheticData.Data training, final boolean categorical, final int probeCount, final long seed)
    {
        try (LGBMDataset dataset = dataset(parameters, training);
            LGBMBooster booster = LGBMBooster.create(dataset, parameters))
        {
            boost(booster, iterations);
            final String text = booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
            final TreeEnsemble ensemble = importText(name, text);
            final double[] rows = SyntheticData.probeRows(seed, probeCount, ensemble, categorical);
            return predicted(name, text, ensemble, booster, rows);
        }
        catch (final LGBMException e)
        {
            throw new IllegalStateException(name + ": LightGBM failed with " + parameters, e);
        }
    }

    /**
     * Record LightGBM's predictions for given rows of a model given as text (handcrafted models).
     *
     * @param name model name.
     * @param text model text.
     * @param rows rows, row-major.
     * @return the fixture.
     */
    public static Fixture fixture(final String name, final String text, final double[] rows)
    {
        try
        {
            return predicted(name, text, importText(name, text), null, rows);
        }
        catch (final LGBMException e)
        {
            throw new IllegalStateException(name + ": LightGBM failed", e);
        }
    }

    /** Predict with the booster loaded from the text; cross-check the trained booster where lightgbm4j can. */
    private static Fixture predicted(final String name, final String text, final TreeEnsemble ensemble,
        final LGBMBooster trained, final double[] rows) throws LGBMException
    {
        final int features = ensemble.featureCount();
        final int rowCount = rows.length / features;
        final double[] raw;
        final double[] transformed;
        final int iterations;
        try (LoadedBooster booster = LoadedBooster.fromText(text))
        {
            raw = booster.predict(rows, rowCount, features, PredictionType.C_API_PREDICT_RAW_SCORE,
                PREDICT_PARAMETERS);
            transformed = booster.predict(rows, rowCount, features, PredictionType.C_API_PREDICT_NORMAL,
                PREDICT_PARAMETERS);
            iterations = booster.iterations();
        }
        if (trained != null && ensemble.outputCount() == 1)
        {
            final double[] rawTrained = trained.predictForMat(rows, rowCount, features, true,
                PredictionType.C_API_PREDICT_RAW_SCORE, PREDICT_PARAMETERS);
            if (!Arrays.equals(raw, rawTrained))
            {
                throw new IllegalStateException(name + ": LightGBM predicts differently from its own saved text");
            }
        }
        if (text.contains(AVERAGE_OUTPUT_LINE))
        {
            for (int i = 0; i < raw.length; i++)
            {
                raw[i] /= iterations;
            }
        }
        return new Fixture(name, text, ensemble, rowCount, rows, raw, transformed);
    }

    /**
     * Train a booster and return its model text.
     *
     * @param parameters LightGBM parameters, for both the dataset and the booster.
     * @param iterations boosting iterations.
     * @param training   training set.
     * @return what {@code saveModelToString} returns.
     */
    public static String train(final String parameters, final int iterations, final SyntheticData.Data training)
    {
        try (LGBMDataset dataset = dataset(parameters, training);
            LGBMBooster booster = LGBMBooster.create(dataset, parameters))
        {
            boost(booster, iterations);
            return booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
        }
        catch (final LGBMException e)
        {
            throw new IllegalStateException("LightGBM training failed with " + parameters, e);
        }
    }

    private static LGBMDataset dataset(final String parameters, final SyntheticData.Data training)
        throws LGBMException
    {
        final LGBMDataset dataset = LGBMDataset.createFromMat(training.x(), training.rowCount(),
            SyntheticData.FEATURES, true, parameters, null);
        dataset.setField("label", training.label());
        if (training.groups() != null)
        {
            dataset.setField("group", training.groups());
        }
        return dataset;
    }

    private static void boost(final LGBMBooster booster, final int iterations) throws LGBMException
    {
        for (int i = 0; i < iterations; i++)
        {
            if (booster.updateOneIter())
            {
                return;
            }
        }
    }

    /**
     * @param name model name.
     * @param text model text.
     * @return the imported ensemble.
     */
    public static TreeEnsemble importText(final String name, final String text)
    {
        try
        {
            return LightGbmTextImporter.read(new StringReader(text), name);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Assert a predictor's raw margins equal LightGBM's raw scores bit for bit, on every probe row.
     *
     * @param fixture   model, rows and LightGBM's outputs.
     * @param predictor writes {@code ensemble.outputCount()} margins per row.
     */
    public static void assertRawBitIdentical(final Fixture fixture, final RowPredictor predictor)
    {
        final int width = fixture.ensemble().outputCount();
        final double[] out = new double[width];
        int mismatches = 0;
        String first = null;
        for (int i = 0; i < fixture.rowCount(); i++)
        {
            final double[] row = fixture.row(i);
            predictor.predict(row, out);
            for (int g = 0; g < width; g++)
            {
                final double expected = fixture.raw()[i * width + g];
                if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(out[g]))
                {
                    if (mismatches++ == 0)
                    {
                        first = describe(fixture, i, g, expected, out[g]);
                    }
                }
            }
        }
        if (mismatches > 0)
        {
            fail(fixture.name() + ": " + mismatches + " raw scores differ from LightGBM's; first: " + first);
        }
    }

    /**
     * Assert a predictor's transformed outputs are within {@code ulps} of LightGBM's normal predictions.
     *
     * @param fixture   model, rows and LightGBM's outputs.
     * @param predictor writes {@code ensemble.transformedCount()} outputs per row.
     * @param ulps      tolerance in double ulps.
     */
    public static void assertTransformedWithin(final Fixture fixture, final RowPredictor predictor, final long ulps)
    {
        final int width = fixture.ensemble().transformedCount();
        final double[] out = new double[width];
        int mismatches = 0;
        long worst = 0;
        String first = null;
        for (int i = 0; i < fixture.rowCount(); i++)
        {
            predictor.predict(fixture.row(i), out);
            for (int g = 0; g < width; g++)
            {
                final double expected = fixture.transformed()[i * width + g];
                final long distance = ulpDistance(expected, out[g]);
                worst = Math.max(worst, distance);
                if (distance > ulps && mismatches++ == 0)
                {
                    first = describe(fixture, i, g, expected, out[g]);
                }
            }
        }
        if (mismatches > 0)
        {
            fail(fixture.name() + ": " + mismatches + " transformed outputs are more than " + ulps +
                " ulps from LightGBM's (worst " + worst + "); first: " + first);
        }
    }

    /**
     * Distance between two doubles in units in the last place: 0 when bit-identical (or both NaN), the number of
     * representable doubles between them otherwise (+0.0 and -0.0 are 1 apart); Long.MAX_VALUE if one is NaN.
     *
     * @param a one value.
     * @param b the other.
     * @return distance in ulps.
     */
    public static long ulpDistance(final double a, final double b)
    {
        if (Double.isNaN(a) || Double.isNaN(b))
        {
            return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
        }
        try
        {
            final long distance = Math.subtractExact(ordered(a), ordered(b));
            return distance == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(distance);
        }
        catch (final ArithmeticException e)
        {
            return Long.MAX_VALUE;
        }
    }

    private static long ordered(final double value)
    {
        final long bits = Double.doubleToRawLongBits(value);
        return bits < 0 ? -(bits & Long.MAX_VALUE) - 1 : bits;
    }

    private static String describe(final Fixture fixture, final int i, final int g, final double expected,
        final double actual)
    {
        final StringBuilder row = new StringBuilder();
        for (final double v : fixture.row(i))
        {
            row.append(row.length() == 0 ? "" : ", ").append(v).append(" (").append(Double.toHexString(v))
                .append(')');
        }
        return "row " + i + " [" + row + "] output " + g + ": LightGBM " + expected + " (" +
            Double.toHexString(expected) + "), predictor " + actual + " (" + Double.toHexString(actual) + ")";
    }
}
