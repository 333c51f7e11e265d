package io.decide.testsupport;

import io.decide.format.ArtifactDescriptor;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.SectionType;
import io.decide.format.Utf8;
import io.decide.format.schema.FeatureSchemaFlyweight;
import io.decide.format.schema.FeatureType;
import io.decide.format.schema.MissingValue;
import io.decide.format.vectors.VectorEvaluator;
import io.decide.format.vectors.VerificationReplay;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;

/** The fixtures produce what they promise, and every artifact they produce is valid. */
final class ArtifactFixturesTest
{
    private static final ArtifactValidator VALIDATOR = new ArtifactValidator();

    private static ArtifactLayout validate(final byte[] bytes)
    {
        return VALIDATOR.validate("fixture", new UnsafeBuffer(bytes), bytes.length);
    }

    private static ArtifactLayout validate(final ArtifactSpec spec, final byte[] bytes)
    {
        final ArtifactValidator validator = spec.signed() ?
            new ArtifactValidator(List.of(spec.signingKeys().getPublic())) : VALIDATOR;
        return validator.validate(spec.name(), new UnsafeBuffer(bytes), bytes.length);
    }

    @Test
    void simpleIsValid()
    {
        final byte[] bytes = ArtifactFixtures.simple("simple.a", 3);
        final ArtifactLayout layout = validate(bytes);
        assertEquals("simple.a", layout.name());
        assertEquals(3, layout.version());
        assertEquals(ArtifactFixtures.CREATED_MILLIS, layout.createdMillis());
        assertEquals(3, layout.sectionCount());
        assertEquals(SectionType.FEATURE_SCHEMA, layout.sectionType(0));
        assertEquals(SectionType.METADATA, layout.sectionType(1));
        assertEquals(ArtifactFixtures.SIMPLE_UNKNOWN_TYPE, layout.sectionType(2));
        assertEquals(100, layout.sectionLength(2));
        final FeatureSchemaFlyweight schema =
            new FeatureSchemaFlyweight().wrap(new UnsafeBuffer(bytes), layout.sectionOffset(0));
        assertEquals(4, schema.featureCount());
        assertEquals("price", schema.name(3));
        assertEquals(-1.0, schema.sentinel(3));
        assertArrayEquals(bytes, ArtifactFixtures.simple("simple.a", 3), "deterministic");
    }

    @Test
    void signedVerifiesWithItsKey()
    {
        final KeyPair keys = ArtifactFixtures.signingKeys().get(0);
        final byte[] bytes = ArtifactFixtures.signed("signed", 1, keys);
        final ArtifactLayout layout =
            new ArtifactValidator(List.of(keys.getPublic())).validate("s", new UnsafeBuffer(bytes), bytes.length);
        assertTrue(layout.signatureVerified());
        assertEquals(SectionType.SIGNATURE, layout.sectionType(3));
    }

    @Test
    void withPayloadHoldsOneSectionOfEqualLongs()
    {
        for (final int size : new int[]{0, 8, 4096, 100_000})
        {
            final long fill = 0x0123_4567_89AB_CDEFL * size;
            final byte[] bytes = ArtifactFixtures.withPayload("payload", 9, size, fill);
            final ArtifactLayout layout = validate(bytes);
            assertEquals(1, layout.sectionCount());
            assertEquals(ArtifactFixtures.PAYLOAD_TYPE, layout.sectionType(0));
            assertEquals(size, layout.sectionLength(0));
            final ByteBuffer payload = ByteBuffer.wrap(bytes, layout.sectionOffset(0), size).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at < size; at += 8)
            {
                assertEquals(fill, payload.getLong(at));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ArtifactFixtures.withPayload("p", 1, 12, 0));
        assertThrows(IllegalArgumentException.class, () -> ArtifactFixtures.withPayload("p", 1, -8, 0));
    }

    @Test
    void writePublishesTheBytes(@TempDir final Path dir) throws IOException
    {
        final byte[] bytes = ArtifactFixtures.simple("w", 1);
        final Path file = ArtifactFixtures.write(dir.resolve("sub"), bytes, "w-v1.dpol");
        assertEquals(dir.resolve("sub/w-v1.dpol"), file);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        ArtifactFixtures.write(dir.resolve("sub"), ArtifactFixtures.simple("w", 2), "w-v1.dpol");
        assertEquals(2, validate(Files.readAllBytes(file)).version());
        try (Stream<Path> files = Files.list(dir.resolve("sub")))
        {
            assertEquals(1, files.count());
        }
    }

    @Test
    void recomputeChecksumsLetsTheTargetedCheckFire()
    {
        final byte[] bytes = ArtifactFixtures.simple("crc", 1);
        assertArrayEquals(bytes, ArtifactFixtures.recomputeChecksums(bytes.clone()), "no change on a valid artifact");
        final ArtifactLayout layout = validate(bytes);

        final byte[] opaque = bytes.clone();
        opaque[layout.sectionOffset(2) + 3] ^= 1;
        assertTrue(assertThrows(ArtifactFormatException.class, () -> validate(opaque)).reason().contains("CRC32C"));
        assertSame(opaque, ArtifactFixtures.recomputeChecksums(opaque));
        validate(opaque);

        final byte[] metadata = bytes.clone();
        metadata[layout.sectionOffset(1)] = '[';
        ArtifactFixtures.recomputeChecksums(metadata);
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class, () -> validate(metadata));
        assertEquals("METADATA #0", ex.section());
        assertTrue(ex.reason().startsWith("metadata is not a JSON object"), ex.reason());
    }

    @Test
    void recomputeChecksumsSurvivesGarbage()
    {
        final Random random = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            final byte[] bytes = new byte[random.nextInt(400)];
            random.nextBytes(bytes);
            if (bytes.length > 64 && random.nextBoolean())
            {
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(ArtifactDescriptor.SECTION_TABLE_OFFSET_OFFSET, random.nextInt(bytes.length))
                    .putInt(ArtifactDescriptor.SECTION_COUNT_OFFSET, random.nextInt(8));
            }
            ArtifactFixtures.recomputeChecksums(bytes);
        }
    }

    @Test
    void asNewerMinorIsAcceptedWithTheSameSections()
    {
        final byte[] bytes = ArtifactFixtures.simple("minor", 1);
        final byte[] newer = ArtifactFixtures.asNewerMinor(bytes, 4);
        final ArtifactLayout before = validate(bytes);
        final ArtifactLayout after = validate(newer);
        assertEquals(4, after.minor());
        assertEquals(bytes.length + 64, after.fileLength());
        for (int i = 0; i < before.sectionCount(); i++)
        {
            assertArrayEquals(
                Arrays.copyOfRange(bytes, before.sectionOffset(i), before.sectionOffset(i) + before.sectionLength(i)),
                Arrays.copyOfRange(newer, after.sectionOffset(i), after.sectionOffset(i) + after.sectionLength(i)));
        }
        assertThrows(IllegalArgumentException.class,
            () -> ArtifactFixtures.asNewerMinor(
                ArtifactFixtures.signed("s", 1, ArtifactFixtures.signingKeys().get(1)), 1));
    }

    @Test
    void generatedArtifactsAreValidAndReadBackAsSpecified()
    {
        qt().withExamples(300).forAll(ArtifactFixtures.artifactSpecs()).checkAssert(ArtifactFixturesTest::roundTrip);
    }

    @Test
    void generatedBytesAreValid()
    {
        qt().withExamples(100).forAll(ArtifactFixtures.artifacts()).checkAssert(bytes ->
            assertEquals(bytes.length, validate(bytes).fileLength()));
    }

    private static void roundTrip(final ArtifactSpec spec)
    {
        final byte[] bytes = spec.toBytes();
        final ArtifactLayout layout = validate(spec, bytes);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertEquals(spec.name(), layout.name());
        assertEquals(spec.version(), layout.version());
        assertEquals(spec.createdMillis(), layout.createdMillis());
        assertEquals(spec.signed(), layout.signatureVerified());
        final int[] types = spec.sectionTypes();
        assertEquals(types.length, layout.sectionCount());
        for (int i = 0; i < types.length; i++)
        {
            assertEquals(types[i], layout.sectionType(i), "section " + i);
        }
        int index = 0;
        if (spec.features() != null)
        {
            final FeatureSchemaFlyweight schema =
                new FeatureSchemaFlyweight().wrap(buffer, layout.sectionOffset(index));
            assertEquals(spec.features().size(), schema.featureCount());
            for (int f = 0; f < spec.features().size(); f++)
            {
                final ArtifactSpec.Feature feature = spec.features().get(f);
                assertEquals(feature.name(), schema.name(f));
                assertEquals(feature.type(), FeatureType.fromCode(schema.typeCode(f)));
                assertEquals(feature.missing(), MissingValue.fromCode(schema.missingCode(f)));
                assertEquals(Double.doubleToRawLongBits(feature.sentinel()),
                    Double.doubleToRawLongBits(schema.sentinel(f)));
            }
            index++;
        }
        if (spec.metadataJson() != null)
        {
            assertEquals(spec.metadataJson(),
                Utf8.decodeStrict(buffer, layout.sectionOffset(index), layout.sectionLength(index)));
            index++;
        }
        for (final ArtifactSpec.Section section : spec.unknownSections())
        {
            assertEquals(section.version(), layout.sectionVersion(index));
            assertArrayEquals(section.bytes(), Arrays.copyOfRange(bytes, layout.sectionOffset(index),
                layout.sectionOffset(index) + layout.sectionLength(index)));
            index++;
        }
        final int[] group = {0};
        final VerificationReplay.Result result = VerificationReplay.replay(spec.name(), buffer, layout,
            (type, ordinal, sectionIndex) ->
            {
                final ArtifactSpec.VectorGroup expected = spec.vectorGroups().get(group[0]++);
                assertEquals(expected.targetType(), type);
                assertEquals(expected.targetOrdinal(), ordinal);
                assertEquals(type, layout.sectionType(sectionIndex));
                return replaying(expected);
            });
        assertEquals(spec.vectorGroups().size(), result.groupsReplayed());
        assertEquals(spec.vectorGroups().stream().mapToLong(g -> g.inputs().length).sum(), result.vectorsChecked());
    }

    /** An evaluator that checks it is given the group's inputs in order and answers the expected outputs. */
    private static VectorEvaluator replaying(final ArtifactSpec.VectorGroup group)
    {
        final int[] vector = {0};
        return (mode, input, output) ->
        {
            assertEquals(group.mode(), mode);
            final int v = vector[0]++;
            for (int i = 0; i < input.length; i++)
            {
                assertEquals(Double.doubleToRawLongBits(group.inputs()[v][i]), Double.doubleToRawLongBits(input[i]));
            }
            System.arraycopy(group.expected()[v], 0, output, 0, output.length);
        };
    }

    @Test
    void theGeneratorCoversTheFormat()
    {
        final Random random = new Random(1);
        final Set<FeatureType> types = EnumSet.noneOf(FeatureType.class);
        final Set<MissingValue> missing = EnumSet.noneOf(MissingValue.class);
        int signed = 0;
        int withVectors = 0;
        int nonAscii = 0;
        int emptySections = 0;
        int nested = 0;
        int noSchema = 0;
        int repeatedTypes = 0;
        for (int i = 0; i < 500; i++)
        {
            final ArtifactSpec spec = ArtifactFixtures.randomSpec(random);
            signed += spec.signed() ? 1 : 0;
            withVectors += spec.vectorGroups().isEmpty() ? 0 : 1;
            noSchema += spec.features() == null ? 1 : 0;
            if (spec.features() != null)
            {
                for (final ArtifactSpec.Feature feature : spec.features())
                {
                    types.add(feature.type());
                    missing.add(feature.missing());
                    nonAscii += feature.name().chars().anyMatch(c -> c > 0x7F) ? 1 : 0;
                }
            }
            emptySections += (int)spec.unknownSections().stream().filter(s -> s.bytes().length == 0).count();
            repeatedTypes += spec.unknownSections().stream().mapToInt(ArtifactSpec.Section::type).distinct().count() <
                spec.unknownSections().size() ? 1 : 0;
            nested += spec.metadataJson() != null && spec.metadataJson().matches("(?s).*[\\[{].*[\\[{].*") ? 1 : 0;
            validate(spec, spec.toBytes());
        }
        assertEquals(EnumSet.allOf(FeatureType.class), types);
        assertEquals(EnumSet.allOf(MissingValue.class), missing);
        for (final int count : new int[]{signed, withVectors, nonAscii, emptySections, nested, noSchema, repeatedTypes})
        {
            assertTrue(count >= 10, "every kind of content appears: signed " + signed + ", vectors " + withVectors +
                ", non-ASCII names " + nonAscii + ", empty sections " + emptySections + ", nested metadata " + nested +
                ", no schema " + noSchema + ", repeated types " + repeatedTypes);
        }
    }

    @Test
    void corpusIsDiverseValidAndSeeded()
    {
        final List<byte[]> corpus = ArtifactFixtures.corpus(17, 64);
        assertEquals(64, corpus.size());
        final List<byte[]> again = ArtifactFixtures.corpus(17, 64);
        for (int i = 0; i < corpus.size(); i++)
        {
            assertArrayEquals(corpus.get(i), again.get(i), "entry " + i);
        }
        assertFalse(Arrays.equals(corpus.get(2), ArtifactFixtures.corpus(18, 3).get(2)),
            "another seed, another corpus");

        final ArtifactValidator trusting = new ArtifactValidator(
            ArtifactFixtures.signingKeys().stream().map(KeyPair::getPublic).toList());
        int vectorsOnSchema = 0;
        int newerMinor = 0;
        int empty = 0;
        int signed = 0;
        for (final byte[] bytes : corpus)
        {
            final ArtifactLayout layout = validate(bytes);
            if (layout.signed())
            {
                signed++;
                assertTrue(trusting.validate("c", new UnsafeBuffer(bytes), bytes.length).signatureVerified());
            }
            newerMinor += layout.minor() > 0 ? 1 : 0;
            empty += layout.sectionCount() == 0 ? 1 : 0;
            final int[] groupsOnSchema = {0};
            VerificationReplay.replay("c", new UnsafeBuffer(bytes), layout, (type, ordinal, index) ->
            {
                groupsOnSchema[0] += type == SectionType.FEATURE_SCHEMA ? 1 : 0;
                return null;
            });
            vectorsOnSchema += groupsOnSchema[0] > 0 ? 1 : 0;
        }
        assertTrue(vectorsOnSchema >= 16, "vectors on FEATURE_SCHEMA: " + vectorsOnSchema);
        assertTrue(signed >= 8, "signed: " + signed);
        assertEquals(8, newerMinor);
        assertTrue(empty >= 8, "empty: " + empty);
    }
}
