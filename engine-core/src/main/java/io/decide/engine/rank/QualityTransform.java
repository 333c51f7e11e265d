package io.decide.engine.rank;

/**
 * f in {@code total value = eCPM − f(CQS)}: the ad-quality cost of a consolidated quality score. Linear,
 * {@code f(CQS) = a·CQS + b}; {@link #IDENTITY} ({@code a = 1, b = 0}) is the default. With Decide's convention that
 * quality events are negative events (see {@link CandidateBatchDescriptor}), {@code a > 0} penalises them; a
 * negative {@code a} turns f into a bonus for positive quality events. {@code b} shifts every candidate equally,
 * so it never changes the ranking, only the total values reported. Immutable.
 */
public final class QualityTransform
{
    /** f(CQS) = CQS. */
    public static final QualityTransform IDENTITY = new QualityTransform(1.0, 0.0);

    private final double slope;
    private final double intercept;

    private QualityTransform(final double slope, final double intercept)
    {
        this.slope = slope;
        this.intercept = intercept;
    }

    /**
     * @param slope     a, finite.
     * @param intercept b, finite.
     * @return f(CQS) = a·CQS + b.
     */
    public static QualityTransform linear(final double slope, final double intercept)
    {
        if (!Double.isFinite(slope) || !Double.isFinite(intercept))
        {
            throw new IllegalArgumentException("quality transform a=" + slope + ", b=" + intercept +
                ", expected finite");
        }
        return new QualityTransform(slope, intercept);
    }

    /** @return a. */
    public double slope()
    {
        return slope;
    }

    /** @return b. */
    public double intercept()
    {
        return intercept;
    }

    /**
     * @param cqs a consolidated quality score.
     * @return {@code a·cqs + b}, computed exactly as {@link Ranker} does.
     */
    public double apply(final double cqs)
    {
        return slope * cqs + intercept;
    }

    @Override
    public String toString()
    {
        return "f(CQS) = " + slope + "·CQS + " + intercept;
    }
}
