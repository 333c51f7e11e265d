package io.decide.engine.adslot;

/**
 * The outcome of one ad-slot decision, written in place into the {@link AdSlotContext} that made it (so reading it
 * allocates nothing; it is overwritten by the context's next decision). Arrays are indexed by pattern.
 */
public final class AdSlotDecision
{
    final double[] probabilities;
    final double[] rewards;
    final boolean[] allowed;
    final double[] features;
    long requestId;
    long userId;
    long nowMillis;
    int pattern;
    int mask;
    int greedyPattern;
    int allowedCount;
    double propensity;
    double draw;
    int postsSinceLastAd;
    boolean hadAdInSession;
    boolean holdout;
    boolean committed;
    String artifactName;
    long artifactVersion;

    AdSlotDecision(final int patternCount, final int rowLength)
    {
        this.probabilities = new double[patternCount];
        this.rewards = new double[patternCount];
        this.allowed = new boolean[patternCount];
        this.features = new double[rowLength];
    }

    /** @return the request id. */
    public long requestId()
    {
        return requestId;
    }

    /** @return the user id. */
    public long userId()
    {
        return userId;
    }

    /** @return the decision time, epoch millis. */
    public long nowMillis()
    {
        return nowMillis;
    }

    /** @return the chosen pattern index (the action). */
    public int pattern()
    {
        return pattern;
    }

    /** @return the chosen pattern's ad mask (bit i = an ad at slot i). */
    public int mask()
    {
        return mask;
    }

    /** @return ads in the chosen pattern. */
    public int adCount()
    {
        return Integer.bitCount(mask);
    }

    /** @return the pattern the policy ranks first (before exploration). */
    public int greedyPattern()
    {
        return greedyPattern;
    }

    /** @return the probability with which the chosen pattern was drawn (the logged propensity). */
    public double propensity()
    {
        return propensity;
    }

    /**
     * The full probability vector: p(pattern) for every pattern of the artifact, 0 for disallowed ones. Owned by the
     * context; copy it to keep it past the next decision.
     *
     * @return P probabilities summing to 1.
     */
    public double[] probabilities()
    {
        return probabilities;
    }

    /**
     * @param pattern pattern index.
     * @return its probability.
     */
    public double probability(final int pattern)
    {
        return probabilities[pattern];
    }

    /**
     * @param pattern pattern index.
     * @return whether it was allowed for this request.
     */
    public boolean allowed(final int pattern)
    {
        return allowed[pattern];
    }

    /** @return number of allowed patterns. */
    public int allowedCount()
    {
        return allowedCount;
    }

    /**
     * @param pattern pattern index.
     * @return its reward λ·SAT + (1−λ)·ADS (model policies, allowed patterns), else NaN.
     */
    public double reward(final int pattern)
    {
        return rewards[pattern];
    }

    /** @return the uniform draw in [0, 1) that picked the pattern. */
    public double draw()
    {
        return draw;
    }

    /** @return posts since the session's last ad, as the allowed subset saw it (a replay input). */
    public int postsSinceLastAd()
    {
        return postsSinceLastAd;
    }

    /** @return whether the session had shown an ad, as the allowed subset saw it (a replay input). */
    public boolean hadAdInSession()
    {
        return hadAdInSession;
    }

    /** @return whether the user is in the uniform-random holdout. */
    public boolean holdout()
    {
        return holdout;
    }

    /** @return whether the session state was updated (false while pending a commit). */
    public boolean committed()
    {
        return committed;
    }

    /**
     * The context features the models saw (the host's features with the state features written into their
     * slots), for the decision log. Owned by the context.
     *
     * @return C values.
     */
    public double[] features()
    {
        return features;
    }

    /** @return the deciding artifact's name. */
    public String artifactName()
    {
        return artifactName;
    }

    /** @return the deciding artifact's version. */
    public long artifactVersion()
    {
        return artifactVersion;
    }
}
