package io.decide.engine.service;

import io.decide.engine.adslot.AdSlotContext;
import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.cohort.CohortReader;
import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.quota.QuotaContext;
import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.rank.RankContext;
import io.decide.engine.registry.PolicyReader;
import io.decide.engine.scalar.ScalarContext;
import io.decide.engine.scalar.ScalarDecider;
import io.decide.engine.state.SessionStateCursor;

/**
 * A thread's scratch state for {@link DecisionEngine} decisions, and where each decision reports how it was
 * answered: {@link #version()}, {@link #fallback()}, {@link #resultCount()}. One per thread, kept for the thread's
 * life (it holds one of the registry's readers); close it to give the reader back. Not thread-safe.
 */
public final class DecisionContext implements AutoCloseable
{
    final PolicyReader reader;
    final RankContext rank;
    final CohortReader cohorts;
    final SessionStateCursor state;
    final int[] unknownCohorts = new int[io.decide.engine.cohort.CohortTable.MAX_BIDS];
    double[] row = new double[16];
    private ScalarDecider[] scalarOwners = new ScalarDecider[8];
    private ScalarContext[] scalarContexts = new ScalarContext[8];
    private AdSlotDecider[] adSlotOwners = new AdSlotDecider[8];
    private AdSlotContext[] adSlotContexts = new AdSlotContext[8];
    private AdSlotDecision adSlotDecision;
    private int adPattern;
    private int adMask;
    private double propensity;
    private GbdtEvaluator[] gbdtOwners = new GbdtEvaluator[8];
    private GbdtContext[] gbdtContexts = new GbdtContext[8];
    private QuotaDecider[] quotaOwners = new QuotaDecider[8];
    private QuotaContext[] quotaContexts = new QuotaContext[8];
    private long version;
    private boolean fallback;
    private int resultCount;

    DecisionContext(
        final PolicyReader reader, final int maxCandidates, final CohortReader cohorts, final SessionStateCursor state)
    {
        this.reader = reader;
        this.rank = new RankContext(maxCandidates);
        this.cohorts = cohorts;
        this.state = state;
        java.util.Arrays.fill(unknownCohorts, -1);
    }

    /** @return the pattern index (the action) of the last OK ad-slot decision. */
    public int adPattern()
    {
        return adPattern;
    }

    /** @return the ad mask (bit i: an ad in feed slot i) of the last OK ad-slot decision. */
    public int adMask()
    {
        return adMask;
    }

    /** @return the probability with which the last OK ad-slot decision chose its pattern (1 for a fallback). */
    public double propensity()
    {
        return propensity;
    }

    /**
     * The whole last ad-slot decision (rewards, draw, holdout, features after the state was applied), for hosts that
     * log it. Overwritten by this context's next ad-slot decision with the same decider.
     *
     * @return the decision, or null when the last ad-slot decision was a fallback or failed.
     */
    public AdSlotDecision adSlotDecision()
    {
        return adSlotDecision;
    }

    void adSlotAnswered(final AdSlotDecision decision, final int pattern, final int mask, final double propensity)
    {
        this.adSlotDecision = decision;
        this.adPattern = pattern;
        this.adMask = mask;
        this.propensity = propensity;
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
        adSlotDecision = null;
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

    ScalarContext scalarContext(final int handle, final ScalarDecider decider)
    {
        if (handle >= scalarOwners.length)
        {
            scalarOwners = java.util.Arrays.copyOf(scalarOwners, Math.max(handle + 1, scalarOwners.length * 2));
            scalarContexts = java.util.Arrays.copyOf(scalarContexts, scalarOwners.length);
        }
        if (scalarOwners[handle] != decider)
        {
            scalarContexts[handle] = decider.newContext();
            scalarOwners[handle] = decider;
        }
        return scalarContexts[handle];
    }

    AdSlotContext adSlotContext(final int handle, final AdSlotDecider decider)
    {
        if (handle >= adSlotOwners.length)
        {
            adSlotOwners = java.util.Arrays.copyOf(adSlotOwners, Math.max(handle + 1, adSlotOwners.length * 2));
            adSlotContexts = java.util.Arrays.copyOf(adSlotContexts, adSlotOwners.length);
        }
        if (adSlotOwners[handle] != decider)
        {
            adSlotContexts[handle] = decider.newContext();
            adSlotOwners[handle] = decider;
        }
        return adSlotContexts[handle];
    }

    /** Give the registry reader back. */
    @Override
    public void close()
    {
        reader.close();
    }
}
