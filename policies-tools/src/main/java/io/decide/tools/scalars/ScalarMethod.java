package io.decide.tools.scalars;

import io.decide.format.scalars.CohortScalarsDescriptor;

/** The solve methods of the Opus paper, with their CLI names and artifact codes. */
public enum ScalarMethod
{
    /** Linear performance fit, no chain. */
    LP("lp", false, false, CohortScalarsDescriptor.METHOD_LP),
    /** Linear performance fit, monotone chain. */
    LP_SORTED("lp-sorted", false, true, CohortScalarsDescriptor.METHOD_LP_SORTED),
    /** Quadratic performance fit, no chain. */
    LPQC("lpqc", true, false, CohortScalarsDescriptor.METHOD_LPQC),
    /** Quadratic performance fit, monotone chain. */
    LPQC_SORTED("lpqc-sorted", true, true, CohortScalarsDescriptor.METHOD_LPQC_SORTED),
    /** Discrete choice among the tested scalars (ILP (9)), quadratic fit, no chain. */
    ILP("ilp", true, false, CohortScalarsDescriptor.METHOD_ILP);

    private final String cliName;
    private final boolean quadratic;
    private final boolean sorted;
    private final int code;

    ScalarMethod(final String cliName, final boolean quadratic, final boolean sorted, final int code)
    {
        this.cliName = cliName;
        this.quadratic = quadratic;
        this.sorted = sorted;
        this.code = code;
    }

    /** @return name on the command line and in reports. */
    public String cliName()
    {
        return cliName;
    }

    /** @return whether performance is fitted quadratically. */
    public boolean quadratic()
    {
        return quadratic;
    }

    /** @return whether the monotone chain is imposed. */
    public boolean sorted()
    {
        return sorted;
    }

    /** @return the artifact's method code. */
    public int code()
    {
        return code;
    }

    /**
     * @param name CLI name.
     * @return the method.
     * @throws IllegalArgumentException when unknown.
     */
    public static ScalarMethod byName(final String name)
    {
        for (final ScalarMethod method : values())
        {
            if (method.cliName.equals(name))
            {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "', expected lp, lp-sorted, lpqc, " +
            "lpqc-sorted or ilp");
    }
}
