package io.decide.format.vectors;

import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactWriter;
import io.decide.format.SampleArtifacts;
import io.decide.format.SectionType;
import io.decide.format.schema.FeatureSchemaDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.decide.format.ArtifactBytes.*;
import static io.decide.format.vectors.VerificationVectorsDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link VerificationReplay} with a test evaluator: {@code f(x) = (x0 + x1, x0 * x1)} in mode 1 and
 * {@code (x0 - x1)} in mode 2. Sections: FEATURE_SCHEMA (0), UNKNOWN(900) (1), VERIFICATION_VECTORS (2) and,
 * where used, a second VERIFICATION_VECTORS (3).
 */
final class VerificationReplayTest
{
    private static final double[][] INPUTS = {{1, 2}, {-0.5, 4}, {3, 3}, {1e10, 1e-10}};

    private static final VectorEvaluator EVALUATOR = (mode, input, output) ->
    {
        if (mode == 1)
        {
            output[0] = input[0] + input[1];
            output[1] = input[0] * input[1];
        }
        else
        {
            output[0] = input[0] - input[1];
        }
    };

    private static double[] expected(final int mode, final double[] input)
    {
        final double[] output = new double[mode == 1 ? 2 : 1];
        EVALUATOR.evaluate(mode, input, output);
        return output;
    }

    private static VerificationVectorsWriter schemaGroup(final Tolerance tolerance, final double value)
    {
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        final VerificationVectorsWriter.Group group =
            writer.group(SectionType.FEATURE_SCHEMA, 0, 1, 2, 2, tolerance, value);
        for (final double[] input : INPUTS)
        {
            group.add(input, expected(1, input));
        }
        return writer;
    }

    private static byte[] artifact(final byte[]... vectorSections)
    {
        final ArtifactWriter writer = new ArtifactWriter("replay", 1)
            .addSection(SectionType.FEATURE_SCHEMA, FeatureSchemaDescriptor.VERSION, SampleArtifacts.schema().toBytes())
            .addSection(SampleArtifacts.UNKNOWN_TYPE, 1, SampleArtifacts.unknownPayload());
        for (final byte[] section : vectorSections)
        {
            writer.addSection(SectionType.VERIFICATION_VECTORS, VERSION, section);
        }
        return writer.toBytes();
    }

    private static VerificationReplay.Result replay(final byte[] bytes, final VerificationReplay.EvaluatorLookup lookup)
    {
        final ArtifactLayout layout = validate(bytes);
        return VerificationReplay.replay(SOURCE, new UnsafeBuffer(bytes), layout, lookup);
    }

    @Test
    void aMatchingGroupPasses()
    {
        final List<String> calls = new ArrayList<>();
        final VerificationReplay.Result result = replay(artifact(schemaGroup(Tolerance.EXACT, 0).toBytes()),
            (type, ordinal, index) ->
            {
                calls.add(type + "/" + ordinal + "/" + index);
                return EVALUATOR;
            });
        assertEquals(new VerificationReplay.Result(1, 0, INPUTS.length), result);
        assertEquals(List.of(SectionType.FEATURE_SCHEMA + "/0/0"), calls);
    }

    @Test
    void passesTheModeAndInputsAndComparesWithTheGroupTolerance()
    {
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        writer.group(SectionType.FEATURE_SCHEMA, 0, 2, 2, 1, Tolerance.ABSOLUTE, 1e-6)
            .add(new double[]{5, 3}, new double[]{2 + 5e-7});
        writer.group(SectionType.FEATURE_SCHEMA, 0, 2, 2, 1, Tolerance.ULPS, 1)
            .add(new double[]{1, 0}, new double[]{Math.nextUp(1.0)});
        writer.group(SectionType.FEATURE_SCHEMA, 0, 2, 2, 1, Tolerance.RELATIVE, 1e-3)
            .add(new double[]{1000, 0}, new double[]{1000.9});
        final List<double[]> seen = new ArrayList<>();
        final VerificationReplay.Result result = replay(artifact(writer.toBytes()), (type, ordinal, index) ->
            (mode, input, output) ->
            {
                assertEquals(2, mode);
                assertEquals(1, output.length);
                assertTrue(Double.isNaN(output[0]), "outputs start as NaN");
                seen.add(input.clone());
                EVALUATOR.evaluate(mode, input, output);
            });
        assertEquals(new VerificationReplay.Result(3, 0, 3), result);
        assertArrayEquals(new double[]{5, 3}, seen.get(0));
        assertArrayEquals(new double[]{1000, 0}, seen.get(2));
    }

    @Test
    void aMismatchIsRefusedNamingGroupVectorAndOutput()
    {
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        writer.group(SampleArtifacts.UNKNOWN_TYPE, 0, 2, 2, 1, Tolerance.EXACT, 0)
            .add(new double[]{1, 1}, new double[]{0});
        final VerificationVectorsWriter.Group group = writer.group(SectionType.FEATURE_SCHEMA, 0, 1, 2, 2,
            Tolerance.ULPS, 2);
        for (int v = 0; v < INPUTS.length; v++)
        {
            final double[] output = expected(1, INPUTS[v]);
            if (v == 2)
            {
                output[1] = 9.5;
            }
            group.add(INPUTS[v], output);
        }
        final byte[] bytes = artifact(writer.toBytes());
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class,
            () -> replay(bytes, (type, ordinal, index) -> EVALUATOR));
        final int group1 = sectionOffset(bytes, 2) + GROUPS_OFFSET + (int)groupLength(2, 1, 1);
        final int expectedValues = group1 + GROUP_HEADER_LENGTH + 8 * INPUTS.length * 2;
        assertEquals(SOURCE, ex.source());
        assertEquals("VERIFICATION_VECTORS #0", ex.section());
        assertEquals(expectedValues + 8 * (2 * 2 + 1), ex.offset(), "offset of vector 2 output 1");
        assertEquals("verification group 1 (FEATURE_SCHEMA #0, mode 1) vector 2 output 1: expected 9.5, " +
            "evaluator gave 9.0 (tolerance ULPS 2.0)", ex.reason());
        assertEquals(9.5, getDouble(bytes, (int)ex.offset()));
    }

    @Test
    void anOutputTheEvaluatorLeavesUnwrittenIsAMismatch()
    {
        final byte[] bytes = artifact(schemaGroup(Tolerance.ABSOLUTE, 1).toBytes());
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class,
            () -> replay(bytes, (type, ordinal, index) -> (mode, input, output) -> output[0] = input[0] + input[1]));
        assertTrue(ex.reason().contains("vector 0 output 1: expected 2.0, evaluator gave NaN"), ex.reason());
    }

    @Test
    void groupsWithoutAnEvaluatorAreCountedAsSkipped()
    {
        final VerificationVectorsWriter writer = schemaGroup(Tolerance.EXACT, 0);
        writer.group(SampleArtifacts.UNKNOWN_TYPE, 0, 9, 1, 1, Tolerance.EXACT, 0)
            .add(new double[]{1}, new double[]{Double.NaN});
        writer.group(SampleArtifacts.UNKNOWN_TYPE, 0, 9, 1, 1, Tolerance.EXACT, 0);
        final VerificationReplay.Result result = replay(artifact(writer.toBytes()),
            (type, ordinal, index) ->
            {
                if (type == SampleArtifacts.UNKNOWN_TYPE)
                {
                    assertEquals(1, index);
                    return null;
                }
                return EVALUATOR;
            });
        assertEquals(new VerificationReplay.Result(1, 2, INPUTS.length), result);

        final VerificationReplay.Result none = replay(artifact(writer.toBytes()), (type, ordinal, index) -> null);
        assertEquals(new VerificationReplay.Result(0, 3, 0), none);
    }

    @Test
    void replaysEveryVectorsSectionAndNamesTheOneThatFails()
    {
        final VerificationVectorsWriter bad = new VerificationVectorsWriter();
        bad.group(SectionType.FEATURE_SCHEMA, 0, 2, 2, 1, Tolerance.ABSOLUTE, 0.25)
            .add(new double[]{2, 1}, new double[]{1.25})
            .add(new double[]{2, 1}, new double[]{1.5});
        final byte[] twoSections = artifact(schemaGroup(Tolerance.EXACT, 0).toBytes(), bad.toBytes());
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class,
            () -> replay(twoSections, (type, ordinal, index) -> EVALUATOR));
        assertEquals("VERIFICATION_VECTORS #1", ex.section());
        assertTrue(ex.reason().startsWith("verification group 0 (FEATURE_SCHEMA #0, mode 2) vector 1 output 0: " +
            "expected 1.5, evaluator gave 1.0 (tolerance ABSOLUTE 0.25)"), ex.reason());

        final VerificationReplay.Result ok = replay(artifact(schemaGroup(Tolerance.EXACT, 0).toBytes(),
            schemaGroup(Tolerance.RELATIVE, 0).toBytes(), new VerificationVectorsWriter().toBytes()),
            (type, ordinal, index) -> EVALUATOR);
        assertEquals(new VerificationReplay.Result(2, 0, 2L * INPUTS.length), ok);
    }

    @Test
    void anArtifactWithoutVectorsReplaysNothing()
    {
        final byte[] bytes = artifact();
        assertEquals(new VerificationReplay.Result(0, 0, 0), replay(bytes, (type, ordinal, index) ->
        {
            throw new AssertionError("no lookups expected");
        }));
    }
}
