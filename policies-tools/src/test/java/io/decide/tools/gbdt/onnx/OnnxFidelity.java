package io.decide.tools.gbdt.onnx;

import io.decide.format.gbdt.OutputTransform;
import io.decide.format.gbdt.TreeEnsemble;

import java.io.ByteArrayInputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential check of an imported ONNX tree model against ONNX Runtime: a {@link Fixture} holds a serialized
 * model, its rows, ORT's outputs for them (computed once, with one intra-op thread) and the imported ensemble, so
 * any {@link RowPredictor} (the reference {@link TreeEnsemble#predict}, later the engine's fast evaluator) can be
 * checked against the same data.
 * <p>
 * Comparison, per output value, after rounding the prediction to float (ORT's output type):
 * <ul>
 * <li>transform IDENTITY: bit-identical, except that +0.0 and -0.0 count as equal (ORT writes {@code -s} of a sum
 * that cancels to +0.0 as -0.0, the ensemble's negated copy of the trees sums to +0.0);</li>
 * <li>ONNX_LOGISTIC, ONNX_SOFTMAX: within {@link #MAX_ULPS} float ulps. One exception, stated and bounded: ORT's
 * {@code expf} (glibc) is not always correctly rounded (seen: exp(-1.5301697f) one ulp high), and ORT's
 * logistic of a negative margin is {@code 1 - v} with {@code v} near 1, so a one-ulp {@code expf} difference
 * moves it by up to about 2 ulps of {@code v}: for logistic outputs below 0.5 an absolute difference up to
 * {@link #LOGISTIC_NEGATIVE_ABS} = 2^-22 is accepted.</li>
 * </ul>
 */
final class OnnxFidelity
{
    /** Largest ulp difference accepted for transformed outputs. */
    static final int MAX_ULPS = 4;
    /** Absolute tolerance for ORT logistic outputs below 0.5 (computed as {@code 1 - v}), see the class comment. */
    static final double LOGISTIC_NEGATIVE_ABS = 0x1p-22;

    /** A prediction function under test: writes the ensemble's transformed outputs for one row. */
    @FunctionalInterface
    interface RowPredictor
    {
        /**
         * @param row features, NaN for missing.
         * @param out transformed outputs.
         */
        void predict(double[] row, double[] out);
    }

    /**
     * A model, rows, ONNX Runtime's outputs on them and the imported ensemble.
     *
     * @param name        description.
     * @param model       serialized ModelProto.
     * @param rows        input rows (float values when the model takes float input).
     * @param ortOutputs  ORT's score output per row.
     * @param ensemble    the import.
     */
    record Fixture(String name, byte[] model, double[][] rows, float[][] ortOutputs, TreeEnsemble ensemble)
    {
    }

    /** Statistics of one comparison. */
    record Report(long values, long exact, int maxUlps, double maxAbs)
    {
        @Override
        public String toString()
        {
            return values + " values, " + exact + " bit-identical, max " + maxUlps + " ulps, max |diff| " + maxAbs;
        }
    }

    private static final int BATCH = 16_384;

    private OnnxFidelity()
    {
    }

    /**
     * Serialize a model, import it and run it through ONNX Runtime on the rows (one session, batches).
     *
     * @param name  description.
     * @param model the model.
     * @param rows  input rows.
     * @return the fixture.
     */
    static Fixture fixture(final String name, final OnnxTreeModel model, final double[][] rows)
    {
        final byte[] bytes = model.toBytes();
        final TreeEnsemble ensemble = OnnxTreeImporter.read(new ByteArrayInputStream(bytes), name + ".onnx");
        final float[][] outputs = new float[rows.length][];
        try (OrtModel ort = new OrtModel(bytes))
        {
            for (int from = 0; from < rows.length; from += BATCH)
            {
                final int to = Math.min(rows.length, from + BATCH);
                final float[][] out;
                if (model.inputType() == OnnxTreeModel.InputType.FLOAT)
                {
                    final float[][] batch = new float[to - from][];
                    for (int r = from; r < to; r++)
                    {
                        batch[r - from] = new float[rows[r].length];
                        for (int f = 0; f < rows[r].length; f++)
                        {
                            batch[r - from][f] = (float)rows[r][f];
                        }
                    }
                    out = ort.run(batch, model.graphScoreOutput());
                }
                else
                {
                    out = ort.run(Arrays.copyOfRange(rows, from, to), model.graphScoreOutput());
                }
                System.arraycopy(out, 0, outputs, from, out.length);
            }
        }
        return new Fixture(name, bytes, rows, outputs, ensemble);
    }

    /**
     * @param fixture the data.
     * @return the reference predictor: {@link TreeEnsemble#predict} of the import.
     */
    static RowPredictor reference(final Fixture fixture)
    {
        return fixture.ensemble()::predict;
    }

    /**
     * Check a predictor against ORT's outputs; fails naming the first mismatching row.
     *
     * @param fixture   the data.
     * @param predictor the prediction function.
     * @return statistics.
     */
    static Report assertMatchesOrt(final Fixture fixture, final RowPredictor predictor)
    {
        final TreeEnsemble ensemble = fixture.ensemble();
        final OutputTransform transform = ensemble.transform();
        final double[] out = new double[ensemble.transformedCount()];
        long values = 0;
        long exact = 0;
        int maxUlps = 0;
        double maxAbs = 0;
        for (int r = 0; r < fixture.rows().length; r++)
        {
            final float[] expected = fixture.ortOutputs()[r];
            if (expected.length != out.length)
            {
                fail(fixture.name() + ": ORT gives " + expected.length + " outputs, the ensemble " + out.length);
            }
            predictor.predict(fixture.rows()[r], out);
            for (int k = 0; k < out.length; k++)
            {
                final float actual = (float)out[k];
                final float want = expected[k];
                values++;
                if (Float.floatToIntBits(actual) == Float.floatToIntBits(want))
                {
                    exact++;
                    continue;
                }
                final int ulps = ulps(actual, want);
                final double abs = Math.abs((double)actual - want);
                maxUlps = Math.max(maxUlps, ulps);
                maxAbs = Math.max(maxAbs, abs);
                final boolean ok;
                switch (transform)
                {
                    case IDENTITY:
                        ok = actual == 0f && want == 0f;
                        break;
                    case ONNX_LOGISTIC:
                        ok = ulps <= MAX_ULPS || (want < 0.5f && abs <= LOGISTIC_NEGATIVE_ABS);
                        break;
                    case ONNX_SOFTMAX:
                        ok = ulps <= MAX_ULPS;
                        break;
                    default:
                        ok = false;
                }
                if (!ok)
                {
                    final double[] margins = new double[ensemble.outputCount()];
                    ensemble.predictRaw(fixture.rows()[r], margins);
                    fail(fixture.name() + ": row " + r + " " + Arrays.toString(fixture.rows()[r]) + " output " + k +
                        ": ORT " + want + " (0x" + Integer.toHexString(Float.floatToIntBits(want)) + "), predicted " +
                        actual + " (0x" + Integer.toHexString(Float.floatToIntBits(actual)) + "), " + ulps +
                        " ulps; transform " + transform + ", margins " + Arrays.toString(margins) + ", ORT row " +
                        Arrays.toString(expected));
                }
            }
        }
        return new Report(values, exact, maxUlps, maxAbs);
    }

    /**
     * @param a a float.
     * @param b another.
     * @return distance in units in the last place (ordered-integer difference), saturated.
     */
    static int ulps(final float a, final float b)
    {
        if (Float.isNaN(a) || Float.isNaN(b))
        {
            return Integer.MAX_VALUE;
        }
        final long d = (long)ordered(a) - ordered(b);
        return (int)Math.min(Integer.MAX_VALUE, Math.abs(d));
    }

    private static int ordered(final float f)
    {
        final int bits = Float.floatToIntBits(f);
        return bits < 0 ? Integer.MIN_VALUE - bits : bits;
    }
}
