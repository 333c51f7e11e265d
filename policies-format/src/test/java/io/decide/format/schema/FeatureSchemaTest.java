package io.decide.format.schema;

import io.decide.format.ArtifactLayout;
import io.decide.format.SampleArtifacts;
import io.decide.format.SectionType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import static io.decide.format.ArtifactBytes.*;
import static io.decide.format.schema.FeatureSchemaDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * FEATURE_SCHEMA: what the writer produces reads back through {@link FeatureSchemaFlyweight}, and every rule of
 * {@link FeatureSchemaValidator} refuses with the section label and the absolute offset of the bad field. Bad
 * sections are built by editing writer output before it goes into the artifact, so all CRCs are right.
 */
final class FeatureSchemaTest
{
    private static final String LABEL = "FEATURE_SCHEMA #0";

    private static byte[] artifact(final byte[] schema)
    {
        return SampleArtifacts.single(SectionType.FEATURE_SCHEMA, VERSION, schema);
    }

    private static byte[] edited(final FeatureSchemaWriter writer, final Consumer<byte[]> change)
    {
        final byte[] schema = writer.toBytes();
        change.accept(schema);
        return artifact(schema);
    }

    private static FeatureSchemaWriter two()
    {
        return new FeatureSchemaWriter().numeric("alpha").numeric("alphb");
    }

    /** Absolute offset, in {@link #artifact}, of a position relative to the schema section. */
    private static long at(final byte[] artifact, final int relative)
    {
        return sectionOffset(artifact, 0) + (long)relative;
    }

    @Test
    void readsBackWhatWasWritten()
    {
        final byte[] bytes = SampleArtifacts.full();
        final ArtifactLayout layout = validate(bytes);
        final int index = layout.indexOf(SectionType.FEATURE_SCHEMA, 0);
        final FeatureSchemaFlyweight schema =
            new FeatureSchemaFlyweight().wrap(new UnsafeBuffer(bytes), layout.sectionOffset(index));
        assertEquals(4, schema.featureCount());
        assertEquals("ctr", schema.name(0));
        assertEquals("country", schema.name(1));
        assertEquals("is_new_user", schema.name(2));
        assertEquals("pr\u00e9c\u00e9dent_\u4e2d\u6587", schema.name(3));
        assertEquals(18, schema.nameLength(3));
        assertEquals(FeatureType.NUMERIC, FeatureType.fromCode(schema.typeCode(0)));
        assertEquals(FeatureType.CATEGORICAL, FeatureType.fromCode(schema.typeCode(1)));
        assertEquals(FeatureType.BOOLEAN, FeatureType.fromCode(schema.typeCode(2)));
        assertEquals(MissingValue.NAN, MissingValue.fromCode(schema.missingCode(0)));
        assertEquals(MissingValue.ZERO, MissingValue.fromCode(schema.missingCode(1)));
        assertEquals(MissingValue.NOT_ALLOWED, MissingValue.fromCode(schema.missingCode(2)));
        assertEquals(MissingValue.SENTINEL, MissingValue.fromCode(schema.missingCode(3)));
        assertEquals(-1.5, schema.sentinel(3));
        assertEquals(0L, Double.doubleToRawLongBits(schema.sentinel(0)));
        assertEquals(ENTRIES_OFFSET + 4 * ENTRY_LENGTH, schema.nameOffset(0));
        assertEquals(schema.nameOffset(0) + 3, schema.nameOffset(1));
    }

    @Test
    void roundTripsRandomSchemas()
    {
        final Random random = new Random(20240601);
        final String[] alphabet = {"a", "Z", "9", "_", " ", "\u00e9", "\u00df", "\u4e2d", "\u20ac", "\ud83d\ude00",
            "\"", "\u0000"};
        for (int round = 0; round < 200; round++)
        {
            final FeatureSchemaWriter writer = new FeatureSchemaWriter();
            final List<String> names = new ArrayList<>();
            final List<FeatureType> types = new ArrayList<>();
            final List<MissingValue> missing = new ArrayList<>();
            final List<Double> sentinels = new ArrayList<>();
            final Set<String> seen = new HashSet<>();
            final int n = random.nextInt(12);
            while (names.size() < n)
            {
                final StringBuilder name = new StringBuilder();
                final int length = 1 + random.nextInt(6);
                for (int i = 0; i < length; i++)
                {
                    name.append(alphabet[random.nextInt(alphabet.length)]);
                }
                if (!seen.add(name.toString()))
                {
                    continue;
                }
                final FeatureType type = FeatureType.values()[random.nextInt(FeatureType.values().length)];
                final MissingValue miss = MissingValue.values()[random.nextInt(MissingValue.values().length)];
                final double sentinel = random.nextBoolean() ? random.nextGaussian() * 1e6 : -random.nextInt(3);
                writer.add(name.toString(), type, miss, sentinel);
                names.add(name.toString());
                types.add(type);
                missing.add(miss);
                sentinels.add(miss == MissingValue.SENTINEL ? sentinel : 0.0);
            }
            final byte[] bytes = artifact(writer.toBytes());
            validate(bytes);
            final FeatureSchemaFlyweight schema =
                new FeatureSchemaFlyweight().wrap(new UnsafeBuffer(bytes), sectionOffset(bytes, 0));
            assertEquals(n, schema.featureCount());
            assertEquals(n, writer.size());
            for (int i = 0; i < n; i++)
            {
                assertEquals(names.get(i), schema.name(i));
                assertEquals(types.get(i).ordinal(), schema.typeCode(i));
                assertEquals(missing.get(i).ordinal(), schema.missingCode(i));
                assertEquals(Double.doubleToRawLongBits(sentinels.get(i)),
                    Double.doubleToRawLongBits(schema.sentinel(i)));
            }
        }
    }

    @Test
    void acceptsAnEmptySchemaAndLongestNames()
    {
        final byte[] empty = artifact(new FeatureSchemaWriter().toBytes());
        validate(empty);
        assertEquals(0, new FeatureSchemaFlyweight().wrap(new UnsafeBuffer(empty), sectionOffset(empty, 0))
            .featureCount());
        final String longest = "\u00e9".repeat(MAX_NAME_LENGTH / 2);
        final byte[] bytes = artifact(new FeatureSchemaWriter().numeric(longest).toBytes());
        assertEquals(longest, new FeatureSchemaFlyweight().wrap(new UnsafeBuffer(bytes), sectionOffset(bytes, 0))
            .name(0));
        validate(bytes);
    }

    @Test
    void writerRefusesWhatTheValidatorWouldRefuse()
    {
        final FeatureSchemaWriter writer = new FeatureSchemaWriter().numeric("a");
        assertThrows(IllegalArgumentException.class, () -> writer.numeric("a"));
        assertThrows(IllegalArgumentException.class, () -> writer.numeric(""));
        assertThrows(IllegalArgumentException.class, () -> writer.numeric("x".repeat(MAX_NAME_LENGTH + 1)));
        assertThrows(IllegalArgumentException.class, () -> writer.numeric("\u00e9".repeat(MAX_NAME_LENGTH / 2 + 1)));
        assertThrows(IllegalArgumentException.class,
            () -> writer.add("s", FeatureType.NUMERIC, MissingValue.SENTINEL, Double.NaN));
        assertThrows(IllegalArgumentException.class,
            () -> writer.add("s", FeatureType.NUMERIC, MissingValue.SENTINEL, Double.NEGATIVE_INFINITY));
        assertEquals(1, writer.size());
    }

    @Test
    void refusesASectionShorterThanItsHeader()
    {
        final byte[] bytes = artifact(new byte[7]);
        assertRefused(bytes, LABEL, at(bytes, 0), "section is 7 bytes, expected at least 8");
        final byte[] none = artifact(new byte[0]);
        assertRefused(none, LABEL, at(none, 0), "section is 0 bytes");
    }

    @Test
    void refusesAFeatureCountAboveTheLimit()
    {
        final byte[] bytes = edited(two(), s -> putInt(s, FEATURE_COUNT_OFFSET, MAX_FEATURES + 1));
        assertRefused(bytes, LABEL, at(bytes, FEATURE_COUNT_OFFSET), "feature count 1048577 exceeds 1048576");
        final byte[] negative = edited(two(), s -> putInt(s, FEATURE_COUNT_OFFSET, -1));
        assertRefused(negative, LABEL, at(negative, FEATURE_COUNT_OFFSET), "feature count 4294967295 exceeds");
    }

    @Test
    void refusesANonZeroReservedField()
    {
        final byte[] bytes = edited(two(), s -> s[RESERVED_OFFSET + 3] = 1);
        assertRefused(bytes, LABEL, at(bytes, RESERVED_OFFSET), "reserved field must be 0");
    }

    @Test
    void refusesEntriesThatDoNotFitTheSection()
    {
        final byte[] bytes = edited(two(), s -> putInt(s, FEATURE_COUNT_OFFSET, 3));
        final int length = two().toBytes().length;
        assertRefused(bytes, LABEL, at(bytes, FEATURE_COUNT_OFFSET),
            "3 entries need " + (ENTRIES_OFFSET + 3 * ENTRY_LENGTH) + " bytes, section has " + length);
    }

    @Test
    void refusesANameLengthOutside1To1024()
    {
        final int field = entryOffset(1) + ENTRY_NAME_LENGTH_OFFSET;
        final byte[] zero = edited(two(), s -> putInt(s, field, 0));
        assertRefused(zero, LABEL, at(zero, field), "feature 1: name length 0, expected 1..1024");
        final byte[] huge = edited(two(), s -> putInt(s, field, MAX_NAME_LENGTH + 1));
        assertRefused(huge, LABEL, at(huge, field), "feature 1: name length 1025");
        final byte[] negative = edited(two(), s -> putInt(s, field, -1));
        assertRefused(negative, LABEL, at(negative, field), "name length 4294967295");
    }

    @Test
    void refusesANameOutsideThePool()
    {
        final int field = entryOffset(0) + ENTRY_NAME_OFFSET_OFFSET;
        final int poolStart = ENTRIES_OFFSET + 2 * ENTRY_LENGTH;
        final int length = two().toBytes().length;
        final byte[] inEntries = edited(two(), s -> putInt(s, field, poolStart - 1));
        assertRefused(inEntries, LABEL, at(inEntries, field), "feature 0: name bytes [" + (poolStart - 1) + ", " +
            (poolStart + 4) + ") outside the name pool [" + poolStart + ", " + length + ")");
        final byte[] pastEnd = edited(two(), s -> putInt(s, field, length - 4));
        assertRefused(pastEnd, LABEL, at(pastEnd, field), "name bytes [" + (length - 4) + ", " + (length + 1) + ")");
        final byte[] wrapped = edited(two(), s -> putInt(s, field, -1));
        assertRefused(wrapped, LABEL, at(wrapped, field), "name bytes [4294967295, ");
        final byte[] longer = edited(two(), s -> putInt(s, entryOffset(1) + ENTRY_NAME_LENGTH_OFFSET, 6));
        assertRefused(longer, LABEL, at(longer, entryOffset(1)), "feature 1: name bytes");
    }

    @Test
    void refusesNamesThatAreNotUtf8()
    {
        final int poolStart = ENTRIES_OFFSET + 2 * ENTRY_LENGTH;
        final byte[][] bad = {{(byte)0xFF}, {(byte)0xC0, (byte)0x80}, {(byte)0xED, (byte)0xA0, (byte)0x80},
            {(byte)0xE4, (byte)0xB8}, {(byte)0x80}};
        for (final byte[] sequence : bad)
        {
            final FeatureSchemaWriter writer = new FeatureSchemaWriter().numeric("ok").numeric("abc");
            final byte[] bytes = edited(writer, s -> System.arraycopy(sequence, 0, s, poolStart + 2, sequence.length));
            assertRefused(bytes, LABEL, at(bytes, poolStart + 2), "feature 1: name is not valid UTF-8");
        }
    }

    @Test
    void refusesDuplicateNames()
    {
        final int lastByte = ENTRIES_OFFSET + 2 * ENTRY_LENGTH + 9;
        final byte[] bytes = edited(two(), s -> s[lastByte] = 'a');
        assertRefused(bytes, LABEL, at(bytes, entryOffset(1)), "feature 1: duplicate name 'alpha'");

        // Two entries pointing at the same bytes are the same name.
        final byte[] shared = edited(two(), s -> putInt(s, entryOffset(1) + ENTRY_NAME_OFFSET_OFFSET,
            getInt(s, entryOffset(0) + ENTRY_NAME_OFFSET_OFFSET)));
        assertRefused(shared, LABEL, at(shared, entryOffset(1)), "duplicate name 'alpha'");

        // Names are compared as decoded strings: distinct bytes, distinct names.
        validate(artifact(new FeatureSchemaWriter().numeric("e\u0301").numeric("\u00e9").toBytes()));
    }

    @Test
    void refusesUnknownTypeAndMissingCodes()
    {
        final int type = entryOffset(1) + ENTRY_TYPE_OFFSET;
        final byte[] badType = edited(two(), s -> s[type] = 3);
        assertRefused(badType, LABEL, at(badType, type), "feature 'alphb': unknown type code 3");
        final byte[] highType = edited(two(), s -> s[type] = (byte)0xFF);
        assertRefused(highType, LABEL, at(highType, type), "unknown type code 255");

        final int missing = entryOffset(0) + ENTRY_MISSING_OFFSET;
        final byte[] badMissing = edited(two(), s -> s[missing] = 4);
        assertRefused(badMissing, LABEL, at(badMissing, missing), "feature 'alpha': unknown missing-value code 4");
    }

    @Test
    void refusesNonZeroReservedEntryBytes()
    {
        for (int i = 0; i < 6; i++)
        {
            final int reserved =
                entryOffset(1) + (i < 2 ? ENTRY_RESERVED16_OFFSET + i : ENTRY_RESERVED32_OFFSET + i - 2);
            final byte[] bytes = edited(two(), s -> s[reserved] = 1);
            assertRefused(bytes, LABEL, at(bytes, entryOffset(1) + ENTRY_RESERVED16_OFFSET),
                "feature 'alphb': reserved bytes must be 0");
        }
    }

    @Test
    void refusesSentinelsThatBreakTheMissingValueRule()
    {
        final int sentinel = entryOffset(0) + ENTRY_SENTINEL_OFFSET;
        final FeatureSchemaWriter withSentinel =
            new FeatureSchemaWriter().add("s", FeatureType.NUMERIC, MissingValue.SENTINEL, -1);
        for (final double value : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
        {
            final byte[] bytes = edited(withSentinel, s -> putDouble(s, sentinel, value));
            assertRefused(bytes, LABEL, at(bytes, sentinel), "feature 's': sentinel " + value + " must be finite");
        }
        for (final double value : new double[]{1.0, -0.0, Double.MIN_VALUE, Double.NaN})
        {
            final byte[] bytes = edited(two(), s -> putDouble(s, sentinel, value));
            assertRefused(bytes, LABEL, at(bytes, sentinel),
                "feature 'alpha': sentinel " + value + " must be 0 unless missing = SENTINEL");
        }
        final byte[] zeroSentinel = edited(withSentinel, s -> putDouble(s, sentinel, 0.0));
        validate(zeroSentinel);
        validate(edited(withSentinel, s -> putDouble(s, sentinel, -0.0)));
    }

    @Test
    void writesSentinelZeroUnlessMissingIsSentinel()
    {
        final byte[] schema = new FeatureSchemaWriter()
            .add("a", FeatureType.BOOLEAN, MissingValue.ZERO, 42.0).toBytes();
        assertEquals(0L, getLong(schema, entryOffset(0) + ENTRY_SENTINEL_OFFSET));
        assertEquals(1, schema[entryOffset(0) + ENTRY_NAME_LENGTH_OFFSET]);
        assertEquals("a", new String(schema, ENTRIES_OFFSET + ENTRY_LENGTH, 1, StandardCharsets.UTF_8));
    }

    @Test
    void decodesCodes()
    {
        assertNull(FeatureType.fromCode(-1));
        assertNull(FeatureType.fromCode(3));
        assertEquals(FeatureType.BOOLEAN, FeatureType.fromCode(2));
        assertNull(MissingValue.fromCode(-1));
        assertNull(MissingValue.fromCode(4));
        assertEquals(MissingValue.NOT_ALLOWED, MissingValue.fromCode(3));
    }
}
