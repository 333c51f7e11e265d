package io.decide.tools.scalars;

import java.io.IOException;

/** An input file for the scalar tools is malformed; the message names the file, the line and the column. */
public final class ScalarsInputException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where.
     */
    public ScalarsInputException(final String message)
    {
        super(message);
    }
}
