package io.decide.tools.ope;

import java.io.IOException;

/** An OPE input file is malformed; the message names the file, the 1-based line and the column. */
public final class OpeInputException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where.
     */
    public OpeInputException(final String message)
    {
        super(message);
    }
}
