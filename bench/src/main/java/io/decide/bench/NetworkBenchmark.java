package io.decide.bench;

import io.decide.engine.network.DenseNetworkContext;
import io.decide.engine.network.DenseNetworkEvaluator;
import io.decide.engine.network.OnnxRuntimeNetwork;
import io.decide.tools.network.ImportedNetwork;
import io.decide.tools.network.OnnxMlpImporter;
import io.decide.tools.network.OnnxModelBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A multi-task sensitivity network, one row per call: 64 inputs, shared ReLU layers of 256 and 128 units, four
 * sigmoid heads (one graph output each), as the native {@link DenseNetworkEvaluator} (imported DENSE_NETWORK)
 * and as ONNX Runtime on the same ONNX bytes ({@link OnnxRuntimeNetwork}: one intra-op thread, reused direct input
 * tensor, pinned outputs). Both cycle through the same 1,024 rows; setup checks they agree within 1e-5 on all of
 * them before anything is timed. Sample-time mode, so JMH also reports percentiles of single calls: on a loaded
 * machine the median is the figure that preemption disturbs least.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NetworkBenchmark
{
    static final int ROWS = 1024;
    static final int INPUTS = 64;
    static final int[] TRUNK = {256, 128};
    static final int HEADS = 4;

    private DenseNetworkEvaluator evaluator;
    private DenseNetworkContext context;
    private OnnxRuntimeNetwork ort;
    private float[][] rows;
    private final double[] out = new double[HEADS];
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final byte[] onnx = model(new SplittableRandom(64));
        final ImportedNetwork network = OnnxMlpImporter.read(onnx, "mtml-64-256-128x4.onnx");
        evaluator = DenseNetworkEvaluator.read(new UnsafeBuffer(network.section()), 0);
        context = evaluator.newContext();
        ort = OnnxRuntimeNetwork.open(onnx, "mtml-64-256-128x4.onnx");
        final SplittableRandom random = new SplittableRandom(7);
        rows = new float[ROWS][INPUTS];
        final double[] expected = new double[HEADS];
        for (final float[] row : rows)
        {
            for (int i = 0; i < INPUTS; i++)
            {
                row[i] = (float)random.nextGaussian();
            }
            ort.evaluate(row, expected);
            evaluator.evaluate(row, out, context);
            for (int h = 0; h < HEADS; h++)
            {
                BenchArtifacts.check(Math.abs(expected[h] - out[h]) <= 1e-5,
                    "native and ONNX Runtime disagree: " + out[h] + " vs " + expected[h]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        ort.close();
    }

    static byte[] model(final SplittableRandom random)
    {
        final OnnxModelBuilder b = new OnnxModelBuilder("x", INPUTS);
        String value = "x";
        int width = INPUTS;
        for (int t = 0; t < TRUNK.length; t++)
        {
            value = gemm(b, random, "t" + t, value, width, TRUNK[t]);
            b.node("Relu", new String[]{value}, new String[]{"t" + t + "_relu"});
            value = "t" + t + "_relu";
            width = TRUNK[t];
        }
        for (int h = 0; h < HEADS; h++)
        {
            final String logit = gemm(b, random, "h" + h, value, width, 1);
            b.node("Sigmoid", new String[]{logit}, new String[]{"p" + h});
            b.output("p" + h, 1);
        }
        return b.toBytes();
    }

    private static String gemm(
        final OnnxModelBuilder b, final SplittableRandom random, final String name, final String in, final int k,
        final int w)
    {
        final float[] weights = new float[w * k];
        final double scale = Math.sqrt(6.0 / (k + w));
        for (int p = 0; p < weights.length; p++)
        {
            weights[p] = (float)((2 * random.nextDouble() - 1) * scale);
        }
        final float[] bias = new float[w];
        for (int j = 0; j < w; j++)
        {
            bias[j] = (float)(random.nextDouble() - 0.5) * 0.2f;
        }
        b.initializer(name + "_W", weights, w, k).initializer(name + "_b", bias, w);
        b.node("Gemm", new String[]{in, name + "_W", name + "_b"}, new String[]{name + "_lin"},
            OnnxModelBuilder.intAttribute("transB", 1));
        return name + "_lin";
    }

    /** @return first head of the next row, native evaluator. */
    @Benchmark
    public double nativeEvaluator()
    {
        final float[] row = rows[next++ & (ROWS - 1)];
        evaluator.evaluate(row, out, context);
        return out[0];
    }

    /** @return first head of the next row, ONNX Runtime with pinned outputs. */
    @Benchmark
    public double onnxRuntime()
    {
        final float[] row = rows[next++ & (ROWS - 1)];
        ort.evaluate(row, out);
        return out[0];
    }
}
