package io.decide.engine.scalar;

import io.decide.engine.cohort.CohortReader;
import io.decide.engine.rank.RankContext;
import io.decide.engine.rank.Ranker;
import org.agrona.DirectBuffer;

/**
 * Ranking with personalised scalars in one call: the request's scalars from a {@link ScalarDecider} become the CQS
 * weights of a {@link Ranker} ({@code CQS_i = Σ_q scalar_q · pQuality_{i,q}}, docs/RANKING.md). The batch's quality
 * event {@code q} must be the section's bid index {@code q} (use {@link ScalarDecider#bidIndex} to lay batches out).
 * Immutable and thread-safe; each thread passes its own {@link Context}; nothing allocates.
 */
public final class ScalarRanking
{
    /** Per-thread scratch: the request's scalars and the decider's and ranker's contexts. */
    public static final class Context
    {
        final double[] scalars;
        final ScalarContext scalar;
        final RankContext rank;

        Context(final ScalarDecider decider, final int maxCandidates)
        {
            this.scalars = new double[decider.bidCount()];
            this.scalar = decider.newContext();
            this.rank = new RankContext(maxCandidates);
        }

        /** @return the scalars of the last request (index = bid index). */
        public double[] scalars()
        {
            return scalars;
        }

        /** @return the ranker's scratch: {@link RankContext#totalValue} of every candidate of the last batch. */
        public RankContext rank()
        {
            return rank;
        }
    }

    private final ScalarDecider decider;
    private final Ranker ranker;

    /**
     * @param decider the scalar decider (one artifact version).
     * @param ranker  the ranker.
     */
    public ScalarRanking(final ScalarDecider decider, final Ranker ranker)
    {
        this.decider = decider;
        this.ranker = ranker;
    }

    /** @return the decider. */
    public ScalarDecider decider()
    {
        return decider;
    }

    /**
     * @param maxCandidates largest batch ranked with the context.
     * @return a new per-thread context.
     */
    public Context newContext(final int maxCandidates)
    {
        return new Context(decider, maxCandidates);
    }

    /**
     * Top K of a batch for a user whose cohorts come from a table ({@link ScalarDecider#scalarsForUser}).
     *
     * @param userId  the user.
     * @param reader  the calling thread's table reader.
     * @param batch   buffer holding the candidate batch (validated once where it entered).
     * @param offset  offset of the batch.
     * @param k       how many to select.
     * @param out     receives candidate indices, best first.
     * @param context the calling thread's context.
     * @return {@link Ranker#topK}'s result: r = min(K, N), or a negative request fault.
     */
    public int topKForUser(
        final long userId, final CohortReader reader, final DirectBuffer batch, final int offset, final int k,
        final int[] out, final Context context)
    {
        decider.scalarsForUser(userId, reader, context.scalars, context.scalar);
        return ranker.topK(batch, offset, context.scalars, k, out, context.rank);
    }

    /**
     * Top K of a batch with scalars from the bids' sensitivity models ({@link ScalarDecider#scalarsFor}; bids
     * without a model use the table when {@code reader} is not null).
     *
     * @param userId  the user, for bids without a model.
     * @param reader  the calling thread's table reader, or null.
     * @param row     the request's feature row.
     * @param batch   buffer holding the candidate batch.
     * @param offset  offset of the batch.
     * @param k       how many to select.
     * @param out     receives candidate indices, best first.
     * @param context the calling thread's context.
     * @return {@link Ranker#topK}'s result.
     */
    public int topKFor(
        final long userId, final CohortReader reader, final double[] row, final DirectBuffer batch, final int offset,
        final int k, final int[] out, final Context context)
    {
        decider.scalarsFor(userId, reader, row, context.scalars, context.scalar);
        return ranker.topK(batch, offset, context.scalars, k, out, context.rank);
    }
}
