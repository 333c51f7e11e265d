package io.decide.sidecar.protocol;

/**
 * The header every frame starts with, requests and responses alike, in every protocol version. Little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Frame Length (u32)                        |  0
 *  +---------------+---------------+---------------+---------------+
 *  | Version Major | Version Minor |  Frame Type   |   Reserved 0  |  4
 *  +---------------+---------------+---------------+---------------+
 *  |                                                               |  8
 *  +                      Request Id (u64)                         +
 *  |                                                               |
 *  +===============================================================+  16: body (request or response)
 * </pre>
 * Frame Length counts the whole frame, header included, and is a multiple of {@link #ALIGNMENT}; bodies are
 * zero-padded to it. A receiver that sees a length outside {@code [HEADER_LENGTH, max]} or not aligned cannot find
 * the next frame: it answers {@link ProtocolStatus#MALFORMED_FRAME} and closes the connection. A major version it
 * does not speak is answered with {@link ProtocolStatus#UNSUPPORTED_VERSION} and the frame is skipped (its length is
 * in the same place in every version). A newer minor version may append fields; readers ignore bytes they do not
 * know.
 */
public final class FrameDescriptor
{
    public static final int FRAME_LENGTH_OFFSET = 0;
    public static final int VERSION_MAJOR_OFFSET = 4;
    public static final int VERSION_MINOR_OFFSET = 5;
    public static final int FRAME_TYPE_OFFSET = 6;
    public static final int RESERVED_OFFSET = 7;
    public static final int REQUEST_ID_OFFSET = 8;
    public static final int HEADER_LENGTH = 16;

    /** Frame lengths and section starts are multiples of this. */
    public static final int ALIGNMENT = 8;

    /** The protocol major version this code speaks. */
    public static final int VERSION_MAJOR = 1;
    /** The protocol minor version this code writes. */
    public static final int VERSION_MINOR = 0;

    /** Frame type of a request (client to daemon). */
    public static final int TYPE_REQUEST = 1;
    /** Frame type of a response (daemon to client). */
    public static final int TYPE_RESPONSE = 2;

    /** Largest frame a daemon accepts unless configured otherwise (256 KiB). */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 256 * 1024;

    private FrameDescriptor()
    {
    }

    /**
     * @param length a length in bytes, >= 0.
     * @return the length rounded up to a multiple of {@link #ALIGNMENT}.
     */
    public static int align(final int length)
    {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
