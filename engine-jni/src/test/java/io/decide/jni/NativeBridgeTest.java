package io.decide.jni;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.testsupport.AllocationAssert;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java half of the C ABI, called from Java with direct-buffer addresses as libdecide.so calls it: answers equal
 * the facade's, results land in the native result struct, and no decision allocates once the thread's state exists.
 */
final class NativeBridgeTest
{
    @TempDir
    static Path temp;
    static int engineId;
    static DecisionEngine engine;
    static int ctr;
    static int quota;

    private final ByteBuffer row = direct(8 * 8);
    private final ByteBuffer out = direct(8 * 4);
    private final ByteBuffer result = direct(NativeBridge.RESULT_LENGTH);
    private final ByteBuffer k = direct(4);
    private final ByteBuffer batch = direct(8 + 3 * 8 * 2);
    private final ByteBuffer scalars = direct(8);
    private final ByteBuffer ranked = direct(4 * 3);
    private final long rowAddress = address(row);
    private final long outAddress = address(out);
    private final long resultAddress = address(result);
    private final long kAddress = address(k);
    private final long batchAddress = address(batch);
    private final long scalarsAddress = address(scalars);
    private final long rankedAddress = address(ranked);

    @BeforeAll
    static void open() throws IOException
    {
        final Path dir = TestPolicies.write(temp.resolve("policies"));
        engineId = NativeBridge.open(dir.toString(), null, null, 0, 0, false, null);
        assertTrue(engineId >= 0);
        engine = NativeBridge.engine(engineId);
        ctr = NativeBridge.handle(engineId, "ctr");
        quota = NativeBridge.handle(engineId, "quota");
    }

    @AfterAll
    static void close()
    {
        assertEquals(0, NativeBridge.close(engineId));
        assertEquals(DecideError.CLOSED.code(), NativeBridge.close(engineId));
        NativeBridge.threadExit();
    }

    private static ByteBuffer direct(final int bytes)
    {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    private static long address(final ByteBuffer buffer)
    {
        return new UnsafeBuffer(buffer).addressOffset();
    }

    @Test
    void predictEqualsTheFacadeAndFillsTheResult()
    {
        final double[] values = {0.5, -1, Double.NaN, 1, 2, 0, 0.25, 3};
        for (int i = 0; i < values.length; i++)
        {
            row.putDouble(8 * i, values[i]);
        }
        assertEquals(0, NativeBridge.predict(engineId, ctr, rowAddress, 8, outAddress, 4, resultAddress));
        final double[] expected = new double[4];
        try (DecisionContext context = engine.newContext())
        {
            assertEquals(0, engine.predict(ctr, values, 8, expected, context));
        }
        assertEquals(Double.doubleToRawLongBits(expected[0]), Double.doubleToRawLongBits(out.getDouble(0)));
        assertEquals(3, result.getLong(NativeBridge.RESULT_VERSION_OFFSET));
        assertEquals(1, result.getInt(NativeBridge.RESULT_COUNT_OFFSET));
        assertEquals(0, result.getInt(NativeBridge.RESULT_FALLBACK_OFFSET));
    }

    @Test
    void decisionsDoNotAllocate()
    {
        for (int i = 0; i < 8; i++)
        {
            row.putDouble(8 * i, i * 0.3 - 1);
        }
        for (int i = 0; i < 4; i++)
        {
            row.putDouble(8 * i, i * 0.7);
        }
        batch.putInt(0, 3).putInt(4, 1);
        for (int i = 0; i < 6; i++)
        {
            batch.putDouble(8 + 8 * i, 1.0 + i % 4);
        }
        scalars.putDouble(0, 2.0);
        AllocationAssert.assertZeroAllocation("NativeBridge.predict", 20_000, 10_000,
            () -> NativeBridge.predict(engineId, ctr, rowAddress, 8, outAddress, 4, resultAddress));
        AllocationAssert.assertZeroAllocation("NativeBridge.quota", 20_000, 10_000,
            () -> NativeBridge.quota(engineId, quota, rowAddress, 4, kAddress, resultAddress));
        AllocationAssert.assertZeroAllocation("NativeBridge.rank", 20_000, 10_000,
            () -> NativeBridge.rank(engineId, batchAddress, 8 + 3 * 16, scalarsAddress, 1, 3, rankedAddress, 3,
                resultAddress));
        assertEquals(0, NativeBridge.rank(engineId, batchAddress, 8 + 3 * 16, scalarsAddress, 1, 3, rankedAddress, 3,
            resultAddress));
        assertEquals(3, result.getInt(NativeBridge.RESULT_COUNT_OFFSET));
    }

    @Test
    void failuresKeepAMessageForTheCaller()
    {
        assertEquals(DecideError.BAD_SIZE.code(),
            NativeBridge.predict(engineId, ctr, rowAddress, 7, outAddress, 4, resultAddress));
        final ByteBuffer message = direct(256);
        final int length = NativeBridge.lastError(address(message), 256);
        final byte[] bytes = new byte[length];
        message.get(0, bytes);
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("expects 8 input values, got 7"));
        assertEquals(0, message.get(length));
        assertEquals(DecideError.CLOSED.code(), NativeBridge.quota(9999, quota, rowAddress, 4, kAddress, 0));
    }
}
