package io.decide.tools.scalars;

/** A scalar problem is refused: not convex (naming the cohort) or infeasible (naming the shortfall). */
public final class ScalarInfeasibleException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which cohort or constraint, and why.
     */
    public ScalarInfeasibleException(final String message)
    {
        super(message);
    }
}
