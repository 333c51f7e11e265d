package io.decide.engine.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A decision log segment is damaged somewhere other than a torn tail: a bad header, or a bad record followed by
 * valid ones, or anything bad inside a sealed segment. The message names the file, the byte offset and what was
 * expected.
 */
public final class DecisionLogCorruptException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;
    private final String reason;

    /**
     * @param file   the segment file.
     * @param offset byte offset of the damaged field or record.
     * @param reason what was found and what was expected.
     */
    public DecisionLogCorruptException(final Path file, final long offset, final String reason)
    {
        super(file + " at offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    /** @return the segment file. */
    public Path file()
    {
        return file;
    }

    /** @return the byte offset of the damage. */
    public long offset()
    {
        return offset;
    }

    /** @return what was found and what was expected. */
    public String reason()
    {
        return reason;
    }
}
