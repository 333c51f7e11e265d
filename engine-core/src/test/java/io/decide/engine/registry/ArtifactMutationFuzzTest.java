package io.decide.engine.registry;

import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.SectionType;
import io.decide.format.Utf8;
import io.decide.format.schema.FeatureSchema;
import io.decide.format.vectors.VerificationReplay;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.format.gbdt.GbdtDescriptor;
import io.decide.format.gbdt.GbdtSectionReader;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.quota.QuotaDualWriter;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsWriter;
import io.decide.testsupport.ArtifactFixtures;
import io.decide.testsupport.RandomEnsembles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Mutation fuzz of the validator and loader: valid artifacts are mutated (bit flips, interesting integers in
 * header, table and section fields, truncation, extension, copied and zeroed ranges), and most of the time their
 * section and file checksums are recomputed so that structural validation, not only the CRC, decides. Every
 * mutant must be refused with {@link ArtifactFormatException} or load and pass every reader; any other exception,
 * a hang or a JVM crash fails the build. Iterations: {@code decide.fuzz.iterations} (100,000 by default; 1,000,000
 * under {@code -Pfuzz}). Every 200th mutant goes through the real file path (mmap, validate, replay, unmap).
 */
class ArtifactMutationFuzzTest
{
    private static final long[] INTERESTING = {
        0, 1, -1, 7, 8, 63, 64, 65, 127, 128, 255, 256, 4095, 4096, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE};

    @TempDir
    Path dir;

    @Test
    void everyMutantIsRefusedCleanlyOrFullyReadable() throws IOException
    {
        final int iterations = Integer.getInteger("decide.fuzz.iterations", 100_000);
        final long seed = Long.getLong("decide.fuzz.seed", 0x5EED_D0C5L);
        final List<byte[]> corpus = new java.util.ArrayList<>(ArtifactFixtures.corpus(seed, 48));
        corpus.addAll(decisionArtifacts(seed));
        final ArtifactValidator validator = new ArtifactValidator();
        final ArtifactLoader loader = new ArtifactLoader(LoadOptions.defaults());
        final SplittableRandom random = new SplittableRandom(seed);
        final Map<String, Integer> reasons = new TreeMap<>();
        final int[] accepted = new int[1];

        assertTimeoutPreemptively(Duration.ofMinutes(20), () ->
        {
            for (int i = 0; i < iterations; i++)
            {
                final byte[] base = corpus.get(random.nextInt(corpus.size()));
                final StringBuilder what = new StringBuilder();
                byte[] mutant = mutate(base, random, what);
                if (random.nextInt(10) != 0)
                {
                    ArtifactFixtures.recomputeChecksums(mutant);
                    what.append(" +checksums");
                }
                try
                {
                    if (i % 200 == 0)
                    {
                        loadFromFile(loader, mutant, i);
                    }
                    else
                    {
                        readEverything(validator, mutant);
                    }
                    accepted[0]++;
                }
                catch (final ArtifactFormatException ex)
                {
                    reasons.merge(classify(ex), 1, Integer::sum);
                }
                catch (final Throwable t)
                {
                    final Path saved = Files.write(dir.resolve("fuzz-failure-" + i + ".dpol"), mutant);
                    fail("mutant " + i + " (seed " + seed + ", " + what + ", saved " + saved + ") threw " + t, t);
                }
            }
        });
        System.out.printf("fuzz: %d mutants, %d accepted, %d refused by %d distinct checks%n",
            iterations, accepted[0], iterations - accepted[0], reasons.size());
        assertTrue(accepted[0] > 0, "some mutants (e.g. in metadata strings or opaque sections) stay valid");
        assertTrue(reasons.size() >= 15, "structural checks exercised, not only CRCs: " + reasons);
    }

    private static String classify(final ArtifactFormatException ex)
    {
        final String section = ex.section().replaceAll("[0-9]+", "N");
        final String reason = ex.reason().replaceAll("-?[0-9][0-9a-fx.]*", "N");
        return section + ": " + (reason.length() > 40 ? reason.substring(0, 40) : reason);
    }

    private void loadFromFile(final ArtifactLoader loader, final byte[] mutant, final int i) throws IOException
    {
        final Path file = dir.resolve("m" + i + ".dpol");
        Files.write(file, mutant);
        try
        {
            final LoadedArtifact artifact = loader.open(file);
            try
            {
                readEverything(new ArtifactValidator(), mutant);
            }
            finally
            {
                artifact.close();
            }
        }
        finally
        {
            Files.delete(file);
        }
    }

    /** Validate, then read every section through its reader; nothing may throw but the format exception. */
    private static void readEverything(final ArtifactValidator validator, final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final ArtifactLayout layout = validator.validate("mutant", buffer, bytes.length);
        for (int s = 0; s < layout.sectionCount(); s++)
        {
            final int offset = layout.sectionOffset(s);
            final int length = layout.sectionLength(s);
            switch (layout.sectionType(s))
            {
                case SectionType.FEATURE_SCHEMA:
                    final FeatureSchema schema = FeatureSchema.read(buffer, offset);
                    for (int f = 0; f < schema.size(); f++)
                    {
                        assertEquals(f, schema.indexOf(schema.name(f)));
                        assertNotNull(schema.type(f));
                        assertNotNull(schema.missing(f));
                    }
                    break;
                case SectionType.GBDT_ENSEMBLE:
                {
                    // An accepted model must compile and evaluate like any other: no exception on any row.
                    final TreeEnsemble model = GbdtSectionReader.read(buffer, offset, length);
                    final GbdtEvaluator evaluator = new GbdtEvaluator(model);
                    final double[] row = new double[model.featureCount()];
                    final double[] out = new double[Math.max(model.outputCount(), model.transformedCount())];
                    java.util.Arrays.fill(row, Double.NaN);
                    evaluator.predict(row, out, evaluator.newContext());
                    java.util.Arrays.fill(row, 0.5);
                    evaluator.predictRaw(row, out, evaluator.newContext());
                    break;
                }
                case SectionType.DENSE_NETWORK:
                {
                    // An accepted network must load and evaluate with no exception, whatever its shape.
                    final io.decide.engine.network.DenseNetworkEvaluator evaluator =
                        io.decide.engine.network.DenseNetworkEvaluator.read(buffer, offset);
                    final double[] row = new double[evaluator.inputSize()];
                    final double[] out = new double[evaluator.outputCount()];
                    java.util.Arrays.fill(row, Double.NaN);
                    evaluator.evaluate(row, out, evaluator.newContext());
                    java.util.Arrays.fill(row, 0.5);
                    evaluator.evaluate(row, out, evaluator.newContext());
                    break;
                }
                case SectionType.METADATA:
                    assertNotNull(Utf8.decodeStrict(buffer, offset, length));
                    break;
                default:
                    for (int at = 0; at + 8 <= length; at += 8)
                    {
                        buffer.getLong(offset + at, ByteOrder.LITTLE_ENDIAN);
                    }
            }
        }
        VerificationReplay.replay("mutant", buffer, layout, (type, ordinal, index) -> (mode, in, out) ->
            Arrays.fill(out, Double.NaN));
    }

    private static byte[] mutate(final byte[] base, final SplittableRandom random, final StringBuilder what)
    {
        byte[] bytes = base.clone();
        final int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++)
        {
            final int kind = random.nextInt(9);
            final int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (kind)
            {
                case 0:
                    if (bytes.length > 0)
                    {
                        bytes[at] ^= (byte)(1 << random.nextInt(8));
                    }
                    what.append(" flip@").append(at);
                    break;
                case 1:
                    if (bytes.length > 0)
                    {
                        bytes[at] = (byte)random.nextInt(256);
                    }
                    what.append(" byte@").append(at);
                    break;
                case 2:
                case 3:
                {
                    final int width = random.nextBoolean() ? 4 : (random.nextBoolean() ? 8 : 2);
                    final int field = focus(bytes, random) & ~(width - 1);
                    final long value = INTERESTING[random.nextInt(INTERESTING.length)] +
                        (random.nextInt(4) == 0 ? random.nextInt(-3, 4) : 0);
                    putLittleEndian(bytes, field, width, value);
                    what.append(" int").append(width * 8).append('@').append(field).append('=').append(value);
                    break;
                }
                case 4:
                {
                    final int length = random.nextInt(Math.max(1, bytes.length));
                    bytes = Arrays.copyOf(bytes, length);
                    what.append(" truncate=").append(length);
                    break;
                }
                case 5:
                {
                    final int extra = 1 + random.nextInt(200);
                    bytes = Arrays.copyOf(bytes, bytes.length + extra);
                    if (random.nextBoolean())
                    {
                        for (int k = bytes.length - extra; k < bytes.length; k++)
                        {
                            bytes[k] = (byte)random.nextInt(256);
                        }
                    }
                    what.append(" extend+").append(extra);
                    break;
                }
                case 6:
                {
                    if (bytes.length > 1)
                    {
                        final int from = random.nextInt(bytes.length);
                        final int length = random.nextInt(Math.min(256, bytes.length - Math.max(from, at)) + 1);
                        System.arraycopy(bytes, from, bytes, at, Math.min(length, bytes.length - from));
                        what.append(" copy ").append(from).append("->").append(at);
                    }
                    break;
                }
                case 7:
                {
                    final int length = Math.min(bytes.length - at, 1 + random.nextInt(64));
                    Arrays.fill(bytes, at, at + Math.max(0, length), (byte)0);
                    what.append(" zero@").append(at).append('+').append(length);
                    break;
                }
                default:
                {
                    // Header-focused: the first 256 bytes hold the header and the section table.
                    if (bytes.length > 0)
                    {
                        final int field = random.nextInt(Math.min(256, bytes.length));
                        bytes[field] = (byte)(bytes[field] + random.nextInt(-2, 3));
                        what.append(" nudge@").append(field);
                    }
                }
            }
        }
        return bytes;
    }

    /** Mostly aim at the header and section table, where structure lives; sometimes anywhere. */
    private static int focus(final byte[] bytes, final SplittableRandom random)
    {
        if (bytes.length < 8)
        {
            return 0;
        }
        final int limit = random.nextInt(3) == 0 ? bytes.length : Math.min(bytes.length, 512);
        return Math.min(random.nextInt(limit), bytes.length - 8);
    }

    private static void putLittleEndian(final byte[] bytes, final int at, final int width, final long value)
    {
        if (at < 0 || at + width > bytes.length)
        {
            return;
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (width)
        {
            case 2: b.putShort(at, (short)value); break;
            case 4: b.putInt(at, (int)value); break;
            default: b.putLong(at, value);
        }
    }

    /**
     * Artifacts with the decision sections (GBDT_ENSEMBLE, QUOTA_DUAL with caller and GBDT values, COHORT_SCALARS),
     * so their validators and the engine's compilation of accepted mutants are fuzzed too.
     */
    private static List<byte[]> decisionArtifacts(final long seed)
    {
        final List<byte[]> artifacts = new java.util.ArrayList<>();
        final java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 16; i++)
        {
            final TreeEnsemble model = RandomEnsembles.ensemble(random,
                new RandomEnsembles.Shape(1 + random.nextInt(4), 1 + random.nextInt(2), 1 + random.nextInt(5),
                    random.nextInt(4), random.nextBoolean(), random.nextBoolean()));
            final io.decide.format.ArtifactWriter writer = new io.decide.format.ArtifactWriter("fuzz-model", 1 + i)
                .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, GbdtSectionWriter.toBytes(model));
            if (i % 2 == 0)
            {
                writer.addSection(SectionType.QUOTA_DUAL, 1, new QuotaDualWriter(new double[]{0, 1, 2.5})
                    .lambda(0.25).toBytes());
            }
            else if (model.featureCount() > 1)
            {
                writer.addSection(SectionType.QUOTA_DUAL, 1, new QuotaDualWriter(new double[]{0, 1, 2})
                    .lambda(1.5).gbdtValues(0, 0, 0, new double[]{0, 1, 2}).toBytes());
            }
            final CohortScalarsWriter scalars = new CohortScalarsWriter()
                .addBid(0, CohortScalarsDescriptor.INCREASING, 0, 0.5, 2.0, 1.0, new double[]{-1, 0, 1},
                    new double[]{0.5, 0.9, 1.2, 2.0})
                .addBid(3, CohortScalarsDescriptor.DECREASING, 0, 0.5, 2.0, 1.0, new double[]{0.25},
                    new double[]{1.5, 0.75}, 0, 0);
            if (i % 4 == 1)
            {
                writer.addSection(SectionType.DENSE_NETWORK, 1, network(random));
                scalars.addBid(5, CohortScalarsDescriptor.INCREASING, 0, 0.5, 2.0, 1.0, new double[]{0.5},
                    new double[]{0.75, 1.5}, CohortScalarsDescriptor.MODEL_NETWORK, 0, 0);
            }
            writer.addSection(SectionType.COHORT_SCALARS, 1, scalars.toBytes());
            artifacts.add(writer.toBytes());
        }
        return artifacts;
    }

    /** A small random DENSE_NETWORK: a trunk layer, then two heads (one reading a slice). */
    private static byte[] network(final java.util.Random random)
    {
        final int n = 1 + random.nextInt(6);
        final int hidden = 2 + random.nextInt(5);
        final io.decide.format.network.DenseNetworkWriter w = new io.decide.format.network.DenseNetworkWriter(n);
        final int trunk = w.addLayer(-1, hidden, io.decide.format.network.DenseNetworkDescriptor.RELU,
            floats(random, n * hidden), floats(random, hidden));
        final int a = w.addLayer(trunk, 1, io.decide.format.network.DenseNetworkDescriptor.SIGMOID,
            floats(random, hidden), floats(random, 1));
        final int b = w.addLayer(trunk, 2, io.decide.format.network.DenseNetworkDescriptor.TANH,
            floats(random, hidden * 2), floats(random, 2));
        w.addHead(a, 0, 1);
        w.addHead(b, 1, 1);
        return w.toBytes();
    }

    private static float[] floats(final java.util.Random random, final int count)
    {
        final float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)random.nextGaussian();
        }
        return values;
    }
}
