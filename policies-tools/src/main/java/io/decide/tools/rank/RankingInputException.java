package io.decide.tools.rank;

import java.io.IOException;

/** A scores file for the ranking tools is malformed; the message names the file, the line and the column. */
public final class RankingInputException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where.
     */
    public RankingInputException(final String message)
    {
        super(message);
    }
}
