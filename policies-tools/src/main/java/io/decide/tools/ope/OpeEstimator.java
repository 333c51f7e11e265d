package io.decide.tools.ope;

import java.util.Locale;

/** The estimators of {@link OffPolicyEvaluator}, named as on the command line. Formulas: {@code docs/OPE.md}. */
public enum OpeEstimator
{
    /** Direct method: the mean over rows of Σ_a π_e(a | x_i) q̂(x_i, a). */
    DM("dm", true),
    /** Inverse propensity weighting, with weights optionally clipped at c. */
    IPW("ipw", false),
    /** Self-normalised IPW: Σ w_i r_i / Σ w_i. */
    SNIPW("snipw", false),
    /** Doubly robust: DM plus the weighted residual of the logged action (weights clipped like IPW's). */
    DR("dr", true),
    /** Self-normalised DR: DM plus Σ w_i (r_i - q̂_i) / Σ w_i. */
    SNDR("sndr", true),
    /** Switch-DR: DR where w_i ≤ τ, DM alone where w_i > τ. */
    SWITCH_DR("switch-dr", true),
    /** DR with optimistic shrinkage of the weights: w ↦ λ w / (w² + λ). */
    DROS("dros", true);

    private final String cliName;
    private final boolean needsRewardModel;

    OpeEstimator(final String cliName, final boolean needsRewardModel)
    {
        this.cliName = cliName;
        this.needsRewardModel = needsRewardModel;
    }

    /** @return the name used on the command line and as the key in estimates.json. */
    public String cliName()
    {
        return cliName;
    }

    /** @return whether the estimator needs the reward model q̂ (estimated rewards). */
    public boolean needsRewardModel()
    {
        return needsRewardModel;
    }

    /**
     * @param name a command-line name (case-insensitive).
     * @return the estimator.
     * @throws IllegalArgumentException for an unknown name, listing the known ones.
     */
    public static OpeEstimator parse(final String name)
    {
        final String lower = name.strip().toLowerCase(Locale.ROOT);
        for (final OpeEstimator e : values())
        {
            if (e.cliName.equals(lower))
            {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown estimator '" + name + "'; expected one of " +
            "dm, ipw, snipw, dr, sndr, switch-dr, dros");
    }
}
