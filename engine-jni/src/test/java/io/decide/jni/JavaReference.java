package io.decide.jni;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionStatus;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Recomputes, with the Java API, every decision line a C program printed ({@code P}, {@code Q}, {@code R} lines of
 * decide_test, inputs and outputs as hex bits) and asserts the C ABI answered exactly the same: status, version,
 * fallback flag, output count, outputs bit for bit.
 */
final class JavaReference implements AutoCloseable
{
    private final DecisionEngine engine;
    private final DecisionContext context;

    JavaReference(final Path policies)
    {
        engine = DecisionEngine.open(policies);
        context = engine.newContext();
    }

    /**
     * @param lines program output.
     * @return how many decision lines were checked.
     */
    int verify(final List<String> lines)
    {
        int checked = 0;
        for (final String line : lines)
        {
            if (line.startsWith("P ") || line.startsWith("Q ") || line.startsWith("R "))
            {
                verifyLine(line);
                checked++;
            }
        }
        return checked;
    }

    private void verifyLine(final String line)
    {
        final String[] halves = line.split(" : ?", -1);
        final String[] in = halves[0].split(" ");
        final String[] out = halves[1].isEmpty() ? new String[0] : halves[1].trim().split(" ");
        final int rc = Integer.parseInt(in[2]);
        final long version = Long.parseLong(in[3]);
        final int fallback = Integer.parseInt(in[4]);
        final int count = Integer.parseInt(in[5]);
        final int status;
        switch (in[0])
        {
            case "P" ->
            {
                final double[] row = doubles(in, 6, in.length - 6);
                final double[] predicted = new double[4];
                status = engine.predict(engine.handle(in[1]), row, row.length, predicted, context);
                check(line, rc, version, fallback, count, status);
                for (int i = 0; status == DecisionStatus.OK && i < context.resultCount(); i++)
                {
                    assertEquals(Double.doubleToRawLongBits(predicted[i]), Long.parseUnsignedLong(out[i], 16),
                        () -> "output differs: " + line);
                }
            }
            case "Q" ->
            {
                final double[] values = doubles(in, 6, in.length - 6);
                final int[] k = new int[1];
                status = engine.quota(engine.handle(in[1]), values, values.length, k, context);
                check(line, rc, version, fallback, count, status);
                assertEquals(status == DecisionStatus.OK ? k[0] : -1, Integer.parseInt(out[0]),
                    () -> "k* differs: " + line);
            }
            default ->
            {
                final int n = Integer.parseInt(in[6]);
                final int q = Integer.parseInt(in[7]);
                final int k = Integer.parseInt(in[8]);
                final double[] scalars = doubles(in, 9, q);
                final double[] words = doubles(in, 9 + q, n * (1 + q));
                final ByteBuffer bytes = ByteBuffer.allocateDirect(8 + words.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                bytes.putInt(0, n).putInt(4, q);
                for (int i = 0; i < words.length; i++)
                {
                    bytes.putDouble(8 + 8 * i, words[i]);
                }
                final int[] ranked = new int[n + 3];
                status = engine.rank(new UnsafeBuffer(bytes), 0, bytes.capacity(), scalars, q, k, ranked, context);
                check(line, rc, version, fallback, count, status);
                for (int i = 0; status == DecisionStatus.OK && i < context.resultCount(); i++)
                {
                    assertEquals(ranked[i], Integer.parseInt(out[i]), () -> "ranking differs: " + line);
                }
            }
        }
    }

    private void check(
        final String line, final int rc, final long version, final int fallback, final int count, final int status)
    {
        assertEquals(DecideError.codeOf(status), rc, () -> "status differs: " + line);
        if (status == DecisionStatus.OK)
        {
            assertEquals(context.version(), version, () -> "version differs: " + line);
            assertEquals(context.fallback() ? 1 : 0, fallback, () -> "fallback differs: " + line);
            assertEquals(context.resultCount(), count, () -> "count differs: " + line);
        }
    }

    private static double[] doubles(final String[] tokens, final int from, final int count)
    {
        final double[] values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Double.longBitsToDouble(Long.parseUnsignedLong(tokens[from + i], 16));
        }
        return values;
    }

    @Override
    public void close()
    {
        context.close();
        engine.close();
    }
}
