package io.decide.format;

import io.decide.format.schema.FeatureSchemaDescriptor;
import io.decide.format.schema.FeatureSchemaFlyweight;
import io.decide.format.schema.FeatureSchemaWriter;
import io.decide.format.schema.FeatureType;
import io.decide.format.schema.MissingValue;
import io.decide.format.signature.KeyFiles;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationReplay;
import io.decide.format.vectors.VerificationVectorsDescriptor;
import io.decide.format.vectors.VerificationVectorsWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.decide.format.ArtifactBytes.*;
import static io.decide.format.ArtifactDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What {@link ArtifactWriter} writes, {@link ArtifactValidator} accepts and the flyweights read back exactly:
 * header fields, the section table, section contents, features, metadata and vectors; for a fixed sample, for
 * random artifacts, and over every kind of buffer a loader may hand the validator.
 */
final class ArtifactRoundTripTest
{
    private static final KeyPair KEYS = KeyFiles.generate();

    @Test
    void headerFieldsReadBack()
    {
        final byte[] bytes = SampleArtifacts.full();
        final ArtifactLayout layout = validate(bytes);
        final ArtifactHeaderFlyweight header = new ArtifactHeaderFlyweight().wrap(new UnsafeBuffer(bytes));
        assertEquals(MAGIC, header.magic());
        assertArrayEquals(new byte[]{'D', 'P', 'O', 'L', '\r', '\n', 0x1A, '\n'}, slice(bytes, 0, 8));
        assertEquals(MAJOR_VERSION, header.major());
        assertEquals(MINOR_VERSION, header.minor());
        assertEquals(HEADER_LENGTH, header.headerLength());
        assertEquals(bytes.length, header.fileLength());
        assertEquals(SampleArtifacts.VERSION, header.artifactVersion());
        assertEquals(SampleArtifacts.CREATED_MILLIS, header.createdMillis());
        assertEquals(HEADER_LENGTH, header.sectionTableOffset());
        assertEquals(4, header.sectionCount());
        assertEquals(fileCrc(bytes), header.fileCrc());
        assertEquals(0, header.flags());
        assertEquals(SampleArtifacts.NAME.length(), header.nameLength());
        assertEquals(SampleArtifacts.NAME, header.name());

        assertEquals(SampleArtifacts.NAME, layout.name());
        assertEquals(SampleArtifacts.VERSION, layout.version());
        assertEquals(SampleArtifacts.CREATED_MILLIS, layout.createdMillis());
        assertEquals(MAJOR_VERSION, layout.major());
        assertEquals(MINOR_VERSION, layout.minor());
        assertEquals(bytes.length, layout.fileLength());
        assertEquals(header.fileCrc(), layout.fileCrc());
        assertFalse(layout.signed());
    }

    @Test
    void sectionsReadBack()
    {
        final byte[] bytes = SampleArtifacts.full();
        final ArtifactLayout layout = validate(bytes);
        final int[] types = {SectionType.FEATURE_SCHEMA, SectionType.METADATA, SampleArtifacts.UNKNOWN_TYPE,
            SectionType.VERIFICATION_VECTORS};
        final int[] versions = {1, 1, SampleArtifacts.UNKNOWN_VERSION, 1};
        final byte[][] contents = {SampleArtifacts.schema().toBytes(),
            SampleArtifacts.METADATA.getBytes(StandardCharsets.UTF_8), SampleArtifacts.unknownPayload(),
            SampleArtifacts.vectors()};
        final SectionEntryFlyweight entry = new SectionEntryFlyweight();
        int expectedOffset = (int)align(HEADER_LENGTH + 4L * SectionTableDescriptor.ENTRY_LENGTH);
        for (int i = 0; i < 4; i++)
        {
            entry.wrap(new UnsafeBuffer(bytes), SectionTableDescriptor.entryOffset(HEADER_LENGTH, i));
            assertEquals(types[i], layout.sectionType(i));
            assertEquals(types[i], entry.type());
            assertEquals(versions[i], layout.sectionVersion(i));
            assertEquals(versions[i], entry.sectionVersion());
            assertEquals(expectedOffset, layout.sectionOffset(i), "sections follow each other 64-aligned");
            assertEquals(expectedOffset, entry.sectionOffset());
            assertEquals(contents[i].length, layout.sectionLength(i));
            assertEquals(contents[i].length, entry.sectionLength());
            assertEquals(0, entry.reserved());
            assertArrayEquals(contents[i], slice(bytes, expectedOffset, expectedOffset + contents[i].length));
            final UnsafeBuffer content = new UnsafeBuffer(contents[i]);
            assertEquals(Checksums.crc32c(content, 0, contents[i].length), layout.sectionCrc(i));
            assertEquals(layout.sectionCrc(i), entry.crc());
            assertEquals(0, layout.sectionOrdinal(i));
            assertEquals(i, layout.indexOf(types[i], 0));
            assertEquals(1, layout.count(types[i]));
            expectedOffset = (int)align(expectedOffset + contents[i].length);
        }
        assertEquals(bytes.length, layout.sectionOffset(3) + layout.sectionLength(3), "the last section ends the file");
        assertEquals("UNKNOWN(900) #0", layout.label(2));
        assertEquals(-1, layout.indexOf(SampleArtifacts.UNKNOWN_TYPE, 1));
        assertEquals(0, layout.count(SectionType.SIGNATURE));
    }

    @Test
    void vectorsReadBackThroughReplay()
    {
        final byte[] bytes = SampleArtifacts.full();
        final ArtifactLayout layout = validate(bytes);
        final List<String> seen = new ArrayList<>();
        final VerificationReplay.Result result = VerificationReplay.replay(SOURCE, new UnsafeBuffer(bytes), layout,
            (type, ordinal, index) -> (mode, input, output) ->
            {
                seen.add(type + "#" + ordinal + "@" + index + " mode " + mode + " " + Arrays.toString(input));
                output[0] = input[0] + input[1];
            });
        assertEquals(new VerificationReplay.Result(1, 0, 2), result);
        assertEquals(List.of("1#0@0 mode 5 [1.0, 2.0]", "1#0@0 mode 5 [-0.5, 4.0]"), seen);
    }

    @Test
    void randomArtifactsRoundTrip()
    {
        final Random random = new Random(0xD9017L);
        final ArtifactValidator validator = new ArtifactValidator();
        final ArtifactValidator keyed = new ArtifactValidator(List.of(KEYS.getPublic()));
        for (int round = 0; round < 400; round++)
        {
            final String name = randomName(random);
            final long version =
                random.nextInt(3) == 0 ? Long.MAX_VALUE - random.nextInt(10) : 1 + random.nextInt(1000);
            final long created = random.nextInt(3) == 0 ? 0 : random.nextLong() & Long.MAX_VALUE;
            final ArtifactWriter writer = new ArtifactWriter(name, version).createdMillis(created);
            final List<int[]> expectedTypes = new ArrayList<>();
            final List<byte[]> expectedContents = new ArrayList<>();
            final int sections = random.nextInt(7);
            boolean schema = false;
            for (int s = 0; s < sections; s++)
            {
                final int kind = random.nextInt(5);
                final int type;
                final int sectionVersion;
                final byte[] content;
                if (kind == 0 && !schema)
                {
                    schema = true;
                    type = SectionType.FEATURE_SCHEMA;
                    sectionVersion = FeatureSchemaDescriptor.VERSION;
                    content = randomSchema(random).toBytes();
                }
                else if (kind == 1 && schema)
                {
                    type = SectionType.VERIFICATION_VECTORS;
                    sectionVersion = VerificationVectorsDescriptor.VERSION;
                    content = randomVectors(random).toBytes();
                }
                else
                {
                    type = 1000 + random.nextInt(3);
                    sectionVersion = random.nextInt(0x10000);
                    content = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(300)];
                    random.nextBytes(content);
                }
                writer.addSection(type, sectionVersion, content);
                expectedTypes.add(new int[]{type, sectionVersion});
                expectedContents.add(content);
            }
            final boolean sign = random.nextInt(4) == 0;
            if (sign)
            {
                writer.signWith(KEYS.getPrivate(), KEYS.getPublic());
            }
            final byte[] bytes = writer.toBytes();
            final ArtifactLayout layout = (sign ? keyed : validator).validate(SOURCE, new UnsafeBuffer(bytes),
                bytes.length);
            final String where = "round " + round;
            assertEquals(name, layout.name(), where);
            assertEquals(version, layout.version(), where);
            assertEquals(created, layout.createdMillis(), where);
            assertEquals(bytes.length, layout.fileLength(), where);
            assertEquals(sign, layout.signatureVerified(), where);
            assertEquals(sections + (sign ? 1 : 0), layout.sectionCount(), where);
            int end = HEADER_LENGTH + layout.sectionCount() * SectionTableDescriptor.ENTRY_LENGTH;
            for (int s = 0; s < layout.sectionCount(); s++)
            {
                final int offset = layout.sectionOffset(s);
                assertEquals(0, offset % ALIGNMENT, where);
                assertTrue(offset - end >= 0 && offset - end < ALIGNMENT, where + ": padding below 64 bytes");
                end = offset + layout.sectionLength(s);
                if (s < sections)
                {
                    assertEquals(expectedTypes.get(s)[0], layout.sectionType(s), where);
                    assertEquals(expectedTypes.get(s)[1], layout.sectionVersion(s), where);
                    assertArrayEquals(expectedContents.get(s), slice(bytes, offset, end), where);
                }
            }
            assertEquals(bytes.length, end, where + ": no trailing bytes");
        }
    }

    @Test
    void featuresReadBackByIndex()
    {
        final Random random = new Random(99);
        for (int round = 0; round < 100; round++)
        {
            final FeatureSchemaWriter schema = randomSchema(random);
            final byte[] section = schema.toBytes();
            final byte[] bytes = new ArtifactWriter("f", 1).metadata("{}")
                .addSection(SectionType.FEATURE_SCHEMA, 1, section).toBytes();
            final ArtifactLayout layout = validate(bytes);
            final int index = layout.indexOf(SectionType.FEATURE_SCHEMA, 0);
            final FeatureSchemaFlyweight flyweight =
                new FeatureSchemaFlyweight().wrap(new UnsafeBuffer(bytes), layout.sectionOffset(index));
            final FeatureSchemaFlyweight direct = new FeatureSchemaFlyweight().wrap(new UnsafeBuffer(section), 0);
            assertEquals(schema.size(), flyweight.featureCount());
            for (int i = 0; i < schema.size(); i++)
            {
                assertEquals(direct.name(i), flyweight.name(i));
                assertEquals(direct.typeCode(i), flyweight.typeCode(i));
                assertEquals(direct.missingCode(i), flyweight.missingCode(i));
                assertEquals(direct.sentinel(i), flyweight.sentinel(i));
                assertTrue(flyweight.nameOffset(i) >= FeatureSchemaDescriptor.entryOffset(schema.size()));
            }
        }
    }

    @Test
    void validatesTheSameBytesOverEveryKindOfBuffer(@TempDir final Path dir) throws IOException
    {
        final byte[] big = new byte[200_000];
        new Random(5).nextBytes(big);
        final byte[] bytes = SampleArtifacts.fullWriter().addSection(1001, 1, big)
            .signWith(KEYS.getPrivate(), KEYS.getPublic()).toBytes();
        final ArtifactValidator validator = new ArtifactValidator(List.of(KEYS.getPublic()));

        final List<DirectBuffer> buffers = new ArrayList<>();
        buffers.add(new UnsafeBuffer(bytes));
        final byte[] padded = new byte[bytes.length + 100];
        System.arraycopy(bytes, 0, padded, 37, bytes.length);
        buffers.add(new UnsafeBuffer(padded, 37, bytes.length));
        buffers.add(new UnsafeBuffer(ByteBuffer.wrap(padded, 37, bytes.length).slice()));
        final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 64);
        direct.position(64);
        direct.slice().put(bytes);
        buffers.add(new UnsafeBuffer(direct, 64, bytes.length));
        buffers.add(new UnsafeBuffer(new UnsafeBuffer(direct).addressOffset() + 64, bytes.length));

        final Path file = ArtifactWriter.writeAtomically(dir.resolve("a.dpol"), bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes.length);
            buffers.add(new UnsafeBuffer(mapped));

            final ArtifactLayout expected = validator.validate(SOURCE, buffers.get(0), bytes.length);
            for (final DirectBuffer buffer : buffers)
            {
                final ArtifactLayout layout = validator.validate(SOURCE, buffer, bytes.length);
                assertTrue(layout.signatureVerified());
                assertEquals(expected.fileCrc(), layout.fileCrc());
                for (int i = 0; i < expected.sectionCount(); i++)
                {
                    assertEquals(expected.sectionCrc(i), layout.sectionCrc(i));
                }
            }
            final byte[] damaged = bytes.clone();
            final int bigSection = expected.indexOf(1001, 0);
            damaged[expected.sectionOffset(bigSection) + 100_000] ^= 1;
            final ByteBuffer damagedDirect = ByteBuffer.allocateDirect(bytes.length).put(damaged);
            assertRefused(validator, damaged, "UNKNOWN(1001) #0", expected.sectionOffset(bigSection),
                "section CRC32C");
            assertThrows(ArtifactFormatException.class, () -> validator.validate(SOURCE,
                new UnsafeBuffer(new UnsafeBuffer(damagedDirect).addressOffset(), bytes.length), bytes.length));
        }
    }

    @Test
    void checksumsAgreeWithTheJdkOverEveryBufferKind()
    {
        final byte[] bytes = new byte[150_001];
        new Random(11).nextBytes(bytes);
        final java.util.zip.CRC32C jdk = new java.util.zip.CRC32C();
        jdk.update(bytes, 1000, 140_000);
        final int expected = (int)jdk.getValue();
        final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes);
        final long address = new UnsafeBuffer(direct).addressOffset();
        for (final DirectBuffer buffer : List.of(new UnsafeBuffer(bytes), new UnsafeBuffer(ByteBuffer.wrap(bytes)),
            new UnsafeBuffer(direct), new UnsafeBuffer(address, bytes.length)))
        {
            assertEquals(expected, Checksums.crc32c(buffer, 1000, 140_000));
            assertEquals(0, Checksums.crc32c(buffer, 5, 0));
            assertEquals(fileCrc(bytes), Checksums.fileCrc32c(buffer, bytes.length));
        }
        final byte[] withField = bytes.clone();
        putInt(withField, FILE_CRC_OFFSET, 0x12345678);
        assertEquals(Checksums.fileCrc32c(new UnsafeBuffer(bytes), bytes.length),
            Checksums.fileCrc32c(new UnsafeBuffer(withField), bytes.length), "the file CRC field is read as zero");
    }

    private static String randomName(final Random random)
    {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
        final int length = random.nextInt(4) == 0 ? NAME_MAX_LENGTH : 1 + random.nextInt(NAME_MAX_LENGTH);
        final StringBuilder name = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            name.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return name.toString();
    }

    private static FeatureSchemaWriter randomSchema(final Random random)
    {
        final String[] parts = {"a", "b", "_", "\u00e9", "\u4e2d", "\ud83d\ude00", "Z", "7"};
        final FeatureSchemaWriter writer = new FeatureSchemaWriter();
        final Set<String> names = new HashSet<>();
        final int n = random.nextInt(8);
        while (writer.size() < n)
        {
            final StringBuilder name = new StringBuilder();
            for (int i = 0, length = 1 + random.nextInt(5); i < length; i++)
            {
                name.append(parts[random.nextInt(parts.length)]);
            }
            if (names.add(name.toString()))
            {
                writer.add(name.toString(), FeatureType.values()[random.nextInt(3)],
                    MissingValue.values()[random.nextInt(4)], random.nextDouble() * 100 - 50);
            }
        }
        return writer;
    }

    private static VerificationVectorsWriter randomVectors(final Random random)
    {
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        for (int g = 0, groups = random.nextInt(3); g < groups; g++)
        {
            final Tolerance kind = Tolerance.values()[random.nextInt(4)];
            final int in = 1 + random.nextInt(3);
            final int out = 1 + random.nextInt(3);
            final VerificationVectorsWriter.Group group = writer.group(SectionType.FEATURE_SCHEMA, 0,
                random.nextInt(4), in, out, kind, kind == Tolerance.EXACT ? 0 : random.nextDouble());
            for (int v = 0, count = random.nextInt(4); v < count; v++)
            {
                final double[] input = new double[in];
                final double[] output = new double[out];
                for (int i = 0; i < in; i++)
                {
                    input[i] = random.nextGaussian();
                }
                for (int o = 0; o < out; o++)
                {
                    output[o] = random.nextInt(5) == 0 ? Double.NaN : random.nextGaussian();
                }
                group.add(input, output);
            }
        }
        return writer;
    }
}
