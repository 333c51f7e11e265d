package io.decide.jni;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Java side of {@code decide_bench}: times the same decisions the C program makes through the C ABI, made
 * directly on the facade from Java, one {@link System#nanoTime()} pair per call, and writes the latencies into the
 * C program's array.
 */
public final class BridgeTimings
{
    private static final int FEATURES = 8;
    private static final int OPTIONS = 4;
    private static final int TOP = 10;

    private BridgeTimings()
    {
    }

    /**
     * Time {@code iterations} decisions of a kind.
     *
     * @param kind             1 predict, 2 quota, 3 rank.
     * @param engineId         engine id of the bridge.
     * @param handle           artifact handle (predict, quota).
     * @param inputs           address of 1024 rows of inputs (predict, quota) or of the rank batch.
     * @param length           rows, or the batch length in bytes.
     * @param scalars          address of the rank scalars (2).
     * @param iterations       calls to time.
     * @param latencies        address of {@code iterations} int64 nanosecond latencies to fill.
     * @return 0, or the first non-OK status.
     */
    public static int time(
        final int kind,
        final int engineId,
        final int handle,
        final long inputs,
        final int length,
        final long scalars,
        final int iterations,
        final long latencies)
    {
        final DecisionEngine engine = NativeBridge.engine(engineId);
        final UnsafeBuffer out = new UnsafeBuffer(latencies, iterations * 8);
        try (DecisionContext context = engine.newContext())
        {
            if (kind == 3)
            {
                final UnsafeBuffer batch = new UnsafeBuffer(inputs, length);
                final UnsafeBuffer s = new UnsafeBuffer(scalars, 16);
                final double[] q = {s.getDouble(0), s.getDouble(8)};
                final int[] top = new int[TOP];
                for (int i = 0; i < iterations; i++)
                {
                    final long t0 = System.nanoTime();
                    final int status = engine.rank(batch, 0, length, q, 2, TOP, top, context);
                    out.putLong(i * 8, System.nanoTime() - t0);
                    if (status != 0)
                    {
                        return status;
                    }
                }
                return 0;
            }
            final int width = kind == 1 ? FEATURES : OPTIONS;
            final UnsafeBuffer in = new UnsafeBuffer(inputs, length * width * 8);
            final double[][] rows = new double[length][width];
            for (int r = 0; r < length; r++)
            {
                for (int f = 0; f < width; f++)
                {
                    rows[r][f] = in.getDouble((r * width + f) * 8);
                }
            }
            final double[] predicted = new double[1];
            final int[] k = new int[1];
            for (int i = 0; i < iterations; i++)
            {
                final double[] row = rows[i & (length - 1)];
                final long t0 = System.nanoTime();
                final int status = kind == 1 ? engine.predict(handle, row, FEATURES, predicted, context) :
                    engine.quota(handle, row, OPTIONS, k, context);
                out.putLong(i * 8, System.nanoTime() - t0);
                if (status != 0)
                {
                    return status;
                }
            }
            return 0;
        }
    }
}
