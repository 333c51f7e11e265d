package io.decide.engine.scalar;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;

/**
 * Sensitivities as the raw margins of a GBDT_ENSEMBLE section ({@link GbdtEvaluator#predictRaw}). Equal when they
 * wrap the same evaluator, so bids that read different outputs of one ensemble share one evaluation per row.
 */
public final class GbdtSensitivityModel implements SensitivityModel<GbdtContext>
{
    private final GbdtEvaluator evaluator;

    /** @param evaluator the compiled ensemble. */
    public GbdtSensitivityModel(final GbdtEvaluator evaluator)
    {
        this.evaluator = evaluator;
    }

    /** @return the evaluator. */
    public GbdtEvaluator evaluator()
    {
        return evaluator;
    }

    @Override
    public int featureCount()
    {
        return evaluator.featureCount();
    }

    @Override
    public int outputCount()
    {
        return evaluator.outputCount();
    }

    @Override
    public GbdtContext newScratch()
    {
        return evaluator.newContext();
    }

    @Override
    public void evaluate(final double[] row, final double[] outputs, final GbdtContext scratch)
    {
        evaluator.predictRaw(row, outputs, scratch);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof GbdtSensitivityModel && ((GbdtSensitivityModel)other).evaluator == evaluator;
    }

    @Override
    public int hashCode()
    {
        return System.identityHashCode(evaluator);
    }

    @Override
    public String toString()
    {
        return "GBDT (" + evaluator.featureCount() + " features, " + evaluator.outputCount() + " outputs)";
    }
}
