package io.decide.engine.scalar;

import io.decide.engine.network.DenseNetworkContext;
import io.decide.engine.network.DenseNetworkEvaluator;

/**
 * Sensitivities as the outputs of a DENSE_NETWORK section ({@link DenseNetworkEvaluator#evaluate}), e.g. the heads
 * of the multi-task sensitivity network of the Opus paper. Equal when they wrap the same evaluator, so bids reading
 * different heads of one network share one evaluation per row.
 */
public final class NetworkSensitivityModel implements SensitivityModel<DenseNetworkContext>
{
    private final DenseNetworkEvaluator evaluator;

    /** @param evaluator the compiled network. */
    public NetworkSensitivityModel(final DenseNetworkEvaluator evaluator)
    {
        this.evaluator = evaluator;
    }

    /** @return the evaluator. */
    public DenseNetworkEvaluator evaluator()
    {
        return evaluator;
    }

    @Override
    public int featureCount()
    {
        return evaluator.inputSize();
    }

    @Override
    public int outputCount()
    {
        return evaluator.outputCount();
    }

    @Override
    public DenseNetworkContext newScratch()
    {
        return evaluator.newContext();
    }

    @Override
    public void evaluate(final double[] row, final double[] outputs, final DenseNetworkContext scratch)
    {
        evaluator.evaluate(row, outputs, scratch);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof NetworkSensitivityModel && ((NetworkSensitivityModel)other).evaluator == evaluator;
    }

    @Override
    public int hashCode()
    {
        return System.identityHashCode(evaluator);
    }

    @Override
    public String toString()
    {
        return "DENSE_NETWORK (" + evaluator.inputSize() + " inputs, " + evaluator.outputCount() + " outputs)";
    }
}
