package io.decide.format;

/**
 * Layout of one section table entry. The table starts at the header's section table offset (64-byte aligned)
 * and holds {@code sectionCount} entries of {@link #ENTRY_LENGTH} bytes each.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |        Type Id (u16)          |    Section Layout Version     |  0
 *  +-------------------------------+-------------------------------+
 *  |              CRC32C of the section's bytes (u32)              |  4
 *  +---------------------------------------------------------------+
 *  |                 Offset from file start (i64)                  |  8
 *  +---------------------------------------------------------------+
 *  |                      Length in bytes (i64)                    | 16
 *  +---------------------------------------------------------------+
 *  |                      Reserved (8 bytes) = 0                   | 24
 *  +---------------------------------------------------------------+ 32
 * </pre>
 * Sections start at multiples of 64, do not overlap, and every byte between regions is zero.
 */
public final class SectionTableDescriptor
{
    public static final int TYPE_OFFSET = 0;
    public static final int SECTION_VERSION_OFFSET = 2;
    public static final int CRC_OFFSET = 4;
    public static final int OFFSET_OFFSET = 8;
    public static final int LENGTH_OFFSET = 16;
    public static final int RESERVED_OFFSET = 24;
    public static final int ENTRY_LENGTH = 32;

    private SectionTableDescriptor()
    {
    }

    /**
     * Offset of entry {@code index} in the file.
     *
     * @param tableOffset section table offset from the header.
     * @param index       entry index.
     * @return file offset of the entry.
     */
    public static int entryOffset(final int tableOffset, final int index)
    {
        return tableOffset + index * ENTRY_LENGTH;
    }
}
