package io.decide.testsupport;

import io.decide.format.ArtifactDescriptor;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionTableDescriptor;
import io.decide.format.SectionType;
import io.decide.format.schema.FeatureSchemaDescriptor;
import io.decide.format.schema.FeatureSchemaWriter;
import io.decide.format.schema.FeatureType;
import io.decide.format.schema.MissingValue;
import io.decide.format.signature.KeyFiles;
import io.decide.format.vectors.Tolerance;
import org.agrona.concurrent.UnsafeBuffer;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Valid {@code .dpol} artifacts for other modules' tests: fixed builders ({@link #simple}, {@link #withPayload}),
 * a QuickTheories generator of random valid artifacts ({@link #artifactSpecs()}), a seeded corpus for mutation
 * fuzzing ({@link #corpus}), and {@link #recomputeChecksums} so a mutated artifact is refused by the check the
 * mutation targets rather than by a CRC.
 */
public final class ArtifactFixtures
{
    /** Section type of the payload written by {@link #withPayload}; unknown to the built-in validator. */
    public static final int PAYLOAD_TYPE = 1000;
    /** Section type of the opaque section in {@link #simple}; unknown to the built-in validator. */
    public static final int SIMPLE_UNKNOWN_TYPE = 900;
    /** Creation time of the fixed artifacts. */
    public static final long CREATED_MILLIS = 1_700_000_000_000L;

    /** Signing keys the generator and corpus choose from, generated once per JVM with {@link KeyFiles#generate()}. */
    private static final List<KeyPair> KEYS = List.of(KeyFiles.generate(), KeyFiles.generate(), KeyFiles.generate());

    private static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    private static final String[] FEATURE_NAME_PARTS = {"a", "b", "z", "Q", "0", "7", "_", "-", " ", ".", "\u00e9",
        "\u00df", "\u00f1", "\u00fc", "\u4e2d", "\u6587", "\u20ac", "\ud83d\ude00"};
    private static final String[] JSON_STRING_PARTS = {"a", "Z", " ", "0", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n",
        "\\r", "\\t", "\\u00e9", "\\uD83D\\uDE00", "\u00e9", "\u4e2d", "\ud83d\ude00", "'", "{", "]"};
    /** Random unknown sections use types from here up: ids below 256 are left to the project's own layouts. */
    private static final int MIN_UNKNOWN_TYPE = 256;
    private static final int[] REPEATED_UNKNOWN_TYPES = {300, 901, 4242, 0xFFFF};
    private static final double[] SPECIAL_DOUBLES = {0.0, -0.0, 1.0, -1.0, 0.5, Double.MIN_VALUE, -Double.MIN_VALUE,
        Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, 1e300, 123456.789};
    private static final double[] TOLERANCES = {0.0, 1e-12, 1e-6, 0.5, 3.0};
    private static final int MAX_JSON_DEPTH = 3;

    private ArtifactFixtures()
    {
    }

    /** A source of bounded random longs: QuickTheories randomness (shrinkable) or a seeded {@link Random}. */
    @FunctionalInterface
    private interface Draw
    {
        long between(long min, long max);

        default int between(final int min, final int max)
        {
            return (int)between((long)min, (long)max);
        }

        default boolean percent(final int percent)
        {
            return between(0, 99) < percent;
        }
    }

    private static Draw draw(final RandomnessSource in)
    {
        return (min, max) -> in.next(Constraint.between(min, max));
    }

    private static Draw draw(final Random random)
    {
        return (min, max) ->
        {
            if (min == max)
            {
                return min;
            }
            final long span = max - min + 1;
            if (span > 0)
            {
                return min + random.nextLong(span);
            }
            while (true)
            {
                final long value = random.nextLong();
                if (value >= min && value <= max)
                {
                    return value;
                }
            }
        };
    }

    /** @return the key pairs signed artifacts of the generator and corpus are signed with (same for the JVM's life). */
    public static List<KeyPair> signingKeys()
    {
        return KEYS;
    }

    /**
     * A small valid artifact: FEATURE_SCHEMA with four features (one of each type and several missing-value
     * kinds), METADATA naming the artifact, and a 100-byte section of type {@link #SIMPLE_UNKNOWN_TYPE}.
     *
     * @param name    artifact name.
     * @param version artifact version.
     * @return the bytes.
     */
    public static byte[] simple(final String name, final long version)
    {
        return simpleWriter(name, version).toBytes();
    }

    /**
     * {@link #simple} signed.
     *
     * @param name    artifact name.
     * @param version artifact version.
     * @param keys    Ed25519 keys.
     * @return the bytes; SIGNATURE is the last section.
     */
    public static byte[] signed(final String name, final long version, final KeyPair keys)
    {
        return simpleWriter(name, version).signWith(keys.getPrivate(), keys.getPublic()).toBytes();
    }

    private static ArtifactWriter simpleWriter(final String name, final long version)
    {
        final FeatureSchemaWriter schema = new FeatureSchemaWriter()
            .add("ctr", FeatureType.NUMERIC, MissingValue.NAN, 0.0)
            .add("country", FeatureType.CATEGORICAL, MissingValue.ZERO, 0.0)
            .add("is_new_user", FeatureType.BOOLEAN, MissingValue.NOT_ALLOWED, 0.0)
            .add("price", FeatureType.NUMERIC, MissingValue.SENTINEL, -1.0);
        final byte[] opaque = new byte[100];
        for (int i = 0; i < opaque.length; i++)
        {
            opaque[i] = (byte)(i * 31 + 7);
        }
        return new ArtifactWriter(name, version)
            .createdMillis(CREATED_MILLIS)
            .addSection(SectionType.FEATURE_SCHEMA, FeatureSchemaDescriptor.VERSION, schema.toBytes())
            .metadata("{\"name\":\"" + name + "\",\"version\":" + version + ",\"tool\":\"test-support\"}")
            .addSection(SIMPLE_UNKNOWN_TYPE, 1, opaque);
    }

    /**
     * An artifact with one section, of type {@link #PAYLOAD_TYPE}, holding {@code payloadBytes / 8} little-endian
     * longs all equal to {@code fillValue}: a reader that sees a mix of values has seen two versions at once.
     *
     * @param name         artifact name.
     * @param version      artifact version.
     * @param payloadBytes section length, a non-negative multiple of 8.
     * @param fillValue    value of every long.
     * @return the bytes; the payload is table index 0.
     */
    public static byte[] withPayload(
        final String name, final long version, final int payloadBytes, final long fillValue)
    {
        if (payloadBytes < 0 || (payloadBytes & 7) != 0)
        {
            throw new IllegalArgumentException("payloadBytes must be a non-negative multiple of 8: " + payloadBytes);
        }
        final byte[] payload = new byte[payloadBytes];
        final ByteBuffer out = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < payloadBytes; at += 8)
        {
            out.putLong(at, fillValue);
        }
        return new ArtifactWriter(name, version).createdMillis(CREATED_MILLIS).addSection(PAYLOAD_TYPE, 1, payload)
            .toBytes();
    }

    /**
     * Publish an artifact as a file the way tools do ({@link ArtifactWriter#writeAtomically}).
     *
     * @param dir      directory, created if needed.
     * @param bytes    artifact.
     * @param fileName file name, conventionally {@code NAME-vVERSION.dpol}.
     * @return the file.
     * @throws UncheckedIOException on failure.
     */
    public static Path write(final Path dir, final byte[] bytes, final String fileName)
    {
        try
        {
            return ArtifactWriter.writeAtomically(dir.resolve(fileName), bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + dir.resolve(fileName), ex);
        }
    }

    /**
     * Recompute, in place, the CRC32C of every section whose table entry and byte range lie inside the array (the
     * table as the header describes it, at most {@link ArtifactDescriptor#MAX_SECTIONS} entries), then the
     * whole-file CRC32C over the array's length with the file CRC field taken as zero. After a mutation this
     * makes the validator reach the check the mutation aims at instead of stopping at a CRC. It does not
     * re-sign: a signed artifact stays refused by a validator that checks signatures.
     *
     * @param bytes an artifact, possibly damaged.
     * @return the same array.
     */
    public static byte[] recomputeChecksums(final byte[] bytes)
    {
        final int fileCrcOffset = ArtifactDescriptor.FILE_CRC_OFFSET;
        if (bytes.length < fileCrcOffset + 4)
        {
            return bytes;
        }
        final ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final long tableOffset = le.getInt(ArtifactDescriptor.SECTION_TABLE_OFFSET_OFFSET) & 0xFFFF_FFFFL;
        final long count = Math.min(le.getInt(ArtifactDescriptor.SECTION_COUNT_OFFSET) & 0xFFFF_FFFFL,
            ArtifactDescriptor.MAX_SECTIONS);
        for (long i = 0; i < count; i++)
        {
            final long entry = tableOffset + i * SectionTableDescriptor.ENTRY_LENGTH;
            if (entry + SectionTableDescriptor.ENTRY_LENGTH > bytes.length)
            {
                break;
            }
            final long offset = le.getLong((int)entry + SectionTableDescriptor.OFFSET_OFFSET);
            final long length = le.getLong((int)entry + SectionTableDescriptor.LENGTH_OFFSET);
            if (offset >= 0 && length >= 0 && offset <= bytes.length && length <= bytes.length - offset)
            {
                final CRC32C crc = new CRC32C();
                crc.update(bytes, (int)offset, (int)length);
                le.putInt((int)entry + SectionTableDescriptor.CRC_OFFSET, (int)crc.getValue());
            }
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, fileCrcOffset);
        crc.update(new byte[4]);
        crc.update(bytes, fileCrcOffset + 4, bytes.length - fileCrcOffset - 4);
        le.putInt(fileCrcOffset, (int)crc.getValue());
        return bytes;
    }

    /**
     * The same artifact as a newer minor version of the format would write it: minor version {@code minor} and
     * a 192-byte header whose 64 extra bytes are non-zero (fields this reader does not know), the table and
     * sections moved 64 bytes on. Readers of major version 1 must accept it.
     *
     * @param unsigned an unsigned artifact with the standard 128-byte header.
     * @param minor    minor version to declare.
     * @return the new bytes, with CRCs recomputed.
     */
    public static byte[] asNewerMinor(final byte[] unsigned, final int minor)
    {
        final ByteBuffer in = ByteBuffer.wrap(unsigned).order(ByteOrder.LITTLE_ENDIAN);
        final int headerLength = in.getInt(ArtifactDescriptor.HEADER_LENGTH_OFFSET);
        final int tableOffset = in.getInt(ArtifactDescriptor.SECTION_TABLE_OFFSET_OFFSET);
        final int count = in.getInt(ArtifactDescriptor.SECTION_COUNT_OFFSET);
        if (headerLength != ArtifactDescriptor.HEADER_LENGTH || tableOffset != ArtifactDescriptor.HEADER_LENGTH)
        {
            throw new IllegalArgumentException("expected the 128-byte header with the table right after it");
        }
        final int extra = ArtifactDescriptor.ALIGNMENT;
        final byte[] out = new byte[unsigned.length + extra];
        System.arraycopy(unsigned, 0, out, 0, headerLength);
        System.arraycopy(unsigned, headerLength, out, headerLength + extra, unsigned.length - headerLength);
        for (int i = headerLength; i < headerLength + extra; i++)
        {
            out[i] = (byte)(0xA0 + (i & 0xF));
        }
        final ByteBuffer le = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        le.putShort(ArtifactDescriptor.MINOR_OFFSET, (short)minor);
        le.putInt(ArtifactDescriptor.HEADER_LENGTH_OFFSET, headerLength + extra);
        le.putLong(ArtifactDescriptor.FILE_LENGTH_OFFSET, out.length);
        le.putInt(ArtifactDescriptor.SECTION_TABLE_OFFSET_OFFSET, tableOffset + extra);
        for (int i = 0; i < count; i++)
        {
            final int entry = SectionTableDescriptor.entryOffset(tableOffset + extra, i);
            if ((le.getShort(entry + SectionTableDescriptor.TYPE_OFFSET) & 0xFFFF) == SectionType.SIGNATURE)
            {
                throw new IllegalArgumentException("a signed artifact cannot be moved: its signature would break");
            }
            final int field = entry + SectionTableDescriptor.OFFSET_OFFSET;
            le.putLong(field, le.getLong(field) + extra);
        }
        return recomputeChecksums(out);
    }

    /**
     * Random valid artifacts, small so that fuzz and property tests can draw many: names from
     * [A-Za-z0-9._-] of 1..64 characters, any version >= 1, a creation time, usually a feature schema (UTF-8
     * names including non-ASCII, every {@link FeatureType} and {@link MissingValue}), often METADATA (a JSON
     * object with nested arrays, objects, escapes and numbers), 0..3 sections of types 256..65535 (unknown to the
     * validator; types may repeat) and layout versions 0..65535 holding 0..400 random bytes,
     * sometimes verification vectors aimed at an existing section, sometimes a signature by one of
     * {@link #signingKeys()}. Shrinks through QuickTheories' randomness.
     *
     * @return the generator.
     */
    public static Gen<ArtifactSpec> artifactSpecs()
    {
        return in -> spec(draw(in), false, 40, 20);
    }

    /** @return {@link #artifactSpecs()} written to bytes. */
    public static Gen<byte[]> artifacts()
    {
        return artifactSpecs().map(ArtifactSpec::toBytes);
    }

    /**
     * One random artifact of the kind {@link #artifactSpecs()} generates, from a seeded {@link Random}.
     *
     * @param random randomness.
     * @return the spec.
     */
    public static ArtifactSpec randomSpec(final Random random)
    {
        return spec(draw(random), false, 40, 20);
    }

    /**
     * Diverse valid artifacts for mutation fuzzing, the same list for the same seed within a JVM (signed entries
     * differ between JVMs: the keys are generated per JVM). The list cycles through: {@link #simple},
     * {@link #withPayload}, random artifacts whose VERIFICATION_VECTORS groups target the FEATURE_SCHEMA section
     * (unsigned and signed), a random artifact as a newer minor version with a longer header, an artifact with
     * no sections, and two plain random artifacts. Every entry is checked with a default validator.
     *
     * @param seed  seed.
     * @param count number of artifacts.
     * @return the artifacts.
     */
    public static List<byte[]> corpus(final long seed, final int count)
    {
        final Random random = new Random(seed);
        final Draw d = draw(random);
        final ArtifactValidator validator = new ArtifactValidator();
        final List<byte[]> corpus = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final byte[] bytes;
            switch (i % 8)
            {
                case 0 -> bytes = simple("corpus-" + i, 1 + i);
                case 1 -> bytes = withPayload("payload." + i, 1 + i, 8 * d.between(0, 40), random.nextLong());
                case 2 -> bytes = spec(d, true, 100, 0).toBytes();
                case 3 -> bytes = spec(d, true, 100, 100).toBytes();
                case 4 -> bytes = asNewerMinor(spec(d, false, 50, 0).toBytes(), d.between(1, 0xFFFF));
                case 5 -> bytes = new ArtifactWriter(name(d), 1 + i).createdMillis(d.between(0L, CREATED_MILLIS))
                    .toBytes();
                default -> bytes = spec(d, false, 40, 25).toBytes();
            }
            try
            {
                validator.validate("corpus[" + i + "]", new UnsafeBuffer(bytes), bytes.length);
            }
            catch (final ArtifactFormatException ex)
            {
                throw new IllegalStateException("fixture bug: corpus entry " + i + " is invalid", ex);
            }
            corpus.add(bytes);
        }
        return corpus;
    }

    private static ArtifactSpec spec(
        final Draw d, final boolean schemaVectors, final int vectorsPercent, final int signPercent)
    {
        final String name = name(d);
        final long version = d.percent(10) ? Long.MAX_VALUE - d.between(0L, 3L) : d.between(1L, 1000L);
        final long created = d.percent(10) ? 0 : d.between(0L, 4_102_444_800_000L);
        final List<ArtifactSpec.Feature> features =
            schemaVectors || d.percent(85) ? features(d, schemaVectors ? 1 : 0) : null;
        final String metadata = d.percent(60) ? jsonObject(d) : null;
        final List<ArtifactSpec.Section> unknown = unknownSections(d);

        final List<int[]> targets = new ArrayList<>();
        if (features != null)
        {
            targets.add(new int[]{SectionType.FEATURE_SCHEMA, 0});
        }
        if (!schemaVectors)
        {
            if (metadata != null)
            {
                targets.add(new int[]{SectionType.METADATA, 0});
            }
            for (int i = 0; i < unknown.size(); i++)
            {
                int ordinal = 0;
                for (int j = 0; j < i; j++)
                {
                    ordinal += unknown.get(j).type() == unknown.get(i).type() ? 1 : 0;
                }
                targets.add(new int[]{unknown.get(i).type(), ordinal});
            }
        }
        final List<ArtifactSpec.VectorGroup> groups = new ArrayList<>();
        if (!targets.isEmpty() && d.percent(vectorsPercent))
        {
            for (int g = 0, n = d.between(1, 3); g < n; g++)
            {
                groups.add(vectorGroup(d, targets.get(d.between(0, targets.size() - 1))));
            }
        }
        final KeyPair keys = d.percent(signPercent) ? KEYS.get(d.between(0, KEYS.size() - 1)) : null;
        return new ArtifactSpec(name, version, created, features, metadata, unknown, groups, keys);
    }

    private static String name(final Draw d)
    {
        final int length = d.percent(10) ? ArtifactDescriptor.NAME_MAX_LENGTH : d.between(1, 16);
        final StringBuilder name = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            name.append(NAME_CHARS.charAt(d.between(0, NAME_CHARS.length() - 1)));
        }
        return name.toString();
    }

    private static List<ArtifactSpec.Feature> features(final Draw d, final int min)
    {
        final int n = d.between(min, 6);
        final List<ArtifactSpec.Feature> features = new ArrayList<>(n);
        final Set<String> names = new HashSet<>();
        while (features.size() < n)
        {
            final StringBuilder name = new StringBuilder();
            for (int i = 0, length = d.between(1, 8); i < length; i++)
            {
                name.append(FEATURE_NAME_PARTS[d.between(0, FEATURE_NAME_PARTS.length - 1)]);
            }
            if (!names.add(name.toString()))
            {
                name.append('#').append(features.size());
                names.add(name.toString());
            }
            final FeatureType type = FeatureType.values()[d.between(0, FeatureType.values().length - 1)];
            final MissingValue missing = MissingValue.values()[d.between(0, MissingValue.values().length - 1)];
            final double sentinel = missing == MissingValue.SENTINEL ? finiteDouble(d) : 0.0;
            features.add(new ArtifactSpec.Feature(name.toString(), type, missing, sentinel));
        }
        return features;
    }

    private static List<ArtifactSpec.Section> unknownSections(final Draw d)
    {
        final int n = d.between(0, 3);
        final List<ArtifactSpec.Section> sections = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final int type = d.percent(50) ?
                REPEATED_UNKNOWN_TYPES[d.between(0, REPEATED_UNKNOWN_TYPES.length - 1)] :
                d.between(MIN_UNKNOWN_TYPE, SectionType.MAX_TYPE_ID);
            final int sizeKind = d.between(0, 9);
            final int size = sizeKind < 2 ? 0 : sizeKind < 8 ? d.between(1, 64) : d.between(65, 400);
            final byte[] bytes = new byte[size];
            final long seed = d.between(Long.MIN_VALUE, Long.MAX_VALUE);
            if (seed % 4 != 0)
            {
                new Random(seed).nextBytes(bytes);
            }
            sections.add(new ArtifactSpec.Section(type, d.between(0, 0xFFFF), bytes));
        }
        return sections;
    }

    private static ArtifactSpec.VectorGroup vectorGroup(final Draw d, final int[] target)
    {
        final Tolerance tolerance = Tolerance.values()[d.between(0, Tolerance.values().length - 1)];
        final double value = tolerance == Tolerance.EXACT ? 0.0 : tolerance == Tolerance.ULPS ?
            d.between(0, 16) : TOLERANCES[d.between(0, TOLERANCES.length - 1)];
        final int in = d.between(1, 3);
        final int out = d.between(1, 3);
        final int count = d.between(0, 3);
        final double[][] inputs = new double[count][in];
        final double[][] expected = new double[count][out];
        for (int v = 0; v < count; v++)
        {
            for (int i = 0; i < in; i++)
            {
                inputs[v][i] = anyDouble(d);
            }
            for (int o = 0; o < out; o++)
            {
                expected[v][o] = anyDouble(d);
            }
        }
        return new ArtifactSpec.VectorGroup(target[0], target[1], d.between(0, 3), in, out, tolerance, value, inputs,
            expected);
    }

    private static double finiteDouble(final Draw d)
    {
        return switch (d.between(0, 3))
        {
            case 0 -> d.between(-5, 5);
            case 1 -> SPECIAL_DOUBLES[d.between(0, SPECIAL_DOUBLES.length - 1)];
            case 2 -> d.between(-1_000_000_000L, 1_000_000_000L) / 1024.0;
            default ->
            {
                final double bits = Double.longBitsToDouble(d.between(Long.MIN_VALUE, Long.MAX_VALUE));
                yield Double.isFinite(bits) ? bits : 0.25;
            }
        };
    }

    private static double anyDouble(final Draw d)
    {
        final int kind = d.between(0, 19);
        return kind == 0 ? Double.NaN : kind == 1 ? Double.POSITIVE_INFINITY : kind == 2 ? Double.NEGATIVE_INFINITY :
            finiteDouble(d);
    }

    private static String jsonObject(final Draw d)
    {
        final StringBuilder out = new StringBuilder();
        if (d.percent(20))
        {
            out.append(" \n");
        }
        object(d, out, 1);
        if (d.percent(20))
        {
            out.append("\r\n\t");
        }
        return out.toString();
    }

    private static void object(final Draw d, final StringBuilder out, final int depth)
    {
        out.append('{');
        for (int i = 0, n = d.between(0, 4); i < n; i++)
        {
            out.append(i > 0 ? (d.percent(50) ? ", " : ",") : "");
            string(d, out);
            out.append(d.percent(50) ? ": " : ":");
            value(d, out, depth);
        }
        out.append('}');
    }

    private static void value(final Draw d, final StringBuilder out, final int depth)
    {
        final boolean nest = depth < MAX_JSON_DEPTH;
        switch (d.between(0, nest ? 7 : 5))
        {
            case 0 -> out.append(d.between(-1_000_000_000_000L, 1_000_000_000_000L));
            case 1 -> number(d, out);
            case 2 -> string(d, out);
            case 3 -> out.append(d.percent(50) ? "true" : "false");
            case 4 -> out.append("null");
            case 5 -> out.append(d.between(-3, 3)).append(".0e").append(d.between(-300, 300));
            case 6 -> object(d, out, depth + 1);
            default ->
            {
                out.append('[');
                for (int i = 0, n = d.between(0, 3); i < n; i++)
                {
                    out.append(i > 0 ? "," : "");
                    value(d, out, depth + 1);
                }
                out.append(']');
            }
        }
    }

    private static void number(final Draw d, final StringBuilder out)
    {
        if (d.percent(30))
        {
            out.append('-');
        }
        out.append(d.percent(20) ? 0 : d.between(1, 99_999));
        if (d.percent(60))
        {
            out.append('.').append(d.between(0, 999));
        }
        if (d.percent(30))
        {
            out.append(d.percent(50) ? 'e' : 'E').append(d.percent(50) ? "-" : d.percent(50) ? "+" : "")
                .append(d.between(0, 99));
        }
    }

    private static void string(final Draw d, final StringBuilder out)
    {
        out.append('"');
        for (int i = 0, n = d.between(0, 6); i < n; i++)
        {
            out.append(JSON_STRING_PARTS[d.between(0, JSON_STRING_PARTS.length - 1)]);
        }
        out.append('"');
    }
}
