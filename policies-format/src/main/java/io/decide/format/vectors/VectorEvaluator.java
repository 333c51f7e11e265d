package io.decide.format.vectors;

/**
 * Evaluates one section for verification replay: given an input vector, writes the outputs the engine would
 * serve. Engine modules provide one per evaluable section type.
 */
@FunctionalInterface
public interface VectorEvaluator
{
    /**
     * @param mode   output selector from the group header (e.g. raw margin vs transformed for GBDT).
     * @param input  input values.
     * @param output where to write the outputs; its length is the group's output width.
     */
    void evaluate(int mode, double[] input, double[] output);
}
