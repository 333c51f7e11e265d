package io.decide.format.vectors;

import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.SectionType;
import org.agrona.DirectBuffer;

import java.util.Arrays;

import static io.decide.format.vectors.VerificationVectorsDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Replays the verification vectors of a validated artifact through evaluators the caller supplies, and refuses
 * the artifact at the first output that disagrees. Load-time only.
 */
public final class VerificationReplay
{
    /** Finds the evaluator for a target section, or null when this engine cannot evaluate it. */
    @FunctionalInterface
    public interface EvaluatorLookup
    {
        /**
         * @param targetType    section type.
         * @param targetOrdinal which section of that type.
         * @param sectionIndex  its index in the section table.
         * @return an evaluator, or null to skip the group.
         */
        VectorEvaluator find(int targetType, int targetOrdinal, int sectionIndex);
    }

    /**
     * What a replay did.
     *
     * @param groupsReplayed groups checked.
     * @param groupsSkipped  groups whose target this engine cannot evaluate.
     * @param vectorsChecked vectors checked.
     */
    public record Result(int groupsReplayed, int groupsSkipped, long vectorsChecked)
    {
    }

    private VerificationReplay()
    {
    }

    /**
     * Replay every group of every VERIFICATION_VECTORS section.
     *
     * @param source  file name for messages.
     * @param buffer  artifact bytes.
     * @param layout  its validated layout.
     * @param lookup  evaluator lookup.
     * @return counts.
     * @throws ArtifactFormatException at the first mismatch, naming group, vector, output, expected and actual.
     */
    public static Result replay(
        final String source, final DirectBuffer buffer, final ArtifactLayout layout, final EvaluatorLookup lookup)
    {
        int replayed = 0;
        int skipped = 0;
        long vectors = 0;
        for (int s = 0; s < layout.sectionCount(); s++)
        {
            if (layout.sectionType(s) != SectionType.VERIFICATION_VECTORS)
            {
                continue;
            }
            final int base = layout.sectionOffset(s);
            final int groups = buffer.getInt(base + GROUP_COUNT_OFFSET, LITTLE_ENDIAN);
            int at = base + GROUPS_OFFSET;
            for (int g = 0; g < groups; g++)
            {
                final int targetType = buffer.getShort(at + TARGET_TYPE_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
                final int targetOrdinal = buffer.getShort(at + TARGET_ORDINAL_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
                final int inWidth = buffer.getInt(at + INPUT_WIDTH_OFFSET, LITTLE_ENDIAN);
                final int outWidth = buffer.getInt(at + OUTPUT_WIDTH_OFFSET, LITTLE_ENDIAN);
                final int count = buffer.getInt(at + VECTOR_COUNT_OFFSET, LITTLE_ENDIAN);
                final Tolerance kind = Tolerance.fromCode(buffer.getByte(at + TOLERANCE_KIND_OFFSET) & 0xFF);
                final double tolerance = buffer.getDouble(at + TOLERANCE_OFFSET, LITTLE_ENDIAN);
                final int mode = buffer.getInt(at + MODE_OFFSET, LITTLE_ENDIAN);
                final VectorEvaluator evaluator =
                    lookup.find(targetType, targetOrdinal, layout.indexOf(targetType, targetOrdinal));
                if (evaluator == null)
                {
                    skipped++;
                }
                else
                {
                    replayed++;
                    final double[] input = new double[inWidth];
                    final double[] output = new double[outWidth];
                    final int inputs = at + GROUP_HEADER_LENGTH;
                    final int expected = inputs + 8 * count * inWidth;
                    for (int v = 0; v < count; v++)
                    {
                        for (int i = 0; i < inWidth; i++)
                        {
                            input[i] = buffer.getDouble(inputs + 8 * (v * inWidth + i), LITTLE_ENDIAN);
                        }
                        Arrays.fill(output, Double.NaN);
                        evaluator.evaluate(mode, input, output);
                        for (int o = 0; o < outWidth; o++)
                        {
                            final int where = expected + 8 * (v * outWidth + o);
                            final double want = buffer.getDouble(where, LITTLE_ENDIAN);
                            if (!kind.matches(want, output[o], tolerance))
                            {
                                throw new ArtifactFormatException(source, layout.label(s), where,
                                    "verification group " + g + " (" + SectionType.name(targetType) + " #" +
                                    targetOrdinal + ", mode " + mode + ") vector " + v + " output " + o +
                                    ": expected " + want + ", evaluator gave " + output[o] + " (tolerance " + kind +
                                    " " + tolerance + ")");
                            }
                        }
                        vectors++;
                    }
                }
                at += (int)groupLength(inWidth, outWidth, count);
            }
        }
        return new Result(replayed, skipped, vectors);
    }
}
