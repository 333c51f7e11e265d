package io.decide.bench;

import com.microsoft.ml.lightgbm.PredictionType;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import io.decide.engine.gbdt.BaselineGbdtEvaluator;
import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.lightgbm.LightGbmTextImporter;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.StringReader;
import java.util.concurrent.TimeUnit;

import static io.decide.bench.GbdtModels.lightGbmCheck;

/**
 * One row at a time through the same LightGBM model (trained here with lightgbm4j: 100 features, {@value #TREES}
 * trees of at most 31 leaves; see {@link GbdtModels}), each call on the next of 1,024 prepared double[] rows
 * (5% NaN):
 * <ul>
 *   <li>{@code oursDouble}: {@link GbdtEvaluator#predictRaw} over the model text imported with
 *   {@link LightGbmTextImporter};</li>
 *   <li>{@code lightGbmSingleRowFast}: LightGBM's {@code LGBM_BoosterPredictForMatSingleRowFast}, raw score, with
 *   its FastConfig made once in setup ({@code LGBM_BoosterPredictForMatSingleRowFastInit}, float64 rows,
 *   {@code num_threads=1}), called through lightgbm4j's SWIG binding
 *   {@code LGBM_BoosterPredictForMatSingleRowFastCriticalSWIG}, which hands LightGBM the Java double[] itself
 *   (JNI critical section, no copy; lightgbm4j's {@code LGBMBooster} has no fast single-row method);</li>
 *   <li>{@code lightGbmSingleRowFastNativeRows}: the same call on rows already copied into native arrays in setup
 *   ({@code LGBM_BoosterPredictForMatSingleRowFast}), LightGBM's cost with no input handling at all.</li>
 * </ul>
 * Before timing, setup checks ours equals both LightGBM paths bit for bit (raw scores, as doubles) on all 1,024
 * rows, through the calls that are timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GbdtLightGbmBenchmark
{
    static final int TREES = 1000;
    private static final int FEATURES = GbdtModels.FEATURES;
    private static final int ROWS = GbdtModels.ROWS;

    private double[][] rows;
    private int next;

    private GbdtEvaluator evaluator;
    private GbdtContext context;
    private BaselineGbdtEvaluator baseline;
    private GbdtContext baselineContext;
    private final double[] out = new double[1];

    private SWIGTYPE_p_p_void boosterOut;
    private SWIGTYPE_p_void booster;
    private SWIGTYPE_p_p_void fastConfigOut;
    private SWIGTYPE_p_void fastConfig;
    private SWIGTYPE_p_long_long outLength;
    private SWIGTYPE_p_double outResult;
    private SWIGTYPE_p_double[] nativeRows;
    private SWIGTYPE_p_void[] nativeRowPointers;

    /**
     * Train (or read the cached) model, import it, load it in LightGBM, and check that ours and LightGBM agree on
     * every benchmark row.
     *
     * @throws IOException   when the model cache cannot be read or written, or LightGBM's library not loaded.
     * @throws LGBMException from lightgbm4j.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException, LGBMException
    {
        final String text = GbdtModels.lightGbmText(TREES);
        final TreeEnsemble ensemble = LightGbmTextImporter.read(new StringReader(text), "lgbm.txt");
        BenchArtifacts.check(ensemble.trees().length == TREES && ensemble.featureCount() == FEATURES,
            "imported " + ensemble.trees().length + " trees over " + ensemble.featureCount() + " features");
        evaluator = new GbdtEvaluator(ensemble);
        context = evaluator.newContext();
        baseline = new BaselineGbdtEvaluator(ensemble);
        baselineContext = baseline.newContext();
        rows = GbdtModels.doubleRows(GbdtModels.benchmarkRows());

        LGBMBooster.loadNative();
        final SWIGTYPE_p_int iterations = lightgbmlib.new_intp();
        boosterOut = lightgbmlib.new_voidpp();
        try
        {
            lightGbmCheck(lightgbmlib.LGBM_BoosterLoadModelFromString(text, iterations, boosterOut), "load model");
        }
        finally
        {
            lightgbmlib.delete_intp(iterations);
        }
        booster = lightgbmlib.voidpp_value(boosterOut);
        fastConfigOut = lightgbmlib.new_voidpp();
        lightGbmCheck(lightgbmlib.LGBM_BoosterPredictForMatSingleRowFastInit(booster,
            PredictionType.C_API_PREDICT_RAW_SCORE.getType(), 0, -1, lightgbmlib.C_API_DTYPE_FLOAT64, FEATURES,
            "num_threads=1", fastConfigOut), "fast single-row init");
        fastConfig = lightgbmlib.voidpp_value(fastConfigOut);
        outLength = lightgbmlib.new_int64_tp();
        outResult = lightgbmlib.new_doubleArray(1);
        nativeRows = new SWIGTYPE_p_double[ROWS];
        nativeRowPointers = new SWIGTYPE_p_void[ROWS];
        for (int r = 0; r < ROWS; r++)
        {
            nativeRows[r] = lightgbmlib.new_doubleArray(FEATURES);
            for (int f = 0; f < FEATURES; f++)
            {
                lightgbmlib.doubleArray_setitem(nativeRows[r], f, rows[r][f]);
            }
            nativeRowPointers[r] = lightgbmlib.double_to_voidp_ptr(nativeRows[r]);
        }

        int nanRows = 0;
        for (int r = 0; r < ROWS; r++)
        {
            next = r;
            final double ours = oursDouble();
            next = r;
            final double old = baselineDouble();
            BenchArtifacts.check(Double.doubleToLongBits(old) == Double.doubleToLongBits(ours),
                "row " + r + ": ours " + ours + ", baseline evaluator " + old);
            next = r;
            final double fast = lightGbmSingleRowFast();
            BenchArtifacts.check(lightgbmlib.int64_tp_value(outLength) == 1,
                "LightGBM wrote " + lightgbmlib.int64_tp_value(outLength) + " values for one row");
            next = r;
            final double fastNative = lightGbmSingleRowFastNativeRows();
            BenchArtifacts.check(Double.doubleToLongBits(fast) == Double.doubleToLongBits(ours),
                "row " + r + ": ours " + ours + ", LightGBM SingleRowFast " + fast);
            BenchArtifacts.check(Double.doubleToLongBits(fastNative) == Double.doubleToLongBits(ours),
                "row " + r + ": ours " + ours + ", LightGBM SingleRowFast (native rows) " + fastNative);
            for (final double v : rows[r])
            {
                if (Double.isNaN(v))
                {
                    nanRows++;
                    break;
                }
            }
        }
        next = 0;
        System.out.printf("GbdtLightGbmBenchmark: %d trees, depth %d; %d rows (%d with NaN): ours == LightGBM " +
            "SingleRowFast raw score (bits, both paths)%n", TREES, ensemble.maxDepth(), ROWS, nanRows);
    }

    /** Free LightGBM's objects and the native rows. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (nativeRows != null)
        {
            for (final SWIGTYPE_p_double row : nativeRows)
            {
                if (row != null)
                {
                    lightgbmlib.delete_doubleArray(row);
                }
            }
        }
        if (fastConfig != null)
        {
            lightGbmCheck(lightgbmlib.LGBM_FastConfigFree(fastConfig), "free fast config");
            lightgbmlib.delete_voidpp(fastConfigOut);
        }
        if (booster != null)
        {
            lightGbmCheck(lightgbmlib.LGBM_BoosterFree(booster), "free booster");
            lightgbmlib.delete_voidpp(boosterOut);
        }
        if (outResult != null)
        {
            lightgbmlib.delete_doubleArray(outResult);
            lightgbmlib.delete_int64_tp(outLength);
        }
    }

    /** @return ours, raw margin of a double[] row. */
    @Benchmark
    public double oursDouble()
    {
        evaluator.predictRaw(rows[next++ & (ROWS - 1)], out, context);
        return out[0];
    }

    /** @return the evaluator before the gbdt-speed changes ({@link BaselineGbdtEvaluator}), double[] row. */
    @Benchmark
    public double baselineDouble()
    {
        baseline.predictRaw(rows[next++ & (ROWS - 1)], out, baselineContext);
        return out[0];
    }

    /** @return LightGBM's raw score, the Java double[] row handed over in a JNI critical section. */
    @Benchmark
    public double lightGbmSingleRowFast()
    {
        final int status = lightgbmlib.LGBM_BoosterPredictForMatSingleRowFastCriticalSWIG(
            rows[next++ & (ROWS - 1)], fastConfig, outLength, outResult);
        if (status != 0)
        {
            throw new IllegalStateException("LightGBM predict failed: " + lightgbmlib.LGBM_GetLastError());
        }
        return lightgbmlib.doubleArray_getitem(outResult, 0);
    }

    /** @return LightGBM's raw score of a row already in native memory. */
    @Benchmark
    public double lightGbmSingleRowFastNativeRows()
    {
        final int status = lightgbmlib.LGBM_BoosterPredictForMatSingleRowFast(
            fastConfig, nativeRowPointers[next++ & (ROWS - 1)], outLength, outResult);
        if (status != 0)
        {
            throw new IllegalStateException("LightGBM predict failed: " + lightgbmlib.LGBM_GetLastError());
        }
        return lightgbmlib.doubleArray_getitem(outResult, 0);
    }
}
