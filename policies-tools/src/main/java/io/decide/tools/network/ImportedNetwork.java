package io.decide.tools.network;

import java.util.List;

/**
 * An ONNX MLP converted to a DENSE_NETWORK section.
 *
 * @param source       file name the model came from.
 * @param inputName    the graph input's name.
 * @param inputSize    its width n.
 * @param outputNames  the graph outputs, in graph order; their values are the section's outputs, concatenated.
 * @param outputWidths the width of each graph output.
 * @param layers       one line per dense layer ("0: input -> 256 relu (Gemm 'fc1')", ...).
 * @param section      the DENSE_NETWORK section bytes.
 */
public record ImportedNetwork(
    String source, String inputName, int inputSize, List<String> outputNames, int[] outputWidths,
    List<String> layers, byte[] section)
{
    /** @return the total output count (the section's m). */
    public int outputCount()
    {
        int total = 0;
        for (final int w : outputWidths)
        {
            total += w;
        }
        return total;
    }
}
