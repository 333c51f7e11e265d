package io.decide.format.schema;

/**
 * Layout of a FEATURE_SCHEMA section (section layout version 1). Offsets are relative to the section start.
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                    Feature Count n (u32)                      |  0
 *  +---------------------------------------------------------------+
 *  |                      Reserved (u32) = 0                       |  4
 *  +---------------------------------------------------------------+
 *  |        n entries of 24 bytes, feature index = entry index     |  8
 *  +---------------------------------------------------------------+
 *  |     Name pool: UTF-8 names referenced by the entries          |  8 + 24n
 *  +---------------------------------------------------------------+
 *
 *  Entry:
 *  +---------------------------------------------------------------+
 *  |         Name Offset, relative to section start (u32)          |  0
 *  +---------------------------------------------------------------+
 *  |                    Name Length (u32)                          |  4
 *  +---------------+---------------+-------------------------------+
 *  |  Type (u8)    |  Missing (u8) |        Reserved (u16) = 0     |  8
 *  +---------------+---------------+-------------------------------+
 *  |                      Reserved (u32) = 0                       | 12
 *  +---------------------------------------------------------------+
 *  |   Sentinel (f64): the value meaning "missing" when Missing =  | 16
 *  |   SENTINEL; 0 otherwise                                       |
 *  +---------------------------------------------------------------+ 24
 * </pre>
 * Names are 1..{@link #MAX_NAME_LENGTH} bytes of valid UTF-8, unique, and lie inside the name pool. Writer:
 * {@link FeatureSchemaWriter}; validator: {@link FeatureSchemaValidator}.
 */
public final class FeatureSchemaDescriptor
{
    public static final int VERSION = 1;
    public static final int FEATURE_COUNT_OFFSET = 0;
    public static final int RESERVED_OFFSET = 4;
    public static final int ENTRIES_OFFSET = 8;

    public static final int ENTRY_NAME_OFFSET_OFFSET = 0;
    public static final int ENTRY_NAME_LENGTH_OFFSET = 4;
    public static final int ENTRY_TYPE_OFFSET = 8;
    public static final int ENTRY_MISSING_OFFSET = 9;
    public static final int ENTRY_RESERVED16_OFFSET = 10;
    public static final int ENTRY_RESERVED32_OFFSET = 12;
    public static final int ENTRY_SENTINEL_OFFSET = 16;
    public static final int ENTRY_LENGTH = 24;

    public static final int MAX_NAME_LENGTH = 1024;
    public static final int MAX_FEATURES = 1 << 20;

    private FeatureSchemaDescriptor()
    {
    }

    /**
     * @param index feature index.
     * @return offset of its entry relative to the section start.
     */
    public static int entryOffset(final int index)
    {
        return ENTRIES_OFFSET + index * ENTRY_LENGTH;
    }
}
