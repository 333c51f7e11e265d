package io.decide.tools.gbdt;

import io.decide.format.gbdt.TreeEnsemble;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential checks of a GBDT evaluator against what the real library predicted for the same rows. Any evaluator
 * plugs in as a {@link RowPredictor}: the reference {@link TreeEnsemble} here, the engine's fast evaluator later,
 * over the same {@link Fixture}s.
 */
public final class FidelityCheck
{
    /** Mismatching rows listed in a failure message. */
    private static final int SHOWN = 5;

    private FidelityCheck()
    {
    }

    /** One row in, all outputs of that row out (margins or transformed values). */
    @FunctionalInterface
    public interface RowPredictor
    {
        /**
         * @param row features, NaN for missing.
         * @param out outputs, written by the predictor.
         */
        void predict(double[] row, double[] out);
    }

    /**
     * A model imported from a library's file, the rows it is checked on, and what the library predicted for them.
     *
     * @param name             what the fixture is, for messages.
     * @param model            the imported ensemble.
     * @param rows             features per row, NaN for missing.
     * @param libraryMargins   the library's raw margins per row ({@code outputCount} values).
     * @param libraryOutputs   the library's transformed outputs per row ({@code transformedCount} values).
     * @param outputUlps       how many float ulps transformed outputs may differ (margins must be bit-identical):
     *                         the library computes sigmoid/exp/softmax in float with the C library, the reference in
     *                         double rounded once.
     */
    public record Fixture(
        String name,
        TreeEnsemble model,
        double[][] rows,
        float[][] libraryMargins,
        float[][] libraryOutputs,
        int outputUlps)
    {
        @Override
        public String toString()
        {
            return name + " (" + rows.length + " rows, " + model.trees().length + " trees)";
        }
    }

    /**
     * Check both the margins (bit-identical) and the transformed outputs (within the fixture's ulps) of the
     * fixture's own reference model.
     *
     * @param fixture model, rows and library outputs.
     */
    public static void assertFidelity(final Fixture fixture)
    {
        assertFidelity(fixture, fixture.model()::predictRaw, fixture.model()::predict);
    }

    /**
     * Check another evaluator of the fixture's model against the library.
     *
     * @param fixture     model, rows and library outputs.
     * @param margins     the evaluator's raw margins.
     * @param transformed the evaluator's transformed outputs.
     */
    public static void assertFidelity(final Fixture fixture, final RowPredictor margins,
        final RowPredictor transformed)
    {
        assertRawBitIdentical(fixture.name(), fixture.libraryMargins(), fixture.rows(), margins);
        assertWithinUlps(fixture.name(), fixture.libraryOutputs(), fixture.rows(), transformed, fixture.outputUlps());
    }

    /**
     * Every output of every row, rounded to float, has exactly the library's bits.
     *
     * @param what            what is checked, for the message.
     * @param libraryMargins  the library's margins per row.
     * @param rows            features per row.
     * @param predictor       the evaluator under test.
     */
    public static void assertRawBitIdentical(final String what, final float[][] libraryMargins, final double[][] rows,
        final RowPredictor predictor)
    {
        compare(what + " raw margins", libraryMargins, rows, predictor, 0);
    }

    /**
     * Every output of every row, rounded to float, is within {@code maxUlps} float ulps of the library's.
     *
     * @param what           what is checked, for the message.
     * @param libraryOutputs the library's outputs per row.
     * @param rows           features per row.
     * @param predictor      the evaluator under test.
     * @param maxUlps        allowed distance in ulps.
     */
    public static void assertWithinUlps(final String what, final float[][] libraryOutputs, final double[][] rows,
        final RowPredictor predictor, final int maxUlps)
    {
        compare(what + " outputs (<= " + maxUlps + " ulps)", libraryOutputs, rows, predictor, maxUlps);
    }

    /**
     * Distance of two floats in units in the last place (0 for equal bits; -0.0 and 0.0 are 1 apart; NaN is far).
     *
     * @param a one value.
     * @param b the other.
     * @return ulps between them.
     */
    public static long ulps(final float a, final float b)
    {
        if (Float.isNaN(a) || Float.isNaN(b))
        {
            return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        }
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(final float f)
    {
        final int bits = Float.floatToRawIntBits(f);
        return bits >= 0 ? bits : -(long)(bits & 0x7fffffff) - 1;
    }

    private static void compare(final String what, final float[][] expected, final double[][] rows,
        final RowPredictor predictor, final int maxUlps)
    {
        if (expected.length != rows.length)
        {
            fail(what + ": " + expected.length + " library rows for " + rows.length + " rows");
        }
        final StringBuilder shown = new StringBuilder();
        long mismatches = 0;
        long worst = 0;
        for (int r = 0; r < rows.length; r++)
        {
            final float[] want = expected[r];
            final double[] got = new double[want.length];
            predictor.predict(rows[r].clone(), got);
            boolean bad = false;
            for (int g = 0; g < want.length; g++)
            {
                final float actual = (float)got[g];
                final long distance = ulps(want[g], actual);
                final boolean exactBits = Float.floatToRawIntBits(want[g]) == Float.floatToRawIntBits(actual);
                if (maxUlps == 0 ? !exactBits : distance > maxUlps)
                {
                    bad = true;
                    worst = Math.max(worst, distance);
                }
            }
            if (bad)
            {
                if (++mismatches <= SHOWN)
                {
                    shown.append("\n  row ").append(r).append(' ').append(hex(rows[r]))
                        .append("\n    library ").append(Arrays.toString(want))
                        .append("\n    got     ").append(Arrays.toString(toFloats(got)));
                }
            }
        }
        if (mismatches > 0)
        {
            fail(what + ": " + mismatches + " of " + rows.length + " rows differ (worst " + worst + " ulps)" +
                shown);
        }
    }

    private static float[] toFloats(final double[] values)
    {
        final float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++)
        {
            floats[i] = (float)values[i];
        }
        return floats;
    }

    /**
     * @param row features.
     * @return the row with each value as a float hex literal (exact), for messages.
     */
    public static String hex(final double[] row)
    {
        final StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < row.length; i++)
        {
            text.append(i == 0 ? "" : ", ").append(Double.toHexString(row[i]));
        }
        return text.append(']').toString();
    }
}
