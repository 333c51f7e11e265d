package io.decide.format.vectors;

/**
 * Layout of a VERIFICATION_VECTORS section (layout version 1). Offsets relative to the section start; groups
 * follow each other with no gaps, and the section ends where the last group ends.
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                     Group Count g (u32)                       |  0
 *  +---------------------------------------------------------------+
 *  |                      Reserved (u32) = 0                       |  4
 *  +---------------------------------------------------------------+
 *  |                        g groups                               |  8
 *  +---------------------------------------------------------------+
 *
 *  Group (40-byte header, then data):
 *  +-------------------------------+-------------------------------+
 *  |    Target Section Type (u16)  | Target Ordinal (u16)          |  0
 *  +-------------------------------+-------------------------------+
 *  |                   Input Width w_in (u32)                      |  4
 *  +---------------------------------------------------------------+
 *  |                  Output Width w_out (u32)                     |  8
 *  +---------------------------------------------------------------+
 *  |                   Vector Count n (u32)                        | 12
 *  +---------------+-----------------------------------------------+
 *  | Tolerance Kind|          Reserved (3 bytes) = 0               | 16
 *  +---------------+-----------------------------------------------+
 *  |                      Reserved (u32) = 0                       | 20
 *  +---------------------------------------------------------------+
 *  |                     Tolerance (f64)                           | 24
 *  +---------------------------------------------------------------+
 *  |     Mode (u32): which output of the target's evaluator        | 32
 *  +---------------------------------------------------------------+
 *  |                      Reserved (u32) = 0                       | 36
 *  +---------------------------------------------------------------+
 *  |   Inputs: n * w_in f64, row-major                             | 40
 *  +---------------------------------------------------------------+
 *  |   Expected outputs: n * w_out f64, row-major                  |
 *  +---------------------------------------------------------------+
 * </pre>
 * The target is the {@code ordinal}-th section of the target type in table order; it must exist. Writer:
 * {@link VerificationVectorsWriter}; validator: {@link VerificationVectorsValidator}; replay:
 * {@link VerificationReplay}.
 */
public final class VerificationVectorsDescriptor
{
    public static final int VERSION = 1;
    public static final int GROUP_COUNT_OFFSET = 0;
    public static final int RESERVED_OFFSET = 4;
    public static final int GROUPS_OFFSET = 8;

    public static final int TARGET_TYPE_OFFSET = 0;
    public static final int TARGET_ORDINAL_OFFSET = 2;
    public static final int INPUT_WIDTH_OFFSET = 4;
    public static final int OUTPUT_WIDTH_OFFSET = 8;
    public static final int VECTOR_COUNT_OFFSET = 12;
    public static final int TOLERANCE_KIND_OFFSET = 16;
    public static final int RESERVED_A_OFFSET = 17;
    public static final int RESERVED_B_OFFSET = 20;
    public static final int TOLERANCE_OFFSET = 24;
    public static final int MODE_OFFSET = 32;
    public static final int RESERVED_C_OFFSET = 36;
    public static final int GROUP_HEADER_LENGTH = 40;

    /** Widest input or output accepted. */
    public static final int MAX_WIDTH = 1 << 20;

    private VerificationVectorsDescriptor()
    {
    }

    /**
     * Total length of a group.
     *
     * @param inputWidth  w_in.
     * @param outputWidth w_out.
     * @param count       n.
     * @return header plus data length in bytes.
     */
    public static long groupLength(final long inputWidth, final long outputWidth, final long count)
    {
        return GROUP_HEADER_LENGTH + 8L * count * (inputWidth + outputWidth);
    }
}
