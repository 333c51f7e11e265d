package io.decide.engine.quota;

import io.decide.engine.gbdt.GbdtContext;

/**
 * Per-thread scratch for a {@link QuotaDecider} whose values come from a GBDT model: the model's context and its
 * margins. Create one per thread with {@link QuotaDecider#newContext()}; it is not thread-safe.
 */
public final class QuotaContext
{
    final GbdtContext model;
    final double[] margins;

    QuotaContext(final GbdtContext model, final int outputCount)
    {
        this.model = model;
        this.margins = new double[outputCount];
    }
}
