package io.decide.tools.scalars;

/**
 * RCT responses of one quality bid: for cohort i (0-based, ascending sensitivity) the tested scalars and the
 * measured engagement and performance at each, in file order.
 *
 * @param bid         quality bid id.
 * @param scalars     per cohort, the tested scalars.
 * @param engagement  per cohort, engagement at each tested scalar.
 * @param performance per cohort, performance at each tested scalar.
 */
public record BidResponses(int bid, double[][] scalars, double[][] engagement, double[][] performance)
{
    /** @return number of cohorts N. */
    public int cohortCount()
    {
        return scalars.length;
    }
}
