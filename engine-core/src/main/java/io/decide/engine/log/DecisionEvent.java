package io.decide.engine.log;

/**
 * One slot of the decision log's ring: a preallocated, mutable decision the producer fills between
 * {@link DecisionLog#claim()} and {@link DecisionLog#publish(long)}. Its arrays are sized once from the
 * {@link DecisionLogConfig}: write the probabilities into {@link #probabilities()} and set {@link #actionCount};
 * the features likewise. Setters return this so a fill reads as one statement. Every field is overwritten by the
 * next use of the slot: set all of them.
 */
public final class DecisionEvent
{
    long requestId;
    long userId;
    long timeEpochNanos;
    long artifactVersion;
    int artifactNameId;
    int kind;
    int action;
    int position;
    double propensity;
    int actionCount;
    int featureCount;
    final double[] probabilities;
    final double[] features;
    /** Set by a claim that found the log closed after claiming: the writer skips the slot. */
    boolean voided;

    DecisionEvent(final int maxActions, final int maxFeatures)
    {
        probabilities = new double[maxActions];
        features = new double[maxFeatures];
    }

    /**
     * @param requestId the request's id.
     * @return this.
     */
    public DecisionEvent requestId(final long requestId)
    {
        this.requestId = requestId;
        return this;
    }

    /**
     * @param userId the user's id.
     * @return this.
     */
    public DecisionEvent userId(final long userId)
    {
        this.userId = userId;
        return this;
    }

    /**
     * @param timeEpochNanos when the decision was made, nanoseconds since the Unix epoch
     *                       ({@link DecisionLog#epochNanos()}).
     * @return this.
     */
    public DecisionEvent timeEpochNanos(final long timeEpochNanos)
    {
        this.timeEpochNanos = timeEpochNanos;
        return this;
    }

    /**
     * @param artifactNameId id from {@link DecisionLog#artifactId(String)}.
     * @param version        the artifact's version.
     * @return this.
     */
    public DecisionEvent artifact(final int artifactNameId, final long version)
    {
        this.artifactNameId = artifactNameId;
        this.artifactVersion = version;
        return this;
    }

    /**
     * @param kind decision kind, 0..255 ({@link DecisionLogDescriptor#KIND_AD_SLOT}, ...).
     * @return this.
     */
    public DecisionEvent kind(final int kind)
    {
        this.kind = kind;
        return this;
    }

    /**
     * @param action     the chosen action.
     * @param position   the position (slot) decided, 0-based; 0 for single-slot decisions.
     * @param propensity the probability the chosen action had.
     * @return this.
     */
    public DecisionEvent choice(final int action, final int position, final double propensity)
    {
        this.action = action;
        this.position = position;
        this.propensity = propensity;
        return this;
    }

    /** @return the probability vector to fill, {@link DecisionLogConfig#maxActions()} long. */
    public double[] probabilities()
    {
        return probabilities;
    }

    /**
     * @param actionCount K, how many leading entries of {@link #probabilities()} the record holds.
     * @return this.
     */
    public DecisionEvent actionCount(final int actionCount)
    {
        this.actionCount = actionCount;
        return this;
    }

    /** @return the feature vector to fill, {@link DecisionLogConfig#maxFeatures()} long. */
    public double[] features()
    {
        return features;
    }

    /**
     * @param featureCount F, how many leading entries of {@link #features()} the record holds (written only when
     *                     the log is configured to log features).
     * @return this.
     */
    public DecisionEvent featureCount(final int featureCount)
    {
        this.featureCount = featureCount;
        return this;
    }

    /**
     * Copy a probability vector in.
     *
     * @param source probabilities of actions 0 .. count-1.
     * @param count  K.
     * @return this.
     */
    public DecisionEvent probabilities(final double[] source, final int count)
    {
        System.arraycopy(source, 0, probabilities, 0, count);
        actionCount = count;
        return this;
    }

    /**
     * Copy a feature vector in.
     *
     * @param source features 0 .. count-1.
     * @param count  F.
     * @return this.
     */
    public DecisionEvent features(final double[] source, final int count)
    {
        System.arraycopy(source, 0, features, 0, count);
        featureCount = count;
        return this;
    }
}
