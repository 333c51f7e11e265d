package io.decide.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.decide.engine.gbdt.BaselineGbdtEvaluator;
import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.onnx.OnnxTreeImporter;
import io.decide.tools.gbdt.xgboost.XGBoostJsonImporter;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.decide.bench.BenchArtifacts.check;

/**
 * One row at a time through the same XGBoost model (trained here with xgboost4j: 100 features, {@code trees}
 * trees of {@code max_depth} {@code depth}; see {@link GbdtModels}), each call on the next of 1,024 prepared rows
 * (5% NaN):
 * <ul>
 *   <li>{@code oursDouble}, {@code oursFloat}: {@link GbdtEvaluator#predictRaw} over the model imported with
 *   {@link XGBoostJsonImporter}, from a double[] or float[] row;</li>
 *   <li>{@code xgboostPredictDMatrix}: xgboost4j {@code Booster.predict(dmatrix, outputMargin=true)} on a 1-row
 *   DMatrix created (and disposed) per call, the way a Java host hands XGBoost one row;</li>
 *   <li>{@code xgboostInplacePredict}: xgboost4j 3.0.4's {@code Booster.inplace_predict(float[], 1, 100, NaN,
 *   {0, 0}, kMargin, null)}, no DMatrix;</li>
 *   <li>{@code onnxRuntimePinned}: the same ensemble exported by {@link OnnxExport} as a TreeEnsembleRegressor,
 *   in an ONNX Runtime session with one intra-op and one inter-op thread (default graph optimization): the input
 *   OnnxTensor wraps a direct FloatBuffer that is rewritten per call, and the output is pinned
 *   ({@code OrtSession.run(inputs, pinnedOutputs)}) into a 1-float direct buffer.</li>
 * </ul>
 * Both xgboost4j paths run with {@code nthread=1}. Before timing, setup checks on all 1,024 rows, through the very
 * calls that are timed: ours equals both XGBoost paths bit for bit (as floats); ONNX Runtime equals the exported
 * model re-imported with {@link OnnxTreeImporter} bit for bit, and ours within the float rounding of summing the
 * base score last instead of first ({@code trees} ulps of the largest partial sum); how many rows differ from ours
 * and by how many ulps is printed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GbdtPeersBenchmark
{
    private static final int FEATURES = GbdtModels.FEATURES;
    private static final int ROWS = GbdtModels.ROWS;

    @Param({"50", "500", "1000"})
    int trees;

    @Param({"6", "8"})
    int depth;

    private double[][] doubleRows;
    private float[][] floatRows;
    private int next;

    private GbdtEvaluator evaluator;
    private GbdtContext context;
    private BaselineGbdtEvaluator baseline;
    private GbdtContext baselineContext;
    private final double[] out = new double[1];

    private Booster booster;
    private final int[] iterationRange = {0, 0};

    private OrtEnvironment ortEnvironment;
    private OrtSession session;
    private FloatBuffer ortInput;
    private OnnxTensor ortInputTensor;
    private FloatBuffer ortOutput;
    private OnnxTensor ortOutputTensor;
    private Map<String, OnnxTensor> ortInputs;
    private Map<String, OnnxTensor> ortPinned;

    /**
     * Train (or read the cached) model, import it, load it in xgboost4j and ONNX Runtime, and check that all of
     * them agree on every benchmark row.
     *
     * @throws IOException  when the model cache cannot be read or written.
     * @throws XGBoostError from xgboost4j.
     * @throws OrtException from ONNX Runtime.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException, XGBoostError, OrtException
    {
        final byte[] json = GbdtModels.xgboostJson(trees, depth);
        final TreeEnsemble ensemble = XGBoostJsonImporter.read(new ByteArrayInputStream(json), "xgb.json");
        check(ensemble.trees().length == trees && ensemble.featureCount() == FEATURES,
            "imported " + ensemble.trees().length + " trees over " + ensemble.featureCount() + " features");
        check(ensemble.maxDepth() <= depth && ensemble.maxDepth() >= depth - 1,
            "deepest tree has depth " + ensemble.maxDepth() + ", max_depth is " + depth);
        evaluator = new GbdtEvaluator(ensemble);
        context = evaluator.newContext();
        baseline = new BaselineGbdtEvaluator(ensemble);
        baselineContext = baseline.newContext();
        final float[] flat = GbdtModels.benchmarkRows();
        doubleRows = GbdtModels.doubleRows(flat);
        floatRows = GbdtModels.floatRows(flat);

        booster = XGBoost.loadModel(json);
        booster.setParam("nthread", "1");

        ortEnvironment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "decide-bench");
        final byte[] onnx = OnnxExport.regressor(ensemble);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions())
        {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = ortEnvironment.createSession(onnx, options);
        }
        ortInput = ByteBuffer.allocateDirect(FEATURES * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        ortInputTensor = OnnxTensor.createTensor(ortEnvironment, ortInput, new long[]{1, FEATURES});
        ortOutput = ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        ortOutputTensor = OnnxTensor.createTensor(ortEnvironment, ortOutput, new long[]{1, 1});
        ortInputs = Map.of(OnnxExport.INPUT, ortInputTensor);
        ortPinned = Map.of(OnnxExport.OUTPUT, ortOutputTensor);
        check(!ortInputTensor.ownsBuffer() && !ortOutputTensor.ownsBuffer(),
            "ONNX Runtime copied a direct buffer instead of wrapping it");

        final TreeEnsemble exported = OnnxTreeImporter.read(new ByteArrayInputStream(onnx), "exported.onnx");
        verify(ensemble, exported);
    }

    private void verify(final TreeEnsemble ensemble, final TreeEnsemble exported) throws XGBoostError, OrtException
    {
        final float bound = sumErrorBound(ensemble);
        final double[] reference = new double[1];
        int ortDiffering = 0;
        int worstUlps = 0;
        float worstDifference = 0;
        for (int r = 0; r < ROWS; r++)
        {
            next = r;
            final float ours = (float)oursDouble();
            next = r;
            check(Float.floatToIntBits((float)oursFloat()) == Float.floatToIntBits(ours),
                "row " + r + ": float[] and double[] rows give different margins");
            next = r;
            final float xgbMatrix = xgboostPredictDMatrix();
            next = r;
            final float xgbInplace = xgboostInplacePredict();
            next = r;
            final float ort = onnxRuntimePinned();
            check(Float.floatToIntBits(xgbMatrix) == Float.floatToIntBits(ours),
                "row " + r + ": ours " + ours + ", XGBoost predict " + xgbMatrix);
            check(Float.floatToIntBits(xgbInplace) == Float.floatToIntBits(ours),
                "row " + r + ": ours " + ours + ", XGBoost inplace_predict " + xgbInplace);
            exported.predictRaw(doubleRows[r], reference);
            check(Float.floatToIntBits(ort) == Float.floatToIntBits((float)reference[0]),
                "row " + r + ": ONNX Runtime " + ort + ", exported model re-imported " + reference[0]);
            check(Math.abs(ort - ours) <= bound,
                "row " + r + ": ours " + ours + ", ONNX Runtime " + ort + ", more than " + bound + " apart");
            if (Float.floatToIntBits(ort) != Float.floatToIntBits(ours))
            {
                ortDiffering++;
                worstUlps = Math.max(worstUlps, Math.abs(Float.floatToIntBits(ort) - Float.floatToIntBits(ours)));
                worstDifference = Math.max(worstDifference, Math.abs(ort - ours));
            }
        }
        next = 0;
        System.out.printf("GbdtPeersBenchmark trees=%d depth=%d: %d rows, ours == XGBoost predict == " +
            "inplace_predict (bits); ONNX Runtime == exported model (bits); ONNX Runtime != ours on %d rows " +
            "(worst %d ulps, worst |difference| %s; bound %s)%n", trees, depth, ROWS, ortDiffering, worstUlps,
            worstDifference, bound);
    }

    /**
     * How far two float sums of the same terms, one with the base score added first and one with it added last,
     * can be apart: each of the {@code trees + 1} roundings is at most half an ulp of a partial sum, which is at
     * most {@code |base| + sum of max |leaf|}.
     */
    private static float sumErrorBound(final TreeEnsemble ensemble)
    {
        double magnitude = Math.abs(ensemble.baseScores()[0]);
        for (final Tree tree : ensemble.trees())
        {
            double largest = 0;
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (tree.isLeaf(i))
                {
                    largest = Math.max(largest, Math.abs(tree.leafValue(i)));
                }
            }
            magnitude += largest;
        }
        return (ensemble.trees().length + 1) * Math.ulp((float)magnitude);
    }

    /**
     * Free the native objects.
     *
     * @throws XGBoostError from xgboost4j.
     * @throws OrtException from ONNX Runtime.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws XGBoostError, OrtException
    {
        if (booster != null)
        {
            booster.dispose();
        }
        if (session != null)
        {
            session.close();
        }
        if (ortInputTensor != null)
        {
            ortInputTensor.close();
        }
        if (ortOutputTensor != null)
        {
            ortOutputTensor.close();
        }
    }

    /** @return ours, raw margin of a double[] row. */
    @Benchmark
    public double oursDouble()
    {
        evaluator.predictRaw(doubleRows[next++ & (ROWS - 1)], out, context);
        return out[0];
    }

    /** @return ours, raw margin of a float[] row. */
    @Benchmark
    public double oursFloat()
    {
        evaluator.predictRaw(floatRows[next++ & (ROWS - 1)], out, context);
        return out[0];
    }

    /** @return the evaluator before the gbdt-speed changes ({@link BaselineGbdtEvaluator}), double[] row. */
    @Benchmark
    public double baselineDouble()
    {
        baseline.predictRaw(doubleRows[next++ & (ROWS - 1)], out, baselineContext);
        return out[0];
    }

    /** @return the evaluator before the gbdt-speed changes ({@link BaselineGbdtEvaluator}), float[] row. */
    @Benchmark
    public double baselineFloat()
    {
        baseline.predictRaw(floatRows[next++ & (ROWS - 1)], out, baselineContext);
        return out[0];
    }

    /**
     * @return xgboost4j's margin through a 1-row DMatrix made for this call.
     * @throws XGBoostError from xgboost4j.
     */
    @Benchmark
    public float xgboostPredictDMatrix() throws XGBoostError
    {
        final DMatrix matrix = new DMatrix(floatRows[next++ & (ROWS - 1)], 1, FEATURES, Float.NaN);
        try
        {
            return booster.predict(matrix, true)[0][0];
        }
        finally
        {
            matrix.dispose();
        }
    }

    /**
     * @return xgboost4j's margin through {@code inplace_predict} on the float[] row.
     * @throws XGBoostError from xgboost4j.
     */
    @Benchmark
    public float xgboostInplacePredict() throws XGBoostError
    {
        return booster.inplace_predict(floatRows[next++ & (ROWS - 1)], 1, FEATURES, Float.NaN, iterationRange,
            Booster.PredictionType.kMargin, null)[0][0];
    }

    /**
     * @return ONNX Runtime's output, input written into the reused direct buffer, output pinned.
     * @throws OrtException from ONNX Runtime.
     */
    @Benchmark
    public float onnxRuntimePinned() throws OrtException
    {
        ortInput.put(0, floatRows[next++ & (ROWS - 1)]);
        try (OrtSession.Result result = session.run(ortInputs, ortPinned))
        {
            return ortOutput.get(0);
        }
    }
}
