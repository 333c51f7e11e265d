package io.decide.engine.service;

/**
 * The static defaults a shed request gets when its artifact name has no good version of the requested kind (see
 * {@link DecisionEngine} for the whole fallback rule).
 *
 * @param gbdtValue   the one output written for a GBDT prediction.
 * @param quotaOption the option index written for a quota decision (0 = the cheapest option).
 */
public record FallbackDefaults(double gbdtValue, int quotaOption)
{
    /** GBDT 0.0, quota option 0. */
    public static final FallbackDefaults DEFAULTS = new FallbackDefaults(0.0, 0);

    /**
     * Checked at construction.
     *
     * @param gbdtValue   the GBDT default output.
     * @param quotaOption the quota default option, >= 0.
     */
    public FallbackDefaults
    {
        if (quotaOption < 0)
        {
            throw new IllegalArgumentException("default quota option " + quotaOption + ", expected >= 0");
        }
    }
}
