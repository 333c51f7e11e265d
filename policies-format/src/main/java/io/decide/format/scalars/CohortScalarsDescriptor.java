package io.decide.format.scalars;

/**
 * Layout of a COHORT_SCALARS section (section layout version 1, revision 1.1: the u32 at bid-block offset 20,
 * reserved in 1.0, is the model kind; 1.0 files have 0 there, which keeps its meaning). Offsets are relative to the section start (header
 * and bid directory) or to the start of a bid block; all numbers little-endian.
 * <pre>
 *  Section header (16 bytes) and bid directory
 *  +---------------------------------------------------------------+
 *  |                       Bid Count Q (u32)                       |  0
 *  +---------------------------------------------------------------+
 *  |                         Flags (u32) = 0                       |  4
 *  +---------------------------------------------------------------+
 *  |                       Reserved (u64) = 0                      |  8
 *  +---------------------------------------------------------------+
 *  |  Bid Block Offsets: Q x u32, from the section start, ascending|  16
 *  |  ... padded with zero bytes to a multiple of 8                |
 *  +---------------------------------------------------------------+
 *
 *  Bid block (40 + 16N bytes, 8-aligned)
 *  +---------------------------------------------------------------+
 *  |                       Bid Id (u32), unique                    |  0
 *  +---------------------------------------------------------------+
 *  |                    Cohort Count N (u32), 1..2^20              |  4
 *  +---------------+---------------+-------------------------------+
 *  | Direction (u8)| Method (u8)   |        Reserved (u16) = 0     |  8
 *  +---------------+---------------+-------------------------------+
 *  |  Model Ordinal (i32): section giving the sensitivity, or -1   |  12
 *  +---------------------------------------------------------------+
 *  |  Model Output (u32): which model output is the sensitivity    |  16
 *  +---------------------------------------------------------------+
 *  |  Model Kind (u32): 0 GBDT_ENSEMBLE, 1 DENSE_NETWORK           |  20
 *  +---------------------------------------------------------------+
 *  |                    Lower Bound l (f64), finite                |  24
 *  +---------------------------------------------------------------+
 *  |                 Upper Bound u (f64), finite, >= l             |  32
 *  +---------------------------------------------------------------+
 *  |          Default Scalar (f64) for unknown users, in [l, u]    |  40
 *  +---------------------------------------------------------------+
 *  |  Boundaries: (N-1) x f64, finite, strictly ascending          |  48
 *  +---------------------------------------------------------------+
 *  |  Scalars: N x f64, finite, in [l, u], monotone in Direction   |  48 + 8(N-1)
 *  +---------------------------------------------------------------+  40 + 16N
 * </pre>
 * Cohorts are ordered by ascending sensitivity; a user with sensitivity {@code s} is in cohort
 * {@code cohort(s) = number of boundaries <= s}. Direction {@link #INCREASING}: scalars non-decreasing in the cohort
 * index; {@link #DECREASING}: non-increasing. Method records how the scalars were solved ({@link #METHOD_MANUAL},
 * {@link #METHOD_LP}, ...); it is informational. Model ordinal -1 means the caller resolves cohorts (then model
 * output and model kind are 0); otherwise the section of type {@code Model Kind} ({@link #MODEL_GBDT}: GBDT_ENSEMBLE,
 * sensitivity = raw margin {@code Model Output}; {@link #MODEL_NETWORK}: DENSE_NETWORK, sensitivity = network output
 * {@code Model Output}) with number {@code Model Ordinal} must exist in the same artifact and have that output. Writer: {@link CohortScalarsWriter}; validator: {@link CohortScalarsValidator};
 * reader: {@link CohortScalarsFlyweight}.
 */
public final class CohortScalarsDescriptor
{
    public static final int VERSION = 1;

    public static final int BID_COUNT_OFFSET = 0;
    public static final int FLAGS_OFFSET = 4;
    public static final int RESERVED64_OFFSET = 8;
    public static final int DIRECTORY_OFFSET = 16;

    public static final int BID_ID_OFFSET = 0;
    public static final int COHORT_COUNT_OFFSET = 4;
    public static final int DIRECTION_OFFSET = 8;
    public static final int METHOD_OFFSET = 9;
    public static final int RESERVED16_OFFSET = 10;
    public static final int MODEL_ORDINAL_OFFSET = 12;
    public static final int MODEL_OUTPUT_OFFSET = 16;
    public static final int MODEL_KIND_OFFSET = 20;
    public static final int LOWER_OFFSET = 24;
    public static final int UPPER_OFFSET = 32;
    public static final int DEFAULT_SCALAR_OFFSET = 40;
    public static final int BID_HEADER_LENGTH = 48;

    /** Scalars non-decreasing with sensitivity. */
    public static final int INCREASING = 0;
    /** Scalars non-increasing with sensitivity. */
    public static final int DECREASING = 1;

    /** Scalars set by hand or by an unknown tool. */
    public static final int METHOD_MANUAL = 0;
    /** Linear performance fit, no chain. */
    public static final int METHOD_LP = 1;
    /** Linear performance fit, monotone chain. */
    public static final int METHOD_LP_SORTED = 2;
    /** Quadratic performance fit, no chain. */
    public static final int METHOD_LPQC = 3;
    /** Quadratic performance fit, monotone chain. */
    public static final int METHOD_LPQC_SORTED = 4;
    /** Discrete choice among the tested scalars (the paper's ILP (9)). */
    public static final int METHOD_ILP = 5;

    /** Model kind: the sensitivity is a raw margin of a GBDT_ENSEMBLE section (and the value of 1.0 files). */
    public static final int MODEL_GBDT = 0;
    /** Model kind: the sensitivity is an output of a DENSE_NETWORK section (e.g. one head of a multi-task net). */
    public static final int MODEL_NETWORK = 1;

    /** Model ordinal meaning "no sensitivity model". */
    public static final int NO_MODEL = -1;

    /** Most bids per section. */
    public static final int MAX_BIDS = 4096;
    /** Most cohorts per bid. */
    public static final int MAX_COHORTS = 1 << 20;

    private CohortScalarsDescriptor()
    {
    }

    /**
     * @param bidCount Q.
     * @return length of header plus directory, padded to 8.
     */
    public static int directoryEnd(final int bidCount)
    {
        return (DIRECTORY_OFFSET + 4 * bidCount + 7) & ~7;
    }

    /**
     * @param bid index of the bid in the directory.
     * @return offset of its directory entry.
     */
    public static int directoryEntryOffset(final int bid)
    {
        return DIRECTORY_OFFSET + 4 * bid;
    }

    /**
     * @param cohortCount N.
     * @return bid block length.
     */
    public static int bidBlockLength(final int cohortCount)
    {
        return 40 + 16 * cohortCount;
    }

    /**
     * @param boundary boundary index, 0..N-2.
     * @return its offset in the bid block.
     */
    public static int boundaryOffset(final int boundary)
    {
        return BID_HEADER_LENGTH + 8 * boundary;
    }

    /**
     * @param cohortCount N.
     * @param cohort      cohort index.
     * @return offset of its scalar in the bid block.
     */
    public static int scalarOffset(final int cohortCount, final int cohort)
    {
        return BID_HEADER_LENGTH + 8 * (cohortCount - 1) + 8 * cohort;
    }

    /**
     * @param method method code.
     * @return its CLI name ({@code lp}, {@code lp-sorted}, ...), or {@code manual}.
     */
    public static String methodName(final int method)
    {
        switch (method)
        {
            case METHOD_LP: return "lp";
            case METHOD_LP_SORTED: return "lp-sorted";
            case METHOD_LPQC: return "lpqc";
            case METHOD_LPQC_SORTED: return "lpqc-sorted";
            case METHOD_ILP: return "ilp";
            default: return "manual";
        }
    }
}
