package io.decide.format;

/**
 * Layout of the fixed artifact header at offset 0 of every {@code .dpol} file. All fields little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |               Magic "DPOL\r\n\032\n" (8 bytes)                |  0
 *  +-------------------------------+-------------------------------+
 *  |         Major (u16)           |         Minor (u16)           |  8
 *  +-------------------------------+-------------------------------+
 *  |                     Header Length (u32)                       | 12
 *  +---------------------------------------------------------------+
 *  |                     File Length (i64)                         | 16
 *  +---------------------------------------------------------------+
 *  |                   Artifact Version (i64)                      | 24
 *  +---------------------------------------------------------------+
 *  |                Created, epoch millis (i64)                    | 32
 *  +---------------------------------------------------------------+
 *  |                 Section Table Offset (u32)                    | 40
 *  +---------------------------------------------------------------+
 *  |                    Section Count (u32)                        | 44
 *  +---------------------------------------------------------------+
 *  |       File CRC32C (u32), computed with this field zero        | 48
 *  +---------------------------------------------------------------+
 *  |                      Flags (u32) = 0                          | 52
 *  +-------------------------------+-------------------------------+
 *  |       Name Length (u16)       |      Reserved (6 bytes) = 0   | 56
 *  +-------------------------------+-------------------------------+
 *  |             Name, ASCII [A-Za-z0-9._-], zero padded           | 64
 *  |                          (64 bytes)                           |
 *  +---------------------------------------------------------------+ 128
 * </pre>
 * A newer minor version may declare a longer header; readers of the same major version skip to the section
 * table by its declared offset. Writer: {@link ArtifactWriter}. Validator: {@link ArtifactValidator}.
 */
public final class ArtifactDescriptor
{
    /** Magic bytes as a little-endian long: "DPOL" then CR LF SUB LF, which catch text-mode and 7-bit damage. */
    public static final long MAGIC = 0x0A1A0A0D4C4F5044L;
    /** The major version this reader understands; any other major version is refused. */
    public static final int MAJOR_VERSION = 1;
    /** The minor version this writer produces. */
    public static final int MINOR_VERSION = 0;

    public static final int MAGIC_OFFSET = 0;
    public static final int MAJOR_OFFSET = 8;
    public static final int MINOR_OFFSET = 10;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int FILE_LENGTH_OFFSET = 16;
    public static final int ARTIFACT_VERSION_OFFSET = 24;
    public static final int CREATED_MILLIS_OFFSET = 32;
    public static final int SECTION_TABLE_OFFSET_OFFSET = 40;
    public static final int SECTION_COUNT_OFFSET = 44;
    public static final int FILE_CRC_OFFSET = 48;
    public static final int FLAGS_OFFSET = 52;
    public static final int NAME_LENGTH_OFFSET = 56;
    public static final int RESERVED_OFFSET = 58;
    public static final int RESERVED_LENGTH = 6;
    public static final int NAME_OFFSET = 64;
    public static final int NAME_MAX_LENGTH = 64;

    /** Length of the header this version writes, and the minimum any reader accepts. */
    public static final int HEADER_LENGTH = 128;
    /** Every section, and the section table, starts at a multiple of this. */
    public static final int ALIGNMENT = 64;
    /** Largest file the loader maps in one piece. */
    public static final long MAX_FILE_LENGTH = Integer.MAX_VALUE;
    /** Upper bound on the section count, so a corrupt count cannot ask for a huge table. */
    public static final int MAX_SECTIONS = 4096;

    private ArtifactDescriptor()
    {
    }

    /**
     * Round {@code value} up to the next multiple of {@link #ALIGNMENT}.
     *
     * @param value a non-negative offset.
     * @return the aligned offset.
     */
    public static long align(final long value)
    {
        return (value + ALIGNMENT - 1) & ~((long)ALIGNMENT - 1);
    }

    /**
     * Whether {@code name} is a valid artifact name: 1 to 64 characters of {@code [A-Za-z0-9._-]}.
     *
     * @param name candidate name.
     * @return true when valid.
     */
    public static boolean isValidName(final CharSequence name)
    {
        final int length = name.length();
        if (length < 1 || length > NAME_MAX_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (!isNameChar(name.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    static boolean isNameChar(final int c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-';
    }
}
