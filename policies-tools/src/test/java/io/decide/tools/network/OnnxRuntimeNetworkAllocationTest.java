package io.decide.tools.network;

import io.decide.engine.network.OnnxRuntimeNetwork;
import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures what one {@link OnnxRuntimeNetwork#evaluate} call allocates on the Java heap with a reused direct input
 * tensor and pinned outputs (the ONNX Runtime Java binding's own per-run objects), and prints it: README and
 * {@code OnnxRuntimeNetwork}'s Javadoc quote the figure. It is not zero; the assertion only bounds it so a change
 * that starts creating tensors per call (kilobytes) fails.
 */
class OnnxRuntimeNetworkAllocationTest
{
    @Test
    void measuresBytesPerCall()
    {
        final MtmlModels mtml = new MtmlModels(5, 64, new int[]{256, 128}, 4,
            MtmlModels.Style.GEMM_SEPARATE_OUTPUTS);
        try (OnnxRuntimeNetwork ort = OnnxRuntimeNetwork.open(mtml.onnx, "mtml.onnx"))
        {
            final float[] row = new float[64];
            final SplittableRandom random = new SplittableRandom(1);
            for (int i = 0; i < row.length; i++)
            {
                row[i] = (float)random.nextGaussian();
            }
            final double[] out = new double[ort.outputCount()];
            final int calls = 20_000;
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++)
            {
                least = Math.min(least, AllocationAssert.allocatedBytes(5_000, calls, () -> ort.evaluate(row, out)));
            }
            final double perCall = (double)least / calls;
            System.out.printf("OnnxRuntimeNetwork.evaluate (64 -> 256 -> 128 -> 4 heads, 4 graph outputs): %.1f " +
                "bytes/call on the Java heap%n", perCall);
            assertTrue(perCall > 0 && perCall < 2048, "bytes/call " + perCall);
        }
    }
}
