package io.decide.format.vectors;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static io.decide.format.vectors.VerificationVectorsDescriptor.*;

/** Builds the bytes of a VERIFICATION_VECTORS section: groups of vectors, each aimed at one section. */
public final class VerificationVectorsWriter
{
    /** Vectors for one target section, added with {@link #add(double[], double[])}. */
    public static final class Group
    {
        private final int targetType;
        private final int targetOrdinal;
        private final int mode;
        private final int inputWidth;
        private final int outputWidth;
        private final Tolerance tolerance;
        private final double toleranceValue;
        private final List<double[]> inputs = new ArrayList<>();
        private final List<double[]> outputs = new ArrayList<>();

        private Group(
            final int targetType, final int targetOrdinal, final int mode, final int inputWidth, final int outputWidth,
            final Tolerance tolerance, final double toleranceValue)
        {
            this.targetType = targetType;
            this.targetOrdinal = targetOrdinal;
            this.mode = mode;
            this.inputWidth = inputWidth;
            this.outputWidth = outputWidth;
            this.tolerance = tolerance;
            this.toleranceValue = toleranceValue;
        }

        /**
         * Add one vector.
         *
         * @param input    inputWidth values.
         * @param expected outputWidth expected values.
         * @return this group.
         */
        public Group add(final double[] input, final double[] expected)
        {
            if (input.length != inputWidth || expected.length != outputWidth)
            {
                throw new IllegalArgumentException("vector is " + input.length + "/" + expected.length +
                    " wide, group expects " + inputWidth + "/" + outputWidth);
            }
            inputs.add(input.clone());
            outputs.add(expected.clone());
            return this;
        }
    }

    private final List<Group> groups = new ArrayList<>();

    /**
     * Start a group.
     *
     * @param targetType     section type the vectors exercise.
     * @param targetOrdinal  which section of that type (0 = first).
     * @param mode           evaluator output selector, defined by the target type.
     * @param inputWidth     values per input.
     * @param outputWidth    values per output.
     * @param tolerance      comparison kind.
     * @param toleranceValue bound for the kind (0 for EXACT).
     * @return the group to add vectors to.
     */
    public Group group(
        final int targetType, final int targetOrdinal, final int mode, final int inputWidth, final int outputWidth,
        final Tolerance tolerance, final double toleranceValue)
    {
        if (inputWidth < 1 || inputWidth > MAX_WIDTH || outputWidth < 1 || outputWidth > MAX_WIDTH)
        {
            throw new IllegalArgumentException("widths must be 1.." + MAX_WIDTH);
        }
        if (!(toleranceValue >= 0 && Double.isFinite(toleranceValue)) ||
            (tolerance == Tolerance.EXACT && toleranceValue != 0))
        {
            throw new IllegalArgumentException("bad tolerance " + tolerance + " " + toleranceValue);
        }
        final Group group = new Group(
            targetType, targetOrdinal, mode, inputWidth, outputWidth, tolerance, toleranceValue);
        groups.add(group);
        return group;
    }

    /** @return the section bytes. */
    public byte[] toBytes()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteBuffer head = ByteBuffer.allocate(GROUPS_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(GROUP_COUNT_OFFSET, groups.size());
        out.writeBytes(head.array());
        for (final Group g : groups)
        {
            final int n = g.inputs.size();
            final ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(groupLength(g.inputWidth, g.outputWidth, n)))
                .order(ByteOrder.LITTLE_ENDIAN);
            b.putShort(TARGET_TYPE_OFFSET, (short)g.targetType);
            b.putShort(TARGET_ORDINAL_OFFSET, (short)g.targetOrdinal);
            b.putInt(INPUT_WIDTH_OFFSET, g.inputWidth);
            b.putInt(OUTPUT_WIDTH_OFFSET, g.outputWidth);
            b.putInt(VECTOR_COUNT_OFFSET, n);
            b.put(TOLERANCE_KIND_OFFSET, (byte)g.tolerance.ordinal());
            b.putDouble(TOLERANCE_OFFSET, g.toleranceValue);
            b.putInt(MODE_OFFSET, g.mode);
            b.position(GROUP_HEADER_LENGTH);
            for (final double[] in : g.inputs)
            {
                for (final double v : in)
                {
                    b.putDouble(v);
                }
            }
            for (final double[] o : g.outputs)
            {
                for (final double v : o)
                {
                    b.putDouble(v);
                }
            }
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }
}
