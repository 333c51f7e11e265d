package io.decide.engine.adslot;

import io.decide.engine.gbdt.GbdtContext;

/**
 * Per-thread scratch of an {@link AdSlotDecider}: the model input row, GBDT contexts and outputs, the reusable
 * {@link AdSlotDecision}, and optionally the {@link PendingDecisions} of commit-on-request mode. Create one per
 * thread with {@link AdSlotDecider#newContext()} or {@link AdSlotDecider#newContext(PendingDecisions)}; not
 * thread-safe.
 */
public final class AdSlotContext
{
    final AdSlotDecider decider;
    final double[] row;
    final GbdtContext[] models;
    final ActionSplitModel.Context[] split;
    final double[] output;
    final double[] satScores;
    final double[] adsScores;
    final AdSlotDecision decision;
    final PendingDecisions pending;

    AdSlotContext(
        final AdSlotDecider decider,
        final int rowLength,
        final GbdtContext[] models,
        final ActionSplitModel.Context[] split,
        final int outputLength,
        final int patternCount,
        final int contextFeatures,
        final PendingDecisions pending)
    {
        this.decider = decider;
        this.row = new double[rowLength];
        this.models = models;
        this.split = split;
        this.output = new double[Math.max(1, outputLength)];
        this.satScores = new double[patternCount];
        this.adsScores = new double[patternCount];
        this.decision = new AdSlotDecision(patternCount, contextFeatures);
        this.pending = pending;
    }

    /** @return the result of this context's last decision. */
    public AdSlotDecision decision()
    {
        return decision;
    }

    /**
     * Choose how this context evaluates the action trees of joint models: pattern by pattern (the previous path,
     * kept as a baseline for benchmarks and differential tests) or, by default, once for all patterns. Both give
     * bit-identical rewards.
     *
     * @param perPattern true for one evaluation of the action trees per allowed pattern.
     * @return this context.
     */
    public AdSlotContext evaluateActionTreesPerPattern(final boolean perPattern)
    {
        if (split != null)
        {
            for (final ActionSplitModel.Context c : split)
            {
                c.perPattern = perPattern;
            }
        }
        return this;
    }

    /** @return the pending table (commit-on-request mode), or null when state is updated at decision time. */
    public PendingDecisions pending()
    {
        return pending;
    }
}
