package io.decide.format;

/**
 * An artifact was refused: it names the file, the section (or header region), the byte offset and what was
 * expected. Thrown only at load and by writers, never on a decision path.
 */
public final class ArtifactFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String section;
    private final long offset;
    private final String reason;

    /**
     * Create an exception.
     *
     * @param source  file name or other description of where the bytes came from.
     * @param section region of the file: "header", "section table entry 2", "FEATURE_SCHEMA #0", ...
     * @param offset  byte offset in the file the problem was found at, or -1 when not applicable.
     * @param reason  what was found and what was expected.
     */
    public ArtifactFormatException(final String source, final String section, final long offset, final String reason)
    {
        super(format(source, section, offset, reason));
        this.source = source;
        this.section = section;
        this.offset = offset;
        this.reason = reason;
    }

    /**
     * Same as {@link #ArtifactFormatException(String, String, long, String)} with a cause.
     *
     * @param source  where the bytes came from.
     * @param section region of the file.
     * @param offset  byte offset, or -1.
     * @param reason  what was wrong.
     * @param cause   underlying exception.
     */
    public ArtifactFormatException(
        final String source, final String section, final long offset, final String reason, final Throwable cause)
    {
        super(format(source, section, offset, reason), cause);
        this.source = source;
        this.section = section;
        this.offset = offset;
        this.reason = reason;
    }

    private static String format(final String source, final String section, final long offset, final String reason)
    {
        return source + ": " + section + (offset >= 0 ? " at offset " + offset : "") + ": " + reason;
    }

    /** @return the file or description the artifact came from. */
    public String source()
    {
        return source;
    }

    /** @return the region of the file. */
    public String section()
    {
        return section;
    }

    /** @return the byte offset, or -1. */
    public long offset()
    {
        return offset;
    }

    /** @return what was wrong, without the location prefix. */
    public String reason()
    {
        return reason;
    }
}
