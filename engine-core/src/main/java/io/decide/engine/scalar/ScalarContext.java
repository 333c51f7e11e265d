package io.decide.engine.scalar;

import io.decide.engine.cohort.CohortTable;

/**
 * Per-thread scratch of one {@link ScalarDecider}: cohorts read from a table, each sensitivity model's scratch and
 * outputs. Create one per thread with {@link ScalarDecider#newContext()}; it is not thread-safe and belongs to the
 * decider that made it (a decider refuses another's context).
 */
public final class ScalarContext
{
    final ScalarDecider decider;
    final int[] cohorts;
    final Object[] scratch;
    final double[][] outputs;

    ScalarContext(final ScalarDecider decider, final SensitivityModel<?>[] models)
    {
        this.decider = decider;
        this.cohorts = new int[Math.max(decider.bidCount(), CohortTable.MAX_BIDS)];
        this.scratch = new Object[models.length];
        this.outputs = new double[models.length][];
        for (int m = 0; m < models.length; m++)
        {
            scratch[m] = models[m].newScratch();
            outputs[m] = new double[models[m].outputCount()];
        }
    }

    /**
     * @param model model index, {@code 0 .. decider.modelCount()-1}.
     * @return that model's outputs from the last row evaluated with this context (for logging and tests).
     */
    public double[] modelOutputs(final int model)
    {
        return outputs[model];
    }
}
