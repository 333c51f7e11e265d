package io.decide.bench;

import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.schema.FeatureSchemaWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Artifacts the benchmarks build in their trial setup: a FEATURE_SCHEMA and a METADATA section plus sections of
 * an unknown type id (which the validator accepts after checking bounds and CRC), each starting with a marker
 * long the benchmark checks before it times anything.
 */
final class BenchArtifacts
{
    /** First section type id used for payload sections; not a type {@code policies-format} defines. */
    static final int PAYLOAD_TYPE = 1000;

    private BenchArtifacts()
    {
    }

    /**
     * The marker stored (native byte order) in the first 8 bytes of a payload section.
     *
     * @param type    section type id.
     * @param ordinal ordinal of the section among sections of its type.
     * @return the marker.
     */
    static long marker(final int type, final int ordinal)
    {
        return 0x5EC7_0000_0000_0000L | ((long)type << 16) | ordinal;
    }

    /**
     * A payload section: the marker, then pseudo-random bytes.
     *
     * @param type         section type id.
     * @param ordinal      ordinal among sections of that type.
     * @param lengthBytes  section length, at least 8.
     * @param seed         seed of the pseudo-random fill.
     * @return the section bytes.
     */
    static byte[] payload(final int type, final int ordinal, final int lengthBytes, final long seed)
    {
        final byte[] bytes = new byte[lengthBytes];
        final ByteBuffer out = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        final SplittableRandom random = new SplittableRandom(seed);
        final int longs = lengthBytes / Long.BYTES;
        for (int i = 1; i < longs; i++)
        {
            out.putLong(i * Long.BYTES, random.nextLong());
        }
        for (int at = longs * Long.BYTES; at < lengthBytes; at++)
        {
            bytes[at] = (byte)random.nextInt();
        }
        out.putLong(0, marker(type, ordinal));
        return bytes;
    }

    /**
     * A writer that already holds a one-feature FEATURE_SCHEMA and a METADATA section.
     *
     * @param name    artifact name.
     * @param version artifact version.
     * @return the writer.
     */
    static ArtifactWriter withSchemaAndMetadata(final String name, final long version)
    {
        return new ArtifactWriter(name, version)
            .createdMillis(1_700_000_000_000L)
            .addSection(SectionType.FEATURE_SCHEMA, 1, new FeatureSchemaWriter().numeric("x").toBytes())
            .metadata("{\"producer\":\"io.decide.bench\",\"version\":" + version + "}");
    }

    /**
     * A small artifact: schema, metadata and one 256-byte payload section of type {@link #PAYLOAD_TYPE}.
     *
     * @param name    artifact name.
     * @param version artifact version.
     * @return its bytes.
     */
    static byte[] small(final String name, final long version)
    {
        return withSchemaAndMetadata(name, version)
            .addSection(PAYLOAD_TYPE, 1, payload(PAYLOAD_TYPE, 0, 256, version))
            .toBytes();
    }

    /**
     * @return a new empty directory under {@code java.io.tmpdir}.
     * @throws IOException when it cannot be created.
     */
    static Path tempDirectory() throws IOException
    {
        return Files.createTempDirectory("decide-bench-");
    }

    /**
     * Delete a directory and everything in it; a missing directory is not an error.
     *
     * @param dir directory, or null.
     * @throws IOException when something cannot be deleted.
     */
    static void deleteRecursively(final Path dir) throws IOException
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Fail a benchmark's setup when what it would time is not what it claims to time.
     *
     * @param condition what must hold.
     * @param message   what was found instead.
     * @throws IllegalStateException when {@code condition} is false.
     */
    static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException("benchmark setup check failed: " + message);
        }
    }
}
