package io.decide.format.vectors;

import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactWriter;
import io.decide.format.SampleArtifacts;
import io.decide.format.SectionType;
import io.decide.format.schema.FeatureSchemaDescriptor;
import io.decide.format.signature.KeyFiles;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.function.Consumer;

import static io.decide.format.ArtifactBytes.*;
import static io.decide.format.vectors.VerificationVectorsDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * VERIFICATION_VECTORS: the writer's layout read back field by field, and every rule of
 * {@link VerificationVectorsValidator} (targets, widths, tolerance rules, reserved bytes, lengths). The vectors
 * section is table index 2 of the artifacts built here, after FEATURE_SCHEMA and an unknown section.
 */
final class VerificationVectorsTest
{
    private static final String LABEL = "VERIFICATION_VECTORS #0";
    private static final int INDEX = 2;
    private static final int GROUP = GROUPS_OFFSET;

    private static byte[] artifact(final byte[] vectors)
    {
        return new ArtifactWriter("vectors", 3)
            .addSection(SectionType.FEATURE_SCHEMA, FeatureSchemaDescriptor.VERSION, SampleArtifacts.schema().toBytes())
            .addSection(SampleArtifacts.UNKNOWN_TYPE, 1, SampleArtifacts.unknownPayload())
            .addSection(SectionType.VERIFICATION_VECTORS, VERSION, vectors)
            .toBytes();
    }

    private static VerificationVectorsWriter base()
    {
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        writer.group(SectionType.FEATURE_SCHEMA, 0, 0, 2, 1, Tolerance.ABSOLUTE, 1e-9)
            .add(new double[]{1, 2}, new double[]{3})
            .add(new double[]{4, 5}, new double[]{9});
        return writer;
    }

    private static byte[] edited(final VerificationVectorsWriter writer, final Consumer<byte[]> change)
    {
        final byte[] section = writer.toBytes();
        change.accept(section);
        return artifact(section);
    }

    private static byte[] appended(final byte[] section, final int extra)
    {
        return Arrays.copyOf(section, section.length + extra);
    }

    private static long at(final byte[] artifact, final int relative)
    {
        return sectionOffset(artifact, INDEX) + (long)relative;
    }

    @Test
    void writesTheDocumentedLayout()
    {
        final VerificationVectorsWriter writer = base();
        writer.group(SampleArtifacts.UNKNOWN_TYPE, 0, 7, 1, 3, Tolerance.ULPS, 4)
            .add(new double[]{Double.NaN}, new double[]{-0.0, Double.POSITIVE_INFINITY, Double.MIN_VALUE});
        writer.group(SectionType.FEATURE_SCHEMA, 0, 1, 3, 2, Tolerance.EXACT, 0);
        final byte[] s = writer.toBytes();
        assertEquals(3, getInt(s, GROUP_COUNT_OFFSET));
        assertEquals(0, getInt(s, RESERVED_OFFSET));

        int g = GROUP;
        assertEquals(SectionType.FEATURE_SCHEMA, getShort(s, g + TARGET_TYPE_OFFSET));
        assertEquals(0, getShort(s, g + TARGET_ORDINAL_OFFSET));
        assertEquals(2, getInt(s, g + INPUT_WIDTH_OFFSET));
        assertEquals(1, getInt(s, g + OUTPUT_WIDTH_OFFSET));
        assertEquals(2, getInt(s, g + VECTOR_COUNT_OFFSET));
        assertEquals(Tolerance.ABSOLUTE.ordinal(), s[g + TOLERANCE_KIND_OFFSET]);
        assertEquals(1e-9, getDouble(s, g + TOLERANCE_OFFSET));
        assertEquals(0, getInt(s, g + MODE_OFFSET));
        final double[] data = new double[6];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = getDouble(s, g + GROUP_HEADER_LENGTH + 8 * i);
        }
        assertArrayEquals(new double[]{1, 2, 4, 5, 3, 9}, data, "inputs row-major, then outputs row-major");

        g += (int)groupLength(2, 1, 2);
        assertEquals(SampleArtifacts.UNKNOWN_TYPE, getShort(s, g + TARGET_TYPE_OFFSET));
        assertEquals(7, getInt(s, g + MODE_OFFSET));
        assertEquals(4.0, getDouble(s, g + TOLERANCE_OFFSET));
        assertTrue(Double.isNaN(getDouble(s, g + GROUP_HEADER_LENGTH)));
        assertEquals(Long.MIN_VALUE, getLong(s, g + GROUP_HEADER_LENGTH + 8));

        g += (int)groupLength(1, 3, 1);
        assertEquals(0, getInt(s, g + VECTOR_COUNT_OFFSET));
        assertEquals(g + GROUP_HEADER_LENGTH, s.length, "an empty group is its 40-byte header");
        validate(artifact(s));
    }

    @Test
    void writerRefusesBadGroups()
    {
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        assertThrows(IllegalArgumentException.class, () -> writer.group(1, 0, 0, 0, 1, Tolerance.EXACT, 0));
        assertThrows(IllegalArgumentException.class, () -> writer.group(1, 0, 0, 1, MAX_WIDTH + 1, Tolerance.EXACT, 0));
        assertThrows(IllegalArgumentException.class, () -> writer.group(1, 0, 0, 1, 1, Tolerance.EXACT, 1e-9));
        assertThrows(IllegalArgumentException.class, () -> writer.group(1, 0, 0, 1, 1, Tolerance.ULPS, -1));
        assertThrows(IllegalArgumentException.class, () -> writer.group(1, 0, 0, 1, 1, Tolerance.ABSOLUTE, Double.NaN));
        final VerificationVectorsWriter.Group group = writer.group(1, 0, 0, 2, 1, Tolerance.EXACT, 0);
        assertThrows(IllegalArgumentException.class, () -> group.add(new double[1], new double[1]));
        assertThrows(IllegalArgumentException.class, () -> group.add(new double[2], new double[2]));
    }

    @Test
    void acceptsEmptySectionsGroupsAndAnyExistingNonVectorTarget()
    {
        validate(artifact(new VerificationVectorsWriter().toBytes()));
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        writer.group(SectionType.FEATURE_SCHEMA, 0, 0, MAX_WIDTH, MAX_WIDTH, Tolerance.RELATIVE, 0.5);
        writer.group(SampleArtifacts.UNKNOWN_TYPE, 0, -1, 1, 1, Tolerance.EXACT, 0).add(new double[1], new double[1]);
        final ArtifactLayout layout = validate(artifact(writer.toBytes()));
        assertEquals(SectionType.VERIFICATION_VECTORS, layout.sectionType(INDEX));
    }

    @Test
    void refusesASectionShorterThanItsHeader()
    {
        final byte[] bytes = artifact(new byte[4]);
        assertRefused(bytes, LABEL, at(bytes, 0), "section is 4 bytes, expected at least 8");
    }

    @Test
    void refusesANonZeroReservedField()
    {
        final byte[] bytes = edited(base(), s -> s[RESERVED_OFFSET] = 1);
        assertRefused(bytes, LABEL, at(bytes, RESERVED_OFFSET), "reserved field must be 0");
    }

    @Test
    void refusesAGroupHeaderPastTheSection()
    {
        final int end = base().toBytes().length;
        final byte[] missing = edited(base(), s -> putInt(s, GROUP_COUNT_OFFSET, 2));
        assertRefused(missing, LABEL, at(missing, end), "group 1 of 2: header needs 40 bytes, 0 left");
        final byte[] partial = artifact(appended(base().toBytes(), 20));
        putInt(partial, sectionOffset(partial, INDEX) + GROUP_COUNT_OFFSET, 2);
        recomputeChecksums(partial);
        assertRefused(partial, LABEL, at(partial, end), "group 1 of 2: header needs 40 bytes, 20 left");
        final byte[] huge = edited(base(), s -> putInt(s, GROUP_COUNT_OFFSET, -1));
        assertRefused(huge, LABEL, at(huge, end), "group 1 of 4294967295");
    }

    @Test
    void refusesVectorsTargetingAMissingOrUnevaluableSection()
    {
        final int field = GROUP + TARGET_TYPE_OFFSET;
        final byte[] metadata = edited(base(), s -> putShort(s, field, SectionType.METADATA));
        assertRefused(metadata, LABEL, at(metadata, field),
            "group 0: target METADATA #0 is not an evaluable section of this file");
        final byte[] gbdt = edited(base(), s -> putShort(s, field, SectionType.GBDT_ENSEMBLE));
        assertRefused(gbdt, LABEL, at(gbdt, field), "group 0: target GBDT_ENSEMBLE #0 is not an evaluable section");
        final byte[] secondSchema = edited(base(), s -> putShort(s, GROUP + TARGET_ORDINAL_OFFSET, 1));
        assertRefused(secondSchema, LABEL, at(secondSchema, field), "target FEATURE_SCHEMA #1 is not an evaluable");
        final byte[] itself = edited(base(), s -> putShort(s, field, SectionType.VERIFICATION_VECTORS));
        assertRefused(itself, LABEL, at(itself, field), "target VERIFICATION_VECTORS #0 is not an evaluable");

        final KeyPair keys = KeyFiles.generate();
        final VerificationVectorsWriter toSignature = new VerificationVectorsWriter();
        toSignature.group(SectionType.SIGNATURE, 0, 0, 1, 1, Tolerance.EXACT, 0);
        final byte[] signed = new ArtifactWriter("signed", 1)
            .addSection(SectionType.VERIFICATION_VECTORS, VERSION, toSignature.toBytes())
            .signWith(keys.getPrivate(), keys.getPublic()).toBytes();
        assertRefused(signed, LABEL, sectionOffset(signed, 0) + GROUP, "target SIGNATURE #0 is not an evaluable");

        // A bad target in a later group is reported at that group.
        final VerificationVectorsWriter two = base();
        two.group(SampleArtifacts.UNKNOWN_TYPE, 1, 0, 1, 1, Tolerance.EXACT, 0);
        final byte[] second = artifact(two.toBytes());
        final int secondGroup = GROUP + (int)groupLength(2, 1, 2);
        assertRefused(second, LABEL, at(second, secondGroup), "group 1: target UNKNOWN(900) #1");
    }

    @Test
    void refusesWidthsOutside1ToMax()
    {
        final int in = GROUP + INPUT_WIDTH_OFFSET;
        final int out = GROUP + OUTPUT_WIDTH_OFFSET;
        final byte[] noInput = edited(base(), s -> putInt(s, in, 0));
        assertRefused(noInput, LABEL, at(noInput, in), "group 0: widths 0 in / 1 out, expected 1..1048576");
        final byte[] noOutput = edited(base(), s -> putInt(s, out, 0));
        assertRefused(noOutput, LABEL, at(noOutput, in), "widths 2 in / 0 out");
        final byte[] wide = edited(base(), s -> putInt(s, out, MAX_WIDTH + 1));
        assertRefused(wide, LABEL, at(wide, in), "widths 2 in / 1048577 out");
        final byte[] negative = edited(base(), s -> putInt(s, in, -1));
        assertRefused(negative, LABEL, at(negative, in), "widths 4294967295 in");
    }

    @Test
    void refusesAnUnknownToleranceKind()
    {
        final int field = GROUP + TOLERANCE_KIND_OFFSET;
        final byte[] bytes = edited(base(), s -> s[field] = 4);
        assertRefused(bytes, LABEL, at(bytes, field), "group 0: unknown tolerance kind 4");
        final byte[] high = edited(base(), s -> s[field] = (byte)0xFF);
        assertRefused(high, LABEL, at(high, field), "unknown tolerance kind 255");
    }

    @Test
    void refusesToleranceValuesThatBreakTheToleranceRules()
    {
        final int field = GROUP + TOLERANCE_OFFSET;
        for (final double value : new double[]{-1e-9, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
        {
            final byte[] bytes = edited(base(), s -> putDouble(s, field, value));
            assertRefused(bytes, LABEL, at(bytes, field), "group 0: tolerance " + value + " must be finite and >= 0");
        }
        final byte[] exact = edited(base(), s -> s[GROUP + TOLERANCE_KIND_OFFSET] = (byte)Tolerance.EXACT.ordinal());
        assertRefused(exact, LABEL, at(exact, field), "group 0: tolerance 1.0E-9 must be 0 for EXACT");
        final byte[] exactNaN = edited(base(), s ->
        {
            s[GROUP + TOLERANCE_KIND_OFFSET] = (byte)Tolerance.EXACT.ordinal();
            putDouble(s, field, Double.NaN);
        });
        assertRefused(exactNaN, LABEL, at(exactNaN, field), "tolerance NaN must be 0 for EXACT");
        validate(edited(base(), s ->
        {
            s[GROUP + TOLERANCE_KIND_OFFSET] = (byte)Tolerance.EXACT.ordinal();
            putDouble(s, field, 0.0);
        }));
        validate(edited(base(), s -> putDouble(s, field, Double.MAX_VALUE)));
    }

    @Test
    void refusesNonZeroReservedGroupBytes()
    {
        final int[] reserved = {RESERVED_A_OFFSET, RESERVED_A_OFFSET + 1, RESERVED_A_OFFSET + 2, RESERVED_B_OFFSET,
            RESERVED_B_OFFSET + 3, RESERVED_C_OFFSET, RESERVED_C_OFFSET + 3};
        for (final int r : reserved)
        {
            final byte[] bytes = edited(base(), s -> s[GROUP + r] = (byte)0x80);
            assertRefused(bytes, LABEL, at(bytes, GROUP + RESERVED_A_OFFSET), "group 0: reserved bytes must be 0");
        }
    }

    @Test
    void refusesVectorsRunningPastTheSection()
    {
        final byte[] bytes = edited(base(), s -> putInt(s, GROUP + VECTOR_COUNT_OFFSET, 3));
        assertRefused(bytes, LABEL, at(bytes, GROUP + VECTOR_COUNT_OFFSET),
            "group 0: 3 vectors of 2+1 doubles need 112 bytes, 88 left");
        final byte[] huge = edited(base(), s -> putInt(s, GROUP + VECTOR_COUNT_OFFSET, -1));
        assertRefused(huge, LABEL, at(huge, GROUP + VECTOR_COUNT_OFFSET), "4294967295 vectors of 2+1 doubles need");
        final byte[] wide = edited(base(), s -> putInt(s, GROUP + INPUT_WIDTH_OFFSET, 3));
        assertRefused(wide, LABEL, at(wide, GROUP + VECTOR_COUNT_OFFSET), "2 vectors of 3+1 doubles need 104 bytes");
    }

    @Test
    void refusesBytesAfterTheLastGroup()
    {
        final int end = base().toBytes().length;
        final byte[] bytes = artifact(appended(base().toBytes(), 8));
        assertRefused(bytes, LABEL, at(bytes, end), "8 bytes after the last group, expected none");
        final byte[] noGroups = artifact(new byte[GROUPS_OFFSET + 1]);
        assertRefused(noGroups, LABEL, at(noGroups, GROUPS_OFFSET), "1 bytes after the last group");
    }
}
