package io.decide.tools.log;

import java.io.IOException;

/** A rewards file is malformed, or the log and the rewards disagree; the message names the file and row. */
public final class LogInputException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where.
     */
    public LogInputException(final String message)
    {
        super(message);
    }
}
