package io.decide.engine.gbdt;

import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtDescriptor;
import io.decide.format.gbdt.GbdtSectionReader;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsWriter;
import io.decide.testsupport.AllocationAssert;
import io.decide.testsupport.ArtifactFixtures;
import io.decide.testsupport.RandomEnsembles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The compiled evaluator against the reference semantics of {@link TreeEnsemble}, on random ensembles that use
 * every semantic feature and rows that probe every edge: raw margins must be bit-identical, through every input
 * form (double[], float[] where exact, DirectBuffer, batch).
 */
class GbdtEvaluatorTest
{
    @TempDir
    Path dir;

    private static RandomEnsembles.Shape randomShape(final Random random)
    {
        return new RandomEnsembles.Shape(1 + random.nextInt(12), 1 + random.nextInt(4), 1 + random.nextInt(40),
            random.nextInt(11), random.nextBoolean(), random.nextBoolean());
    }

    @Test
    void bitIdenticalToReferenceOnRandomEnsembles()
    {
        long rowsChecked = 0;
        for (int seed = 0; seed < 300; seed++)
        {
            final Random random = new Random(seed);
            final TreeEnsemble ensemble = RandomEnsembles.ensemble(random, randomShape(random));
            final GbdtEvaluator evaluator = new GbdtEvaluator(ensemble);
            final GbdtContext context = evaluator.newContext();
            final double[][] rows = RandomEnsembles.rows(random, ensemble, 500);
            final double[] expected = new double[ensemble.outputCount()];
            final double[] actual = new double[ensemble.outputCount()];
            final double[] expectedOut = new double[ensemble.transformedCount()];
            final double[] actualOut = new double[ensemble.transformedCount()];
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8 * ensemble.featureCount()]);
            for (int r = 0; r < rows.length; r++)
            {
                final double[] row = rows[r];
                ensemble.predictRaw(row, expected);
                evaluator.predictRaw(row, actual, context);
                assertBits(expected, actual, seed, r, "double[]");
                for (int f = 0; f < row.length; f++)
                {
                    buffer.putDouble(8 * f, row[f], ByteOrder.LITTLE_ENDIAN);
                }
                evaluator.predictRaw(buffer, 0, actual, context);
                assertBits(expected, actual, seed, r, "DirectBuffer");
                ensemble.predict(row, expectedOut);
                evaluator.predict(row, actualOut, context);
                assertBits(expectedOut, actualOut, seed, r, "transformed");
                rowsChecked++;
            }
            final double[] flat = new double[rows.length * ensemble.featureCount()];
            for (int r = 0; r < rows.length; r++)
            {
                System.arraycopy(rows[r], 0, flat, r * ensemble.featureCount(), ensemble.featureCount());
            }
            final double[] batch = new double[rows.length * ensemble.outputCount()];
            evaluator.predictRawBatch(flat, rows.length, batch, context);
            final double[] batchOut = new double[rows.length * ensemble.transformedCount()];
            evaluator.predictBatch(flat, rows.length, batchOut, context);
            for (int r = 0; r < rows.length; r++)
            {
                evaluator.predictRaw(rows[r], actual, context);
                for (int g = 0; g < actual.length; g++)
                {
                    assertEquals(Double.doubleToLongBits(actual[g]),
                        Double.doubleToLongBits(batch[r * actual.length + g]), "batch = single, seed " + seed);
                }
                evaluator.predict(rows[r], actualOut, context);
                for (int g = 0; g < actualOut.length; g++)
                {
                    assertEquals(Double.doubleToLongBits(actualOut[g]),
                        Double.doubleToLongBits(batchOut[r * actualOut.length + g]), "batch transformed, seed " + seed);
                }
            }
        }
        assertEquals(150_000, rowsChecked);
    }

    @Test
    void floatRowsMatchDoubleRowsOfTheSameValues()
    {
        final Random random = new Random(7);
        final TreeEnsemble ensemble = RandomEnsembles.ensemble(random, new RandomEnsembles.Shape(6, 2, 30, 6, true,
            true));
        final GbdtEvaluator evaluator = new GbdtEvaluator(ensemble);
        final GbdtContext context = evaluator.newContext();
        final double[] a = new double[2];
        final double[] b = new double[2];
        for (final double[] row : RandomEnsembles.rows(random, ensemble, 5000))
        {
            final float[] f = new float[row.length];
            final double[] widened = new double[row.length];
            for (int i = 0; i < row.length; i++)
            {
                f[i] = (float)row[i];
                widened[i] = f[i];
            }
            evaluator.predictRaw(f, a, context);
            evaluator.predictRaw(widened, b, context);
            assertArrayEquals(b, a);
        }
    }

    @Test
    void sectionRoundTripAndVerificationReplayAtLoad() throws IOException
    {
        final Random random = new Random(11);
        final TreeEnsemble ensemble = RandomEnsembles.ensemble(random, new RandomEnsembles.Shape(8, 3, 50, 7, true,
            true));
        final byte[] section = GbdtSectionWriter.toBytes(ensemble);
        final TreeEnsemble back = GbdtSectionReader.read(new UnsafeBuffer(section), 0, section.length);
        assertArrayEquals(GbdtSectionWriter.toBytes(back), section, "reader inverts writer");

        final double[][] rows = RandomEnsembles.rows(random, ensemble, 64);
        final VerificationVectorsWriter vectors = new VerificationVectorsWriter();
        final VerificationVectorsWriter.Group raw = vectors.group(SectionType.GBDT_ENSEMBLE, 0,
            GbdtEvaluator.MODE_RAW, 8, 3, Tolerance.EXACT, 0);
        final VerificationVectorsWriter.Group transformed = vectors.group(SectionType.GBDT_ENSEMBLE, 0,
            GbdtEvaluator.MODE_TRANSFORMED, 8, ensemble.transformedCount(), Tolerance.ULPS, 4);
        for (final double[] row : rows)
        {
            final double[] m = new double[3];
            ensemble.predictRaw(row, m);
            raw.add(row, m);
            final double[] p = new double[ensemble.transformedCount()];
            ensemble.predict(row, p);
            transformed.add(row, p);
        }
        final Path file = new ArtifactWriter("model", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, section)
            .addSection(SectionType.VERIFICATION_VECTORS, 1, vectors.toBytes())
            .writeTo(dir.resolve("model.dpol"));
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        try
        {
            assertEquals(2, artifact.verification().groupsReplayed());
            assertEquals(128, artifact.verification().vectorsChecked());
            final GbdtEvaluator evaluator = GbdtEvaluator.of(artifact, 0);
            assertSame(evaluator, GbdtEvaluator.of(artifact, 0), "compiled once per artifact");
        }
        finally
        {
            artifact.close();
        }

        // A model whose vectors disagree (one leaf changed after the vectors were computed) is refused at load.
        final byte[] tampered = section.clone();
        final UnsafeBuffer view = new UnsafeBuffer(tampered);
        final int nodes = (int)(GbdtDescriptor.treeTableOffset(3, 8) + 50L * GbdtDescriptor.TREE_ENTRY_LENGTH);
        boolean changed = false;
        for (int n = 0; !changed; n++)
        {
            final int at = nodes + n * GbdtDescriptor.NODE_LENGTH;
            if (view.getInt(at, ByteOrder.LITTLE_ENDIAN) == -1)
            {
                view.putDouble(at + GbdtDescriptor.NODE_VALUE_OFFSET, 1e6, ByteOrder.LITTLE_ENDIAN);
                changed = true;
            }
        }
        final Path bad = new ArtifactWriter("model", 2)
            .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, tampered)
            .addSection(SectionType.VERIFICATION_VECTORS, 1, vectors.toBytes())
            .writeTo(dir.resolve("bad.dpol"));
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class,
            () -> new ArtifactLoader(LoadOptions.defaults()).open(bad));
        assertTrue(ex.getMessage().contains("verification group"), ex.getMessage());
    }

    @Test
    void corruptSectionIsRefusedWithTreeAndOffset() throws IOException
    {
        final TreeEnsemble ensemble = RandomEnsembles.ensemble(new Random(3),
            new RandomEnsembles.Shape(4, 1, 3, 3, false, false));
        final byte[] section = GbdtSectionWriter.toBytes(ensemble);
        final int nodes = (int)(GbdtDescriptor.treeTableOffset(1, 4) + 3L * GbdtDescriptor.TREE_ENTRY_LENGTH);
        new UnsafeBuffer(section).putInt(nodes + GbdtDescriptor.NODE_LEFT_OFFSET, 999, ByteOrder.LITTLE_ENDIAN);
        final byte[] artifact = new ArtifactWriter("m", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, section).toBytes();
        final Path file = ArtifactFixtures.write(dir, artifact, "m.dpol");
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class,
            () -> new ArtifactLoader(LoadOptions.defaults()).open(file));
        assertEquals("GBDT_ENSEMBLE #0", ex.section());
        assertTrue(ex.reason().startsWith("tree 0: node 0 has child 999"), ex.reason());
    }

    @Test
    void evaluationAllocatesNothing()
    {
        final Random random = new Random(5);
        final TreeEnsemble ensemble = RandomEnsembles.ensemble(random, new RandomEnsembles.Shape(10, 3, 60, 9, true,
            true));
        final GbdtEvaluator evaluator = new GbdtEvaluator(ensemble);
        final GbdtContext context = evaluator.newContext();
        final double[][] rows = RandomEnsembles.rows(random, ensemble, 64);
        final float[] floats = new float[10];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[80]);
        final double[] flat = new double[64 * 10];
        for (int r = 0; r < 64; r++)
        {
            System.arraycopy(rows[r], 0, flat, r * 10, 10);
        }
        final double[] out = new double[3];
        final double[] batchOut = new double[64 * 3];
        final int[] next = {0};
        AllocationAssert.assertZeroAllocation("GBDT single row (double[], float[], buffer, transformed)",
            20_000, 20_000, () ->
            {
                final double[] row = rows[next[0]++ & 63];
                evaluator.predictRaw(row, out, context);
                floats[0] = (float)row[0];
                evaluator.predictRaw(floats, out, context);
                evaluator.predictRaw(buffer, 0, out, context);
                evaluator.predict(row, out, context);
            });
        AllocationAssert.assertZeroAllocation("GBDT batch", 500, 500, () ->
        {
            evaluator.predictRawBatch(flat, 64, batchOut, context);
            evaluator.predictBatch(flat, 64, batchOut, context);
        });
    }

    private static void assertBits(
        final double[] expected, final double[] actual, final int seed, final int row, final String how)
    {
        for (int g = 0; g < expected.length; g++)
        {
            if (Double.doubleToLongBits(expected[g]) != Double.doubleToLongBits(actual[g]))
            {
                fail("seed " + seed + " row " + row + " output " + g + " (" + how + "): reference " + expected[g] +
                    ", evaluator " + actual[g]);
            }
        }
    }
}
