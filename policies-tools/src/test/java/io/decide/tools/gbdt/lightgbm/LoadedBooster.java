package io.decide.tools.gbdt.lightgbm;

import com.microsoft.ml.lightgbm.PredictionType;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import io.github.metarank.lightgbm4j.LGBMBooster;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A LightGBM booster loaded from model text through lightgbm4j's SWIG layer, predicting dense double matrices
 * ({@code LGBM_BoosterPredictForMat}, row-major) into a buffer sized by {@code LGBM_BoosterCalcNumPredict}.
 * lightgbm4j's own {@code LGBMBooster.predictForMat} sizes its output for at most two values per row, which
 * overflows the native buffer for multiclass models, so every prediction in these tests goes through here.
 */
final class LoadedBooster implements AutoCloseable
{
    private final SWIGTYPE_p_p_void handleOut;
    private final SWIGTYPE_p_void handle;
    private boolean closed;

    private LoadedBooster(final SWIGTYPE_p_p_void handleOut)
    {
        this.handleOut = handleOut;
        this.handle = lightgbmlib.voidpp_value(handleOut);
    }

    /**
     * @param text model text.
     * @return the loaded booster; close it.
     */
    static LoadedBooster fromText(final String text)
    {
        try
        {
            LGBMBooster.loadNative();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("LightGBM native library did not load", e);
        }
        final SWIGTYPE_p_int iterations = lightgbmlib.new_intp();
        final SWIGTYPE_p_p_void out = lightgbmlib.new_voidpp();
        try
        {
            check(lightgbmlib.LGBM_BoosterLoadModelFromString(text, iterations, out), "load model");
            return new LoadedBooster(out);
        }
        catch (final RuntimeException e)
        {
            lightgbmlib.delete_voidpp(out);
            throw e;
        }
        finally
        {
            lightgbmlib.delete_intp(iterations);
        }
    }

    /**
     * @param rows       row-major features.
     * @param rowCount   rows.
     * @param columns    features per row.
     * @param type       what to predict.
     * @param parameters prediction parameters, e.g. "num_threads=1".
     * @return {@code rowCount x width} values, width being what LightGBM reports for the type.
     */
    double[] predict(final double[] rows, final int rowCount, final int columns, final PredictionType type,
        final String parameters)
    {
        final SWIGTYPE_p_long_long length = lightgbmlib.new_int64_tp();
        final SWIGTYPE_p_double input = lightgbmlib.new_doubleArray(rows.length);
        SWIGTYPE_p_double output = null;
        try
        {
            check(lightgbmlib.LGBM_BoosterCalcNumPredict(handle, rowCount, type.getType(), 0, -1, length),
                "size prediction");
            final long expected = lightgbmlib.int64_tp_value(length);
            for (int i = 0; i < rows.length; i++)
            {
                lightgbmlib.doubleArray_setitem(input, i, rows[i]);
            }
            output = lightgbmlib.new_doubleArray(expected);
            check(lightgbmlib.LGBM_BoosterPredictForMat(handle, lightgbmlib.double_to_voidp_ptr(input),
                lightgbmlib.C_API_DTYPE_FLOAT64, rowCount, columns, 1, type.getType(), 0, -1, parameters, length,
                output), "predict");
            final long written = lightgbmlib.int64_tp_value(length);
            if (written != expected)
            {
                throw new IllegalStateException("LightGBM wrote " + written + " predictions, expected " + expected);
            }
            final double[] result = new double[(int)written];
            for (int i = 0; i < result.length; i++)
            {
                result[i] = lightgbmlib.doubleArray_getitem(output, i);
            }
            return result;
        }
        finally
        {
            lightgbmlib.delete_int64_tp(length);
            lightgbmlib.delete_doubleArray(input);
            if (output != null)
            {
                lightgbmlib.delete_doubleArray(output);
            }
        }
    }

    /** @return number of boosting iterations in the model (trees / trees per iteration). */
    int iterations()
    {
        final SWIGTYPE_p_int out = lightgbmlib.new_intp();
        try
        {
            check(lightgbmlib.LGBM_BoosterGetCurrentIteration(handle, out), "count iterations");
            return lightgbmlib.intp_value(out);
        }
        finally
        {
            lightgbmlib.delete_intp(out);
        }
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            check(lightgbmlib.LGBM_BoosterFree(handle), "free booster");
            lightgbmlib.delete_voidpp(handleOut);
        }
    }

    private static void check(final int status, final String what)
    {
        if (status != 0)
        {
            throw new IllegalStateException("LightGBM " + what + " failed: " + lightgbmlib.LGBM_GetLastError());
        }
    }
}
