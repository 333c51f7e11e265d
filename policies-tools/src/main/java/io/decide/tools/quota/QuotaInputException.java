package io.decide.tools.quota;

import java.io.IOException;

/** An input file for the quota tools is malformed; the message names the file, the row and the column. */
public final class QuotaInputException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where.
     */
    public QuotaInputException(final String message)
    {
        super(message);
    }
}
