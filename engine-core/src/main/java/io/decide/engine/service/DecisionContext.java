package io.decide.engine.service;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.quota.QuotaContext;
import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.rank.RankContext;
import io.decide.engine.registry.PolicyReader;

/**
 * A thread's scratch state for {@link DecisionEngine} decisions, and where each decision reports how it was
 * answered: {@link #version()}, {@link #fallback()}, {@link #resultCount()}. One per thread, kept for the thread's
 * life (it holds one of the registry's readers); close it to give the reader back. Not thread-safe.
 */
public final class DecisionContext implements AutoCloseable
{
    final PolicyReader reader;
    final RankContext rank;
    double[] row = new double[16];
    private GbdtEvaluator[] gbdtOwners = new GbdtEvaluator[8];
    private GbdtContext[] gbdtContexts = new GbdtContext[8];
    private QuotaDecider[] quotaOwners = new QuotaDecider[8];
    private QuotaContext[] quotaContexts = new QuotaContext[8];
    private long version;
    private boolean fallback;
    private int resultCount;

    DecisionContext(final PolicyReader reader, final int maxCandidates)
    {
        this.reader = reader;
        this.rank = new RankContext(maxCandidates);
    }

    /** @return version of the artifact that answered the last decision; 0 for a static default or no artifact. */
    public long version()
    {
        return version;
    }

    /** @return whether the last decision was answered by a fallback (last good version or static default). */
    public boolean fallback()
    {
        return fallback;
    }

    /** @return how many outputs the last successful decision wrote (outputs, 1 for k*, r for top-K). */
    public int resultCount()
    {
        return resultCount;
    }

    /** @return most candidates a rank decision accepts. */
    public int maxCandidates()
    {
        return rank.maxCandidates();
    }

    void answered(final long version, final boolean fallback, final int resultCount)
    {
        this.version = version;
        this.fallback = fallback;
        this.resultCount = resultCount;
    }

    void reset()
    {
        version = 0;
        fallback = false;
        resultCount = 0;
    }

    double[] row(final int length)
    {
        if (row.length < length)
        {
            row = new double[Math.max(length, row.length * 2)];
        }
        return row;
    }

    GbdtContext gbdtContext(final int handle, final GbdtEvaluator evaluator)
    {
        if (handle >= gbdtOwners.length)
        {
            gbdtOwners = java.util.Arrays.copyOf(gbdtOwners, Math.max(handle + 1, gbdtOwners.length * 2));
            gbdtContexts = java.util.Arrays.copyOf(gbdtContexts, gbdtOwners.length);
        }
        if (gbdtOwners[handle] != evaluator)
        {
            gbdtContexts[handle] = evaluator.newContext();
            gbdtOwners[handle] = evaluator;
        }
        return gbdtContexts[handle];
    }

    QuotaContext quotaContext(final int handle, final QuotaDecider decider)
    {
        if (handle >= quotaOwners.length)
        {
            quotaOwners = java.util.Arrays.copyOf(quotaOwners, Math.max(handle + 1, quotaOwners.length * 2));
            quotaContexts = java.util.Arrays.copyOf(quotaContexts, quotaOwners.length);
        }
        if (quotaOwners[handle] != decider)
        {
            quotaContexts[handle] = decider.newContext();
            quotaOwners[handle] = decider;
        }
        return quotaContexts[handle];
    }

    /** Give the registry reader back. */
    @Override
    public void close()
    {
        reader.close();
    }
}
