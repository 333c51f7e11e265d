package io.decide.engine.log;

import io.decide.engine.service.DecisionKind;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Layout of a decision log segment file ({@code segment-NNNNNNNNNNNNNNNNNNNN.dlog}): a fixed-length header
 * holding the artifact names table, then length-prefixed, 8-byte aligned records. All numbers little-endian.
 * The spec is the "Decision log files" part of {@code docs/FORMAT.md}; writer {@link SegmentWriter}, reader
 * {@link DecisionLogReader} with {@link DecisionRecordFlyweight}.
 * <p>
 * Segment header ({@link #HEADER_LENGTH} bytes; a reader uses the declared header length):
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Magic "DECIDLOG" (8 bytes ASCII)             |  0
 *  +-------------------------------+-------------------------------+
 *  |  Major Version (u16)          |  Minor Version (u16)          |  8
 *  +-------------------------------+-------------------------------+
 *  |                  Header Length (u32)                          |  12
 *  +---------------------------------------------------------------+
 *  |                  Segment Index (i64)                          |  16
 *  +---------------------------------------------------------------+
 *  |                  Creation Time, epoch ns (i64)                |  24
 *  +---------------------------------------------------------------+
 *  |                  State (u32): 0 open, 1 sealed                |  32
 *  +---------------------------------------------------------------+
 *  |                  Name Count (u32)                             |  36
 *  +---------------------------------------------------------------+
 *  |                  Data End (i64), when sealed                  |  40
 *  +---------------------------------------------------------------+
 *  |                  Record Count (i64), when sealed              |  48
 *  +---------------------------------------------------------------+
 *  |                  Names Length (u32)                           |  56
 *  +---------------------------------------------------------------+
 *  |                  Reserved (u32) = 0                           |  60
 *  +===============================================================+
 *  |  Names table: per name, u16 byte length L, L bytes UTF-8,     |  64
 *  |  zero padding to a multiple of 8; name id = position          |
 *  +---------------------------------------------------------------+
 *  |  zero up to the header length                                 |
 *  +===============================================================+  header length
 * </pre>
 * Record (length {@code 64 + 8K + 8F}, always a multiple of 8; the length is stored last, so a zero length means
 * "no record committed here"):
 * <pre>
 *  +-------------------------------+-------------------------------+
 *  |  Record Length (u32)          |  CRC32C of bytes [8, length)  |  0
 *  +-------------------------------+-------------------------------+
 *  |                  Request Id (i64)                             |  8
 *  +---------------------------------------------------------------+
 *  |                  User Id (i64)                                |  16
 *  +---------------------------------------------------------------+
 *  |                  Time, epoch ns (i64)                         |  24
 *  +---------------------------------------------------------------+
 *  |                  Artifact Version (i64)                       |  32
 *  +---------------+-------+-------+---------------+---------------+
 *  |  Name Id u16  |Kind u8|Flag u8|  Actions K u16| Features F u16|  40
 *  +---------------+-------+-------+---------------+---------------+
 *  |  Action (i32)                 |  Position (i32)               |  48
 *  +-------------------------------+-------------------------------+
 *  |                  Propensity (f64)                             |  56
 *  +===============================================================+
 *  |                  Probability of action 0 .. K-1 (f64 x K)     |  64
 *  +===============================================================+
 *  |                  Feature 0 .. F-1 (f64 x F)                   |  64 + 8K
 *  +===============================================================+  64 + 8K + 8F
 * </pre>
 */
public final class DecisionLogDescriptor
{
    /** "DECIDLOG" in ASCII, read as a little-endian i64. */
    public static final long MAGIC = bytesToLong("DECIDLOG".getBytes(StandardCharsets.US_ASCII));
    /** Major version: a reader refuses any other. */
    public static final int MAJOR_VERSION = 1;
    /** Minor version: additions a v1 reader may ignore. */
    public static final int MINOR_VERSION = 0;

    public static final int MAGIC_OFFSET = 0;
    public static final int MAJOR_VERSION_OFFSET = 8;
    public static final int MINOR_VERSION_OFFSET = 10;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int SEGMENT_INDEX_OFFSET = 16;
    public static final int CREATION_TIME_OFFSET = 24;
    public static final int STATE_OFFSET = 32;
    public static final int NAME_COUNT_OFFSET = 36;
    public static final int DATA_END_OFFSET = 40;
    public static final int RECORD_COUNT_OFFSET = 48;
    public static final int NAMES_LENGTH_OFFSET = 56;
    public static final int RESERVED_OFFSET = 60;
    /** Start of the names table. */
    public static final int NAMES_OFFSET = 64;
    /** Header length the writer uses (4 KiB, one page): the names table has {@code 4096 - 64} bytes. */
    public static final int HEADER_LENGTH = 4096;

    /** State: a writer owns the segment; records end at the first zero length. */
    public static final int STATE_OPEN = 0;
    /** State: the writer finished the segment; Data End and Record Count are set. */
    public static final int STATE_SEALED = 1;

    /** Longest artifact name in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;

    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int REQUEST_ID_OFFSET = 8;
    public static final int USER_ID_OFFSET = 16;
    public static final int TIME_OFFSET = 24;
    public static final int ARTIFACT_VERSION_OFFSET = 32;
    public static final int NAME_ID_OFFSET = 40;
    public static final int KIND_OFFSET = 42;
    public static final int FLAGS_OFFSET = 43;
    public static final int ACTION_COUNT_OFFSET = 44;
    public static final int FEATURE_COUNT_OFFSET = 46;
    public static final int ACTION_OFFSET = 48;
    public static final int POSITION_OFFSET = 52;
    public static final int PROPENSITY_OFFSET = 56;
    /** Fixed part of a record; the probabilities start here. */
    public static final int RECORD_HEADER_LENGTH = 64;
    /** Records start and end on this alignment. */
    public static final int RECORD_ALIGNMENT = 8;
    /** Most actions (K) or features (F) in a record: a u16. */
    public static final int MAX_COUNT = 0xFFFF;

    /** Decision kind: none given. Kinds 1..255 are the ids of {@link io.decide.engine.service.DecisionKind}. */
    public static final int KIND_UNSPECIFIED = 0;
    /** Decision kind: GBDT prediction ({@code DecisionKind.GBDT_PREDICT}). */
    public static final int KIND_GBDT_PREDICT = 1;
    /** Decision kind: creative quota, ACQ ({@code DecisionKind.QUOTA}). */
    public static final int KIND_QUOTA = 2;
    /** Decision kind: ranking with quality scalars ({@code DecisionKind.RANK}). */
    public static final int KIND_RANK = 3;
    /** Decision kind: quality-bid scalar, Opus ({@code DecisionKind.SCALAR}). */
    public static final int KIND_SCALAR = 4;
    /** Decision kind: ad-slot pattern of a feed fetch, ad-load bandit ({@code DecisionKind.AD_SLOT}). */
    public static final int KIND_AD_SLOT = 5;

    /** Segment file name prefix. */
    public static final String FILE_PREFIX = "segment-";
    /** Segment file name suffix. */
    public static final String FILE_SUFFIX = ".dlog";

    private DecisionLogDescriptor()
    {
    }

    /**
     * @param actionCount  K.
     * @param featureCount F.
     * @return bytes of a record with K probabilities and F features.
     */
    public static int recordLength(final int actionCount, final int featureCount)
    {
        return RECORD_HEADER_LENGTH + 8 * actionCount + 8 * featureCount;
    }

    /**
     * @param nameBytes UTF-8 length of a name.
     * @return bytes the name takes in the names table.
     */
    public static int nameEntryLength(final int nameBytes)
    {
        return (2 + nameBytes + 7) & ~7;
    }

    /**
     * @param segmentIndex index of the segment.
     * @return its file name, the index zero-padded to 20 digits so names sort in index order.
     */
    public static String fileName(final long segmentIndex)
    {
        final String digits = Long.toString(segmentIndex);
        return FILE_PREFIX + "0".repeat(Math.max(0, 20 - digits.length())) + digits + FILE_SUFFIX;
    }

    /**
     * @param fileName a file name.
     * @return the segment index it names, or -1 when it is not a segment file name.
     */
    public static long segmentIndex(final String fileName)
    {
        if (!fileName.startsWith(FILE_PREFIX) || !fileName.endsWith(FILE_SUFFIX) ||
            fileName.length() != FILE_PREFIX.length() + 20 + FILE_SUFFIX.length())
        {
            return -1;
        }
        final String digits = fileName.substring(FILE_PREFIX.length(), FILE_PREFIX.length() + 20);
        for (int i = 0; i < digits.length(); i++)
        {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9')
            {
                return -1;
            }
        }
        try
        {
            return Long.parseLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /**
     * @param kind a decision kind.
     * @return its {@link DecisionKind} name in lower case ({@code ad_slot}, ...), {@code unspecified} for 0, or the
     *     number for kinds without a name.
     */
    public static String kindName(final int kind)
    {
        final DecisionKind known = DecisionKind.fromId(kind);
        return known != null ? known.name().toLowerCase(Locale.ROOT) :
            kind == KIND_UNSPECIFIED ? "unspecified" : Integer.toString(kind);
    }

    private static long bytesToLong(final byte[] bytes)
    {
        long value = 0;
        for (int i = 7; i >= 0; i--)
        {
            value = (value << 8) | (bytes[i] & 0xFFL);
        }
        return value;
    }
}
