package io.decide.testsupport;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.*;

/** {@link AllocationAssert} sees allocation where there is some and none where there is none. */
final class AllocationAssertTest
{
    private static long counter;
    private static Object sink;

    @Test
    void measuringAnEmptyCallAllocatesNothing()
    {
        assertEquals(0, AllocationAssert.allocatedBytes(0, 1, () ->
        {
        }));
        long least = Long.MAX_VALUE;
        for (int window = 0; window < 3; window++)
        {
            least = Math.min(least, AllocationAssert.allocatedBytes(1000, 100_000, () ->
            {
            }));
        }
        assertEquals(0, least, "one window may hold a one-off JVM allocation, not three");
        AllocationAssert.assertZeroAllocation("empty call", 1000, 100_000, () ->
        {
        });
    }

    @Test
    void primitiveWorkAllocatesNothing()
    {
        final long before = counter;
        AllocationAssert.assertZeroAllocation("counter", 10_000, 100_000, () -> counter += 3);
        final long calls = (counter - before) / 3;
        final long windows = (calls - 10_000) / 100_000;
        assertEquals(10_000 + windows * 100_000, calls, "warm-up plus whole windows");
        assertTrue(windows >= 1 && windows <= AllocationAssert.ROUNDS, "windows: " + windows);
    }

    @Test
    void measuresAllocatingCalls()
    {
        final long bytes = AllocationAssert.allocatedBytes(100, 1000, () -> sink = new long[4]);
        assertTrue(bytes >= 1000 * 48, "a long[4] is at least 48 bytes, measured " + bytes + " for 1000");
        assertTrue(bytes < 1000 * 48 * 4, "measured " + bytes);
        assertNotNull(sink);
    }

    @Test
    void failsOnAllocationNamingBytesAndBytesPerCall()
    {
        final AssertionFailedError error = assertThrows(AssertionFailedError.class,
            () -> AllocationAssert.assertZeroAllocation("boxing", 1000, 10_000, () -> sink = counter++ + 1_000_000L));
        final String message = error.getMessage();
        assertTrue(message.startsWith("boxing allocated "), message);
        assertTrue(message.contains(" bytes in 10000 calls ("), message);
        assertTrue(message.contains(" bytes/call) after 1000 warm-up calls; expected 0"), message);
        assertTrue(message.contains("(bytes in each of 5 windows: ["), message);
        final long bytes = Long.parseLong(message.substring("boxing allocated ".length(), message.indexOf(" bytes")));
        assertTrue(bytes >= 10_000 * 16, message);
    }

    @Test
    void refusesBadCallCounts()
    {
        assertThrows(IllegalArgumentException.class, () -> AllocationAssert.allocatedBytes(-1, 1, () ->
        {
        }));
        assertThrows(IllegalArgumentException.class, () -> AllocationAssert.allocatedBytes(0, 0, () ->
        {
        }));
    }
}
