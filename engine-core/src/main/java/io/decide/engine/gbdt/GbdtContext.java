package io.decide.engine.gbdt;

/**
 * Per-thread scratch for a {@link GbdtEvaluator}: canonical input slots, accumulators and margins. Create one per
 * thread with {@link GbdtEvaluator#newContext()} and reuse it for every call; it is not thread-safe.
 */
public final class GbdtContext
{
    final double[] slots;
    final double[] accumulators;
    final double[] margins;
    final double[] transformed;
    final long[] keys;
    final double[] quad = new double[GbdtEvaluator.BLOCK];
    final long[] exits;

    GbdtContext(final int slotCount, final int outputCount, final int scorerTreeCount)
    {
        this.exits = new long[scorerTreeCount];
        this.slots = new double[slotCount];
        this.keys = new long[2 * slotCount];
        this.accumulators = new double[outputCount];
        this.margins = new double[outputCount];
        this.transformed = new double[outputCount];
    }
}
