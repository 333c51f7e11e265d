package io.decide.engine.network;

import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.network.DenseNetworkWriter;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsWriter;
import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.decide.format.network.DenseNetworkDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The native evaluator against a reference written the other way round (one dot product per output unit, in the
 * descriptor's order): bit-identical on random multi-task networks; verification vectors replayed at load with the
 * default options; no allocation per call.
 */
class DenseNetworkEvaluatorTest
{
    @TempDir
    Path dir;

    /** A random MTML network: shared relu trunk, then heads with mixed activations, some reading slices. */
    static final class Net
    {
        final int inputSize;
        final List<int[]> layers = new ArrayList<>();
        final List<float[]> weights = new ArrayList<>();
        final List<float[]> biases = new ArrayList<>();
        final List<int[]> heads = new ArrayList<>();
        final DenseNetworkWriter writer;

        Net(final long seed, final int inputSize, final int trunkLayers, final int headCount)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            this.inputSize = inputSize;
            this.writer = new DenseNetworkWriter(inputSize);
            int from = SOURCE_INPUT;
            int width = inputSize;
            for (int t = 0; t < trunkLayers; t++)
            {
                final int w = 1 + random.nextInt(48);
                from = layer(random, from, width, w, t == 0 || random.nextBoolean() ? RELU : TANH);
                width = w;
            }
            for (int h = 0; h < headCount; h++)
            {
                final int w = 1 + random.nextInt(3);
                final int activation = random.nextInt(4);
                final int head = layer(random, from, width, w, activation);
                final int start = random.nextInt(w);
                final int count = 1 + random.nextInt(w - start);
                writer.addHead(head, start, count);
                heads.add(new int[]{head, start, count});
            }
        }

        int layerFor(final SplittableRandom random, final int from, final int k, final int w, final int act)
        {
            return layer(random, from, k, w, act);
        }

        private int layer(final SplittableRandom random, final int from, final int k, final int w, final int act)
        {
            final float[] wl = new float[k * w];
            final float[] bl = new float[w];
            final double scale = 2 / Math.sqrt(k);
            for (int p = 0; p < wl.length; p++)
            {
                wl[p] = (float)((random.nextDouble() - 0.5) * scale);
            }
            for (int j = 0; j < w; j++)
            {
                bl[j] = (float)(random.nextDouble() - 0.5);
            }
            final int index = writer.addLayer(from, w, act, wl, bl);
            layers.add(new int[]{from, k, w, act});
            weights.add(wl);
            biases.add(bl);
            return index;
        }

        /** Reference: one dot product per unit, float arithmetic, input order. */
        double[] reference(final double[] row)
        {
            final float[] in = new float[inputSize];
            for (int i = 0; i < inputSize; i++)
            {
                in[i] = (float)row[i];
            }
            final float[][] out = new float[layers.size()][];
            for (int l = 0; l < layers.size(); l++)
            {
                final int[] spec = layers.get(l);
                final float[] x = spec[0] < 0 ? in : out[spec[0]];
                final float[] y = new float[spec[2]];
                for (int j = 0; j < spec[2]; j++)
                {
                    float a = biases.get(l)[j];
                    for (int i = 0; i < spec[1]; i++)
                    {
                        a = a + x[i] * weights.get(l)[i * spec[2] + j];
                    }
                    y[j] = spec[3] == RELU ? Math.max(a, 0f) : spec[3] == SIGMOID ?
                        (float)(1 / (1 + Math.exp(-(double)a))) : spec[3] == TANH ? (float)Math.tanh(a) : a;
                }
                out[l] = y;
            }
            final List<Double> result = new ArrayList<>();
            for (final int[] head : heads)
            {
                for (int j = head[1]; j < head[1] + head[2]; j++)
                {
                    result.add((double)out[head[0]][j]);
                }
            }
            return result.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static double[] row(final SplittableRandom random, final int n)
    {
        final double[] row = new double[n];
        for (int i = 0; i < n; i++)
        {
            row[i] = random.nextDouble(-3, 3);
        }
        return row;
    }

    private LoadedArtifact load(final Net net, final int vectors, final boolean corrupt) throws IOException
    {
        final byte[] section = net.writer.toBytes();
        final SplittableRandom random = new SplittableRandom(7);
        final VerificationVectorsWriter vv = new VerificationVectorsWriter();
        final VerificationVectorsWriter.Group group = vv.group(SectionType.DENSE_NETWORK, 0,
            DenseNetworkEvaluator.MODE_OUTPUTS, net.inputSize, net.writer.outputCount(), Tolerance.EXACT, 0);
        for (int v = 0; v < vectors; v++)
        {
            final double[] row = row(random, net.inputSize);
            final double[] expected = net.reference(row);
            if (corrupt && v == vectors - 1)
            {
                expected[0] = Math.nextUp(expected[0]);
            }
            group.add(row, expected);
        }
        final Path file = dir.resolve("net-" + System.nanoTime() + ".dpol");
        Files.write(file, new ArtifactWriter("net", 1)
            .addSection(SectionType.DENSE_NETWORK, VERSION, section)
            .addSection(SectionType.VERIFICATION_VECTORS, 1, vv.toBytes()).toBytes());
        return new ArtifactLoader(LoadOptions.defaults()).open(file);
    }

    @Test
    void matchesTheReferenceBitForBitOnRandomNetworks()
    {
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 200), integers().between(1, 3),
            integers().between(1, 5)).checkAssert((seed, n, trunk, heads) ->
            {
                final Net net = new Net(seed, n, trunk, heads);
                final byte[] bytes = new ArtifactWriter("net", 1)
                    .addSection(SectionType.DENSE_NETWORK, VERSION, net.writer.toBytes()).toBytes();
                final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(bytes);
                final io.decide.format.ArtifactLayout layout =
                    new io.decide.format.ArtifactValidator().validate("net", buffer, bytes.length);
                final DenseNetworkEvaluator evaluator = DenseNetworkEvaluator.read(buffer, layout.sectionOffset(0));
                final DenseNetworkContext context = evaluator.newContext();
                final SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
                final double[] out = new double[evaluator.outputCount()];
                for (int r = 0; r < 20; r++)
                {
                    final double[] row = row(random, n);
                    evaluator.evaluate(row, out, context);
                    final double[] expected = net.reference(row);
                    for (int o = 0; o < expected.length; o++)
                    {
                        assertEquals(Double.doubleToRawLongBits(expected[o]), Double.doubleToRawLongBits(out[o]),
                            "output " + o + ": expected " + expected[o] + ", got " + out[o]);
                    }
                    final float[] floats = new float[n];
                    for (int i = 0; i < n; i++)
                    {
                        floats[i] = (float)row[i];
                    }
                    final double[] fromFloats = new double[out.length];
                    evaluator.evaluate(floats, fromFloats, context);
                    assertEquals(java.util.Arrays.toString(out), java.util.Arrays.toString(fromFloats));
                }
            });
    }

    @Test
    void compiledAndVectorisedCodeStillMatchesTheReferenceBitForBit()
    {
        final Net net = new Net(11, 64, 0, 0);
        final DenseNetworkWriter w = net.writer;
        final SplittableRandom random = new SplittableRandom(12);
        final int trunk1 = net.layerFor(random, SOURCE_INPUT, 64, 256, RELU);
        final int trunk2 = net.layerFor(random, trunk1, 256, 131, RELU);
        for (int h = 0; h < 4; h++)
        {
            final int head = net.layerFor(random, trunk2, 131, 1, h % 2 == 0 ? SIGMOID : IDENTITY);
            w.addHead(head, 0, 1);
            net.heads.add(new int[]{head, 0, 1});
        }
        final byte[] bytes = new ArtifactWriter("net", 1)
            .addSection(SectionType.DENSE_NETWORK, VERSION, w.toBytes()).toBytes();
        final DenseNetworkEvaluator evaluator = DenseNetworkEvaluator.read(
            new org.agrona.concurrent.UnsafeBuffer(bytes),
            new io.decide.format.ArtifactValidator().validate("net", new org.agrona.concurrent.UnsafeBuffer(bytes),
                bytes.length).sectionOffset(0));
        final DenseNetworkContext context = evaluator.newContext();
        final double[][] rows = new double[256][];
        for (int r = 0; r < rows.length; r++)
        {
            rows[r] = row(random, 64);
        }
        final double[] out = new double[4];
        for (int warm = 0; warm < 30_000; warm++)
        {
            evaluator.evaluate(rows[warm & 255], out, context);
        }
        for (final double[] row : rows)
        {
            evaluator.evaluate(row, out, context);
            final double[] expected = net.reference(row);
            for (int o = 0; o < 4; o++)
            {
                assertEquals(Double.doubleToRawLongBits(expected[o]), Double.doubleToRawLongBits(out[o]),
                    "output " + o + ": expected " + expected[o] + ", got " + out[o]);
            }
        }
    }

    @Test
    void verificationVectorsReplayAtLoadAndAMismatchRefusesTheArtifact() throws IOException
    {
        final Net net = new Net(42, 30, 2, 4);
        final LoadedArtifact artifact = load(net, 50, false);
        assertEquals(1, artifact.verification().groupsReplayed());
        assertEquals(50, artifact.verification().vectorsChecked());
        assertEquals(net.writer.outputCount(), DenseNetworkEvaluator.of(artifact, 0).outputCount());
        assertEquals(30, DenseNetworkEvaluator.of(artifact, 0).inputSize());
        assertTrue(DenseNetworkEvaluator.of(artifact, 0) == DenseNetworkEvaluator.of(artifact, 0));
        assertThrows(IllegalArgumentException.class, () -> DenseNetworkEvaluator.of(artifact, 1));
        artifact.close();

        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class, () -> load(net, 50, true));
        assertTrue(ex.getMessage().contains("verification group 0 (DENSE_NETWORK #0, mode 0) vector 49 output 0"),
            ex.getMessage());
    }

    @Test
    void evaluatesWithoutAllocating() throws IOException
    {
        final Net net = new Net(3, 64, 2, 4);
        final LoadedArtifact artifact = load(net, 1, false);
        final DenseNetworkEvaluator evaluator = DenseNetworkEvaluator.of(artifact, 0);
        final DenseNetworkContext context = evaluator.newContext();
        final double[] row = row(new SplittableRandom(1), 64);
        final float[] floats = new float[64];
        final double[] out = new double[evaluator.outputCount()];
        AllocationAssert.assertZeroAllocation("DenseNetworkEvaluator.evaluate(double[])", 20_000, 10_000,
            () -> evaluator.evaluate(row, out, context));
        AllocationAssert.assertZeroAllocation("DenseNetworkEvaluator.evaluate(float[])", 20_000, 10_000,
            () -> evaluator.evaluate(floats, out, context));
        artifact.close();
    }
}
