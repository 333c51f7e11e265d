package io.decide.format;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.decide.format.ArtifactBytes.*;
import static io.decide.format.ArtifactDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * One test per refusal rule of {@link ArtifactValidator} itself (header, section table, layout, CRCs, section
 * counts and versions). Each mutates a valid artifact and recomputes its CRCs, so the rule under test, not a
 * checksum, is what refuses; each asserts the region, offset and reason of the refusal.
 */
final class ArtifactValidatorTest
{
    private static final byte[] VALID = SampleArtifacts.full();

    @Test
    void acceptsTheSample()
    {
        final ArtifactLayout layout = validate(VALID);
        assertEquals(4, layout.sectionCount());
        assertEquals(SampleArtifacts.NAME, layout.name());
    }

    @Test
    void refusesFilesOver2GiBBeforeReadingThem()
    {
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class,
            () -> new ArtifactValidator().validate(SOURCE, new UnsafeBuffer(VALID), MAX_FILE_LENGTH + 1));
        assertEquals("file", ex.section());
        assertEquals(-1, ex.offset());
        assertTrue(ex.reason().contains("2 GiB"), ex.reason());
        assertEquals(SOURCE + ": file: " + ex.reason(), ex.getMessage());
    }

    @Test
    void refusesALengthLargerThanTheBuffer()
    {
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class,
            () -> new ArtifactValidator().validate(SOURCE, new UnsafeBuffer(VALID), VALID.length + 1L));
        assertEquals("file", ex.section());
        assertEquals(-1, ex.offset());
        assertTrue(ex.reason().contains("buffer holds only " + VALID.length), ex.reason());
    }

    @Test
    void validatesOnlyTheGivenLengthOfALargerBuffer()
    {
        final byte[] larger = new byte[VALID.length + 4096];
        System.arraycopy(VALID, 0, larger, 0, VALID.length);
        larger[VALID.length + 1] = 42;
        final ArtifactLayout layout =
            new ArtifactValidator().validate(SOURCE, new UnsafeBuffer(larger), VALID.length);
        assertEquals(VALID.length, layout.fileLength());
    }

    @Test
    void refusesAFileShorterThanTheHeader()
    {
        assertRefused(slice(VALID, 0, HEADER_LENGTH - 1), "header", 0, "file is 127 bytes, shorter than the 128");
        assertRefused(new byte[0], "header", 0, "file is 0 bytes");
    }

    @Test
    void refusesBadMagicInEachByte()
    {
        for (int i = 0; i < 8; i++)
        {
            final int at = MAGIC_OFFSET + i;
            assertRefused(mutated(VALID, b -> b[at] ^= 0x20), "header", MAGIC_OFFSET, "bad magic");
        }
        final byte[] text = mutated(VALID, b -> b[0] = 'P');
        assertTrue(assertRefused(text, "header", 0, "not a .dpol artifact").reason().contains("bad magic 0x"));
    }

    @Test
    void refusesAnotherMajorVersion()
    {
        assertRefused(mutated(VALID, b -> putShort(b, MAJOR_OFFSET, 2)), "header", MAJOR_OFFSET,
            "format major version 2 is not supported, this reader understands major version 1");
        assertRefused(mutated(VALID, b -> putShort(b, MAJOR_OFFSET, 0)), "header", MAJOR_OFFSET,
            "format major version 0");
        assertRefused(mutated(VALID, b -> putShort(b, MAJOR_OFFSET, 0xFFFF)), "header", MAJOR_OFFSET,
            "format major version 65535");
    }

    @Test
    void toleratesANewerMinorVersion()
    {
        final ArtifactLayout layout = validate(mutated(VALID, b -> putShort(b, MINOR_OFFSET, 9)));
        assertEquals(1, layout.major());
        assertEquals(9, layout.minor());
        assertEquals(4, layout.sectionCount());
    }

    @Test
    void toleratesALongerHeaderWithUnknownFieldsAndFindsTheTableByItsOffset()
    {
        final byte[] longer = withLongerHeader(mutated(VALID, b -> putShort(b, MINOR_OFFSET, 3)), 192, 64, (byte)0x5A);
        final ArtifactLayout original = validate(VALID);
        final ArtifactLayout layout = validate(longer);
        assertEquals(3, layout.minor());
        assertEquals(original.sectionCount(), layout.sectionCount());
        for (int i = 0; i < layout.sectionCount(); i++)
        {
            assertEquals(original.sectionType(i), layout.sectionType(i));
            assertEquals(original.sectionOffset(i) + 64, layout.sectionOffset(i));
            assertArrayEquals(slice(VALID, original.sectionOffset(i), original.sectionOffset(i) +
                original.sectionLength(i)), slice(longer, layout.sectionOffset(i), layout.sectionOffset(i) +
                layout.sectionLength(i)));
        }
    }

    @Test
    void refusesNonZeroBytesBetweenALongerHeaderAndTheTable()
    {
        final byte[] longer = withLongerHeader(VALID, 136, 64, (byte)1);
        assertEquals(1, longer[135]);
        validate(longer);
        assertRefused(mutated(longer, b -> b[140] = 9), "padding", 140, "padding byte 0x9 outside every section");
    }

    @Test
    void refusesABadHeaderLength()
    {
        assertRefused(mutated(VALID, b -> putInt(b, HEADER_LENGTH_OFFSET, 120)), "header", HEADER_LENGTH_OFFSET,
            "header length 120, expected a multiple of 8 in [128, " + VALID.length + "]");
        assertRefused(mutated(VALID, b -> putInt(b, HEADER_LENGTH_OFFSET, 132)), "header", HEADER_LENGTH_OFFSET,
            "header length 132");
        assertRefused(mutated(VALID, b -> putInt(b, HEADER_LENGTH_OFFSET, VALID.length + 8)), "header",
            HEADER_LENGTH_OFFSET, "header length " + (VALID.length + 8));
        assertRefused(mutated(VALID, b -> putInt(b, HEADER_LENGTH_OFFSET, -8)), "header", HEADER_LENGTH_OFFSET,
            "header length 4294967288");
    }

    @Test
    void refusesATruncatedOrExtendedFile()
    {
        final byte[] truncated = recomputeChecksums(slice(VALID, 0, VALID.length - 1));
        assertRefused(truncated, "header", FILE_LENGTH_OFFSET, "header says the file is " + VALID.length +
            " bytes but it is " + (VALID.length - 1) + " (truncated or extended?)");
        final byte[] extended = recomputeChecksums(java.util.Arrays.copyOf(VALID, VALID.length + 64));
        assertRefused(extended, "header", FILE_LENGTH_OFFSET, "but it is " + (VALID.length + 64));
        final byte[] headerOnly = recomputeChecksums(slice(VALID, 0, HEADER_LENGTH));
        assertRefused(headerOnly, "header", FILE_LENGTH_OFFSET, "but it is 128");
    }

    @Test
    void refusesAFileLengthFieldThatDisagreesWithTheFile()
    {
        assertRefused(mutated(VALID, b -> putLong(b, FILE_LENGTH_OFFSET, VALID.length - 64L)), "header",
            FILE_LENGTH_OFFSET, "header says the file is " + (VALID.length - 64));
        assertRefused(mutated(VALID, b -> putLong(b, FILE_LENGTH_OFFSET, -1L)), "header", FILE_LENGTH_OFFSET,
            "header says the file is -1");
    }

    @Test
    void refusesNonZeroFlags()
    {
        assertRefused(mutated(VALID, b -> putInt(b, FLAGS_OFFSET, 0x10)), "header", FLAGS_OFFSET,
            "flags 0x10, expected 0");
    }

    @Test
    void refusesNonZeroReservedHeaderBytes()
    {
        for (int i = 0; i < RESERVED_LENGTH; i++)
        {
            final int at = RESERVED_OFFSET + i;
            assertRefused(mutated(VALID, b -> b[at] = 1), "header", at, "reserved byte must be 0");
        }
    }

    @Test
    void refusesANameLengthOutside1To64()
    {
        assertRefused(mutated(VALID, b -> putShort(b, NAME_LENGTH_OFFSET, 0)), "header", NAME_LENGTH_OFFSET,
            "name length 0, expected 1..64");
        assertRefused(mutated(VALID, b -> putShort(b, NAME_LENGTH_OFFSET, 65)), "header", NAME_LENGTH_OFFSET,
            "name length 65");
    }

    @Test
    void refusesEachCharacterOutsideTheNameAlphabet()
    {
        for (final char c : new char[]{'!', ' ', '/', '\\', ':', '@', '~', '+', '\0', '\n', 0x7F, 0x80, 0xE9})
        {
            final byte[] bad = mutated(VALID, b -> b[NAME_OFFSET + 2] = (byte)c);
            assertRefused(bad, "header", NAME_OFFSET + 2,
                "name byte 0x" + Integer.toHexString(c) + " is not one of [A-Za-z0-9._-]");
        }
        for (final char c : "azAZ09._-".toCharArray())
        {
            validate(mutated(VALID, b -> b[NAME_OFFSET + 2] = (byte)c));
        }
    }

    @Test
    void refusesNonZeroNamePadding()
    {
        final int nameLength = SampleArtifacts.NAME.length();
        assertRefused(mutated(VALID, b -> b[NAME_OFFSET + nameLength] = 'x'), "header", NAME_OFFSET + nameLength,
            "name padding must be 0");
        assertRefused(mutated(VALID, b -> b[NAME_OFFSET + NAME_MAX_LENGTH - 1] = 'x'), "header",
            NAME_OFFSET + NAME_MAX_LENGTH - 1, "name padding must be 0");
        // Shortening the declared name turns its tail into padding that is not zero.
        assertRefused(mutated(VALID, b -> putShort(b, NAME_LENGTH_OFFSET, nameLength - 1)), "header",
            NAME_OFFSET + nameLength - 1, "name padding must be 0");
    }

    @Test
    void refusesAnArtifactVersionBelowOne()
    {
        assertRefused(mutated(VALID, b -> putLong(b, ARTIFACT_VERSION_OFFSET, 0)), "header", ARTIFACT_VERSION_OFFSET,
            "artifact version 0, expected >= 1");
        assertRefused(mutated(VALID, b -> putLong(b, ARTIFACT_VERSION_OFFSET, Long.MIN_VALUE)), "header",
            ARTIFACT_VERSION_OFFSET, "artifact version " + Long.MIN_VALUE);
    }

    @Test
    void refusesANegativeCreationTime()
    {
        assertRefused(mutated(VALID, b -> putLong(b, CREATED_MILLIS_OFFSET, -1)), "header", CREATED_MILLIS_OFFSET,
            "creation time -1, expected >= 0");
    }

    @Test
    void refusesMoreThanMaxSections()
    {
        final ArtifactWriter atLimit = new ArtifactWriter("many", 1);
        for (int i = 0; i < MAX_SECTIONS; i++)
        {
            atLimit.addSection(1000 + (i % 50), 1, new byte[0]);
        }
        final byte[] ok = atLimit.toBytes();
        assertEquals(MAX_SECTIONS, validate(ok).sectionCount());

        final byte[] over = atLimit.addSection(1000, 1, new byte[0]).toBytes();
        assertRefused(over, "header", SECTION_COUNT_OFFSET, "section count 4097 exceeds 4096");
        assertRefused(mutated(VALID, b -> putInt(b, SECTION_COUNT_OFFSET, -1)), "header", SECTION_COUNT_OFFSET,
            "section count 4294967295 exceeds 4096");
    }

    @Test
    void refusesASectionTableOutsideTheFileOrMisaligned()
    {
        assertRefused(mutated(VALID, b -> putInt(b, SECTION_TABLE_OFFSET_OFFSET, 136)), "header",
            SECTION_TABLE_OFFSET_OFFSET, "section table at 136 with 4 entries, expected a 64-aligned table in [128, ");
        assertRefused(mutated(VALID, b -> putInt(b, SECTION_TABLE_OFFSET_OFFSET, 64)), "header",
            SECTION_TABLE_OFFSET_OFFSET, "section table at 64");
        assertRefused(mutated(VALID, b -> putInt(b, SECTION_TABLE_OFFSET_OFFSET, (int)align(VALID.length))),
            "header", SECTION_TABLE_OFFSET_OFFSET, "section table at " + align(VALID.length));
        final int entriesThatFit = (VALID.length - HEADER_LENGTH) / SectionTableDescriptor.ENTRY_LENGTH;
        assertRefused(mutated(VALID, b -> putInt(b, SECTION_COUNT_OFFSET, entriesThatFit + 1)), "header",
            SECTION_TABLE_OFFSET_OFFSET, "with " + (entriesThatFit + 1) + " entries");
    }

    @Test
    void refusesANonZeroReservedFieldInATableEntry()
    {
        final int at = entryOffset(VALID, 1) + SectionTableDescriptor.RESERVED_OFFSET;
        assertRefused(mutated(VALID, b -> b[at + 7] = 1), "section table entry 1 (METADATA)", at,
            "reserved field must be 0");
    }

    @Test
    void refusesMisalignedOrOutOfRangeSectionOffsets()
    {
        final int entry = entryOffset(VALID, 1);
        final int field = entry + SectionTableDescriptor.OFFSET_OFFSET;
        final int offset = sectionOffset(VALID, 1);
        final int tableEnd = entryOffset(VALID, 4);
        assertRefused(mutated(VALID, b -> putLong(b, field, offset + 8)), "section table entry 1 (METADATA)", field,
            "section offset " + (offset + 8) + ", expected a 64-aligned offset in [" + tableEnd + ", " +
            VALID.length + "]");
        assertRefused(mutated(VALID, b -> putLong(b, field, tableEnd - 64)), "section table entry 1 (METADATA)",
            field, "section offset " + (tableEnd - 64));
        assertRefused(mutated(VALID, b -> putLong(b, field, align(VALID.length + 1))),
            "section table entry 1 (METADATA)", field, "section offset " + align(VALID.length + 1));
        assertRefused(mutated(VALID, b -> putLong(b, field, -64)), "section table entry 1 (METADATA)", field,
            "section offset -64");
    }

    @Test
    void refusesASectionLengthRunningPastTheFile()
    {
        final int field = entryOffset(VALID, 2) + SectionTableDescriptor.LENGTH_OFFSET;
        final int offset = sectionOffset(VALID, 2);
        final long tooLong = VALID.length - offset + 1;
        assertRefused(mutated(VALID, b -> putLong(b, field, tooLong)), "section table entry 2 (UNKNOWN(900))", field,
            "section length " + tooLong + " at offset " + offset + " runs past the end of the " + VALID.length +
            "-byte file");
        assertRefused(mutated(VALID, b -> putLong(b, field, -1)), "section table entry 2 (UNKNOWN(900))", field,
            "section length -1");
        assertRefused(mutated(VALID, b -> putLong(b, field, Long.MAX_VALUE)), "section table entry 2 (UNKNOWN(900))",
            field, "section length " + Long.MAX_VALUE);
    }

    @Test
    void refusesOverlappingSections()
    {
        // Point the unknown section (entry 2) into the middle of the metadata section (entry 1).
        final int metadataOffset = sectionOffset(VALID, 1);
        final int metadataLength = sectionLength(VALID, 1);
        assertTrue(metadataLength > 64, "sample metadata must span more than one alignment unit");
        final int inside = metadataOffset + 64;
        final byte[] bad = mutated(VALID,
            b -> putLong(b, entryOffset(b, 2) + SectionTableDescriptor.OFFSET_OFFSET, inside));
        assertRefused(bad, "section table entry 2 (UNKNOWN(900))", inside, "section [" + inside + ", " +
            (inside + sectionLength(VALID, 2)) + ") overlaps the region ending at " +
            (metadataOffset + metadataLength));

        // Two sections at the same offset: the longer one sorts second and is the one reported.
        final int schemaOffset = sectionOffset(VALID, 0);
        final byte[] same = mutated(VALID,
            b -> putLong(b, entryOffset(b, 1) + SectionTableDescriptor.OFFSET_OFFSET, schemaOffset));
        final int longer = sectionLength(VALID, 1) > sectionLength(VALID, 0) ? 1 : 0;
        assertRefused(same, "section table entry " + longer + " (" + (longer == 1 ? "METADATA" : "FEATURE_SCHEMA") +
            ")", schemaOffset, "overlaps the region ending at");
    }

    @Test
    void acceptsZeroLengthSectionsSharingAnOffset()
    {
        final byte[] bytes = new ArtifactWriter("zeros", 1).addSection(901, 1, new byte[0])
            .addSection(902, 1, new byte[0]).addSection(903, 1, new byte[]{1}).toBytes();
        final ArtifactLayout layout = validate(bytes);
        assertEquals(layout.sectionOffset(0), layout.sectionOffset(1));
        assertEquals(layout.sectionOffset(1), layout.sectionOffset(2));
        assertEquals(0, layout.sectionLength(0));
    }

    @Test
    void refusesANonZeroPaddingByteBetweenSections()
    {
        final int end = sectionOffset(VALID, 0) + sectionLength(VALID, 0);
        final int next = sectionOffset(VALID, 1);
        assertTrue(next > end, "sample must have padding after its first section");
        for (final int at : new int[]{end, (end + next) / 2, next - 1})
        {
            assertRefused(mutated(VALID, b -> b[at] = (byte)0x80), "padding", at,
                "padding byte 0x80 outside every section, expected 0");
        }
    }

    @Test
    void refusesPaddingOf64BytesOrMore()
    {
        // Shorten the last section by 64 bytes and zero them: the file then ends with 64 bytes of padding.
        final int last = sectionCount(VALID) - 1;
        final int offset = sectionOffset(VALID, last);
        final int length = sectionLength(VALID, last);
        assertTrue(length >= 64);
        final byte[] vectors = slice(VALID, offset, offset + length - 64);
        final byte[] bad = mutated(VALID, b ->
        {
            java.util.Arrays.fill(b, offset + length - 64, offset + length, (byte)0);
            putLong(b, entryOffset(b, last) + SectionTableDescriptor.LENGTH_OFFSET, length - 64);
        });
        assertEquals(vectors.length, sectionLength(bad, last));
        assertRefused(bad, "padding", offset + length - 64, "64 bytes of padding, expected less than 64");

        // 63 bytes of trailing padding are fine (for an unknown section whose bytes are opaque).
        final byte[] payload = new byte[130];
        payload[0] = 1;
        final byte[] single = SampleArtifacts.single(950, 1, payload);
        final int at = sectionOffset(single, 0);
        final byte[] shorter = mutated(single,
            b -> putLong(b, entryOffset(b, 0) + SectionTableDescriptor.LENGTH_OFFSET, 130 - 63));
        assertEquals(at + 130, shorter.length);
        validate(shorter);
    }

    @Test
    void refusesAWrongFileCrc()
    {
        final int stored = getInt(VALID, FILE_CRC_OFFSET);
        final byte[] bad = VALID.clone();
        putInt(bad, FILE_CRC_OFFSET, stored ^ 1);
        assertRefused(bad, "header", FILE_CRC_OFFSET, "file CRC32C is 0x" + Integer.toHexString(stored) +
            " but the header says 0x" + Integer.toHexString(stored ^ 1));

        // A changed section byte with its section CRC fixed but not the file CRC.
        final int at = sectionOffset(VALID, 2) + 5;
        final byte[] changed = VALID.clone();
        changed[at] ^= 0x01;
        final byte[] fixedSectionOnly = recomputeChecksums(changed.clone());
        putInt(fixedSectionOnly, FILE_CRC_OFFSET, stored);
        assertRefused(fixedSectionOnly, "header", FILE_CRC_OFFSET, "file CRC32C is 0x");
    }

    @Test
    void refusesAWrongSectionCrcForKnownAndUnknownTypes()
    {
        for (final int index : new int[]{0, 1, 2, 3})
        {
            final int offset = sectionOffset(VALID, index);
            final int crcField = entryOffset(VALID, index) + SectionTableDescriptor.CRC_OFFSET;
            final int stored = getInt(VALID, crcField);
            final byte[] bad = VALID.clone();
            putInt(bad, crcField, stored + 1);
            putInt(bad, FILE_CRC_OFFSET, fileCrc(bad));
            final String label = validate(VALID).label(index);
            assertRefused(bad, label, offset, "section CRC32C is 0x" + Integer.toHexString(stored) +
                " but the table says 0x" + Integer.toHexString(stored + 1));
        }
        assertEquals("UNKNOWN(900) #0", validate(VALID).label(2));
    }

    @Test
    void refusesMoreSectionsOfAKnownTypeThanItsRuleAllows()
    {
        final byte[] twoMetadata = new ArtifactWriter("twice", 1).metadata("{}").metadata("{\"a\":1}").toBytes();
        assertRefused(twoMetadata, "METADATA #1", sectionOffset(twoMetadata, 1), "more than 1 METADATA section(s)");

        final ArtifactWriter vectors = new ArtifactWriter("vectors", 1);
        final byte[] empty = new io.decide.format.vectors.VerificationVectorsWriter().toBytes();
        for (int i = 0; i < 17; i++)
        {
            vectors.addSection(SectionType.VERIFICATION_VECTORS, 1, empty);
        }
        final byte[] seventeen = vectors.toBytes();
        assertRefused(seventeen, "VERIFICATION_VECTORS #16", sectionOffset(seventeen, 16),
            "more than 16 VERIFICATION_VECTORS section(s)");
    }

    @Test
    void refusesAKnownTypeWithAnUnsupportedLayoutVersion()
    {
        final byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        for (final int version : new int[]{0, 2, 0xFFFF})
        {
            final byte[] bad = SampleArtifacts.single(SectionType.METADATA, version, json);
            assertRefused(bad, "METADATA #0", sectionOffset(bad, 0), "section layout version " + version +
                " is not supported, this reader understands 1..1");
        }
        final byte[] schemaV2 =
            SampleArtifacts.single(SectionType.FEATURE_SCHEMA, 2, SampleArtifacts.schema().toBytes());
        assertRefused(schemaV2, "FEATURE_SCHEMA #0", sectionOffset(schemaV2, 0), "section layout version 2");
        final byte[] vectorsV2 = SampleArtifacts.single(SectionType.VERIFICATION_VECTORS, 2,
            new io.decide.format.vectors.VerificationVectorsWriter().toBytes());
        assertRefused(vectorsV2, "VERIFICATION_VECTORS #0", sectionOffset(vectorsV2, 0), "section layout version 2");
    }

    @Test
    void skipsUnknownSectionTypesOfAnyVersionAfterBoundsAndCrc()
    {
        final byte[] garbage = {(byte)0xFF, 0, (byte)0xC0, '{', '[', 1};
        for (final int type : new int[]{0, 4, 21, 22, 254, 256, 0xFFFF})
        {
            final byte[] bytes = new ArtifactWriter("skip", 1).addSection(type, 0, garbage)
                .addSection(type, 0xFFFF, new byte[0]).toBytes();
            final ArtifactLayout layout = validate(bytes);
            assertEquals(type, layout.sectionType(0));
            assertEquals(0, layout.sectionVersion(0));
            assertEquals(0xFFFF, layout.sectionVersion(1));
            assertEquals(1, layout.sectionOrdinal(1));
            assertEquals(2, layout.count(type));
            assertEquals(SectionType.name(type) + " #1", layout.label(1));
        }
    }

    /** A type id no section uses (AD_SLOT_POLICY, which these tests used while it was reserved, now has a layout). */
    private static final int UNASSIGNED_TYPE = 21;

    @Test
    void appliesExtraRulesToLaterSectionTypes()
    {
        final byte[] bytes = SampleArtifacts.single(UNASSIGNED_TYPE, 2, new byte[]{1, 2, 3, 4});
        validate(bytes);
        final SectionRule refuse = new SectionRule(UNASSIGNED_TYPE, 1, 3,
            (buffer, offset, length, version, context) ->
            {
                throw context.fail(2, "byte 2 is " + buffer.getByte(offset + 2) + " in version " + version);
            });
        final ArtifactValidator strict = new ArtifactValidator(List.of(), refuse);
        assertRefused(strict, bytes, "UNKNOWN(21) #0", sectionOffset(bytes, 0) + 2, "byte 2 is 3 in version 2");

        final SectionRule versionOne = new SectionRule(UNASSIGNED_TYPE, 1, 1, null);
        assertRefused(new ArtifactValidator(List.of(), versionOne), bytes, "UNKNOWN(21) #0", sectionOffset(bytes, 0),
            "section layout version 2 is not supported, this reader understands 1..1");

        final SectionRule reservedOnly = new SectionRule(UNASSIGNED_TYPE, 1, 2, null);
        assertEquals(1, new ArtifactValidator(List.of(), reservedOnly)
            .validate(SOURCE, new UnsafeBuffer(bytes), bytes.length).count(UNASSIGNED_TYPE));

        final SectionRule permissiveMetadata = new SectionRule(SectionType.METADATA, 1, 1, null);
        final byte[] notJson = SampleArtifacts.single(SectionType.METADATA, 1, new byte[]{'x'});
        assertRefused(notJson, "METADATA #0", sectionOffset(notJson, 0), "not a JSON object");
        new ArtifactValidator(List.of(), permissiveMetadata)
            .validate(SOURCE, new UnsafeBuffer(notJson), notJson.length);
    }

    @Test
    void acceptsAnArtifactWithNoSections()
    {
        final byte[] bytes = new ArtifactWriter("empty", 1).createdMillis(0).toBytes();
        assertEquals(HEADER_LENGTH, bytes.length);
        final ArtifactLayout layout = validate(bytes);
        assertEquals(0, layout.sectionCount());
        assertEquals(-1, layout.indexOf(SectionType.FEATURE_SCHEMA, 0));
        assertFalse(layout.signed());
    }

    @Test
    void describesTheLayout()
    {
        final ArtifactLayout layout = validate(VALID);
        assertEquals("ArtifactLayout{name=" + SampleArtifacts.NAME + ", version=7, sections=[1, 2, 900, 3]}",
            layout.toString());
    }
}
