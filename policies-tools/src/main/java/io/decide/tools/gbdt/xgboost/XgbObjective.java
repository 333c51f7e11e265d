package io.decide.tools.gbdt.xgboost;

import io.decide.format.gbdt.OutputTransform;

/**
 * The XGBoost objectives the importer accepts: what {@code Booster.predict} applies to the margins, and how
 * XGBoost turns the stored {@code base_score} into the margin every prediction starts from (its objective's
 * {@code ProbToMargin}, in float, with the C library's {@code logf}).
 */
enum XgbObjective
{
    SQUARED_ERROR("reg:squarederror", OutputTransform.IDENTITY, Link.IDENTITY),
    ABSOLUTE_ERROR("reg:absoluteerror", OutputTransform.IDENTITY, Link.IDENTITY),
    PSEUDO_HUBER_ERROR("reg:pseudohubererror", OutputTransform.IDENTITY, Link.IDENTITY),
    LOGISTIC_REGRESSION("reg:logistic", OutputTransform.SIGMOID, Link.LOGIT),
    BINARY_LOGISTIC("binary:logistic", OutputTransform.SIGMOID, Link.LOGIT),
    BINARY_LOGIT_RAW("binary:logitraw", OutputTransform.IDENTITY, Link.IDENTITY),
    MULTI_SOFTPROB("multi:softprob", OutputTransform.SOFTMAX, Link.IDENTITY),
    MULTI_SOFTMAX("multi:softmax", OutputTransform.ARGMAX, Link.IDENTITY),
    POISSON("count:poisson", OutputTransform.EXP, Link.LOG),
    GAMMA("reg:gamma", OutputTransform.EXP, Link.LOG),
    TWEEDIE("reg:tweedie", OutputTransform.EXP, Link.LOG);

    /** How {@code base_score} becomes a margin. */
    enum Link
    {
        /** Stored as a margin already. */
        IDENTITY,
        /** {@code -logf(1f / p - 1f)}, p in (0, 1). */
        LOGIT,
        /** {@code logf(mean)}, mean > 0. */
        LOG
    }

    private final String xgboostName;
    private final OutputTransform transform;
    private final Link link;

    XgbObjective(final String xgboostName, final OutputTransform transform, final Link link)
    {
        this.xgboostName = xgboostName;
        this.transform = transform;
        this.link = link;
    }

    /** @return the name in the model's {@code learner.objective.name}. */
    String xgboostName()
    {
        return xgboostName;
    }

    /** @return the transform {@code Booster.predict} applies to margins. */
    OutputTransform transform()
    {
        return transform;
    }

    /** @return whether this is a multi-class objective (needs {@code num_class}). */
    boolean multiClass()
    {
        return this == MULTI_SOFTPROB || this == MULTI_SOFTMAX;
    }

    /**
     * @param name objective name from the model.
     * @return the objective, or null when the importer does not support it.
     */
    static XgbObjective of(final String name)
    {
        for (final XgbObjective objective : values())
        {
            if (objective.xgboostName.equals(name))
            {
                return objective;
            }
        }
        return null;
    }

    /** @return the supported names, for error messages. */
    static String supportedNames()
    {
        final StringBuilder names = new StringBuilder();
        for (final XgbObjective objective : values())
        {
            names.append(names.length() == 0 ? "" : ", ").append(objective.xgboostName);
        }
        return names.toString();
    }

    /**
     * XGBoost's {@code ProbToMargin}: the margin predictions start from.
     *
     * @param baseScore the stored {@code base_score} value.
     * @return the margin, or NaN when the value is outside the objective's domain (XGBoost refuses it too).
     */
    float margin(final float baseScore)
    {
        switch (link)
        {
            case IDENTITY:
                return baseScore;
            case LOGIT:
                if (!(baseScore > 0.0f && baseScore < 1.0f))
                {
                    return Float.NaN;
                }
                return -GlibcLogf.logf(1.0f / baseScore - 1.0f);
            case LOG:
                if (!(baseScore > 0.0f))
                {
                    return Float.NaN;
                }
                return GlibcLogf.logf(baseScore);
            default:
                throw new IllegalStateException(link.name());
        }
    }

    /** @return what the base score must be, for error messages. */
    String domain()
    {
        switch (link)
        {
            case LOGIT:
                return "a probability in (0, 1)";
            case LOG:
                return "a positive mean";
            default:
                return "finite";
        }
    }
}
