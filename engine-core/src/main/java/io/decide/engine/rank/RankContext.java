package io.decide.engine.rank;

/**
 * Per-thread scratch of a {@link Ranker}: the total value of every candidate of the last batch ranked. Create one
 * per thread, sized for the largest batch; not thread-safe.
 */
public final class RankContext
{
    final double[] values;

    /**
     * @param maxCandidates the largest N this context ranks, >= 0.
     */
    public RankContext(final int maxCandidates)
    {
        if (maxCandidates < 0)
        {
            throw new IllegalArgumentException("maxCandidates " + maxCandidates + " < 0");
        }
        this.values = new double[maxCandidates];
    }

    /** @return the largest N this context ranks. */
    public int maxCandidates()
    {
        return values.length;
    }

    /**
     * The total value the last {@link Ranker#topK} call gave a candidate (−∞ where it was NaN), e.g. to log the
     * early-stage score for {@code decide ranking-metrics}.
     *
     * @param candidate candidate index of the last batch.
     * @return its total value.
     */
    public double totalValue(final int candidate)
    {
        return values[candidate];
    }
}
