package io.decide.tools.cohort;

import java.io.IOException;

/** users.csv is malformed; the message names the file, the line and the column. */
public final class CohortInputException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where.
     */
    public CohortInputException(final String message)
    {
        super(message);
    }
}
