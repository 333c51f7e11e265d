package io.decide.tools.network;

import io.decide.engine.network.DenseNetworkContext;
import io.decide.engine.network.DenseNetworkEvaluator;
import io.decide.engine.network.OnnxRuntimeNetwork;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random MTML ONNX models in every graph style, written to files, imported, loaded as artifacts (verification
 * vectors replayed) and evaluated natively against ONNX Runtime on the original file: every output agrees within
 * {@link #TOLERANCE} on 10,000 random rows per model. Both compute in float32; they differ only in summation order
 * and fused multiply-adds (ORT's MLAS kernels), and in exp/tanh approximations, so the gap is a few float ulps of
 * the pre-activation sums, far under 1e-5 for Glorot-scaled weights and unit-scale inputs.
 */
class OnnxMlpFidelityTest
{
    /** Largest absolute difference allowed between the native evaluator and ONNX Runtime. */
    static final double TOLERANCE = 1e-5;
    private static final int ROWS = 10_000;

    @TempDir
    Path dir;

    @Test
    void nativeEvaluatorMatchesOnnxRuntimeOnRandomMtmlModels() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(2026);
        int model = 0;
        for (final MtmlModels.Style style : MtmlModels.Style.values())
        {
            for (final int inputSize : new int[]{10, 64, 200})
            {
                final int layers = 2 + random.nextInt(2);
                final int[] trunk = new int[layers];
                for (int t = 0; t < layers; t++)
                {
                    trunk[t] = 8 + random.nextInt(120);
                }
                final int heads = 3 + random.nextInt(3);
                final MtmlModels mtml = new MtmlModels(random.nextLong(), inputSize, trunk, heads, style);
                check(style + " n=" + inputSize + " trunk=" + java.util.Arrays.toString(trunk) + " heads=" + heads,
                    mtml, random.nextLong(), model++);
            }
        }
    }

    private void check(final String label, final MtmlModels mtml, final long seed, final int index) throws IOException
    {
        final Path onnx = dir.resolve("mtml-" + index + ".onnx");
        Files.write(onnx, mtml.onnx);
        final ImportedNetwork network = OnnxMlpImporter.read(onnx);
        assertEquals(mtml.inputSize, network.inputSize(), label);
        assertEquals(mtml.outputCount, network.outputCount(), label);
        final Path dpol = dir.resolve("mtml-" + index + ".dpol");
        NetworkArtifact.writer("mtml", 1, network, 64).writeTo(dpol);
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(dpol);
        assertEquals(1, artifact.verification().groupsReplayed(), label);
        final DenseNetworkEvaluator evaluator = DenseNetworkEvaluator.of(artifact, 0);
        final DenseNetworkContext context = evaluator.newContext();
        final SplittableRandom random = new SplittableRandom(seed);
        double maxError = 0;
        try (OnnxRuntimeNetwork ort = OnnxRuntimeNetwork.open(onnx))
        {
            assertEquals(evaluator.outputCount(), ort.outputCount(), label);
            final float[] row = new float[mtml.inputSize];
            final double[] expected = new double[ort.outputCount()];
            final double[] actual = new double[evaluator.outputCount()];
            for (int r = 0; r < ROWS; r++)
            {
                final double scale = r % 10 == 0 ? 4 : 1;
                for (int i = 0; i < row.length; i++)
                {
                    row[i] = (float)(random.nextGaussian() * scale);
                }
                ort.evaluate(row, expected);
                evaluator.evaluate(row, actual, context);
                for (int o = 0; o < expected.length; o++)
                {
                    final double error = Math.abs(expected[o] - actual[o]);
                    maxError = Math.max(maxError, error);
                    if (!(error <= TOLERANCE))
                    {
                        throw new AssertionError(label + " row " + r + " output " + o + ": ONNX Runtime " +
                            expected[o] + ", native " + actual[o]);
                    }
                }
            }
        }
        finally
        {
            artifact.close();
        }
        System.out.printf("%-70s %d rows, max |native - ORT| = %.3g%n", label, ROWS, maxError);
        assertTrue(maxError <= TOLERANCE);
    }
}
