package io.decide.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Proves that code does not allocate on the heap: the bytes the current thread allocates around many warmed-up
 * calls, read from {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}, must be 0.
 * <p>
 * Subtleties handled here: the measurement itself allocates nothing once primed (checked on first use with empty
 * calls, else every assertion fails); the measuring loop is compiled and its call site made megamorphic before
 * the first real measurement, so a new {@link Runnable} class does not deoptimise it mid-measurement; and
 * because the JVM can still allocate a few bytes on this thread once, while it swaps compiled code (observed:
 * 64 to 576 bytes in one window), {@link #assertZeroAllocation} measures up to {@link #ROUNDS} windows and passes
 * on the first that is exactly 0. Allocation on every call, or on most windows of {@code measuredCalls} calls,
 * is still caught; allocation rarer than that can go unseen, so measure many calls. Run the measured code on the
 * calling thread: allocation on other threads is not counted.
 */
public final class AllocationAssert
{
    /** Most measurement windows {@link #assertZeroAllocation} tries before failing. */
    public static final int ROUNDS = 5;

    private static final int LOOP_WARMUP_INVOCATIONS = 2000;
    private static final int LOOP_WARMUP_CALLS = 64;

    private static com.sun.management.ThreadMXBean meter;

    private AllocationAssert()
    {
    }

    /**
     * Fail unless, after {@code warmupCalls} unmeasured calls of {@code call}, a window of {@code measuredCalls}
     * calls allocates nothing on this thread; up to {@link #ROUNDS} windows are tried (see the class comment).
     *
     * @param what          what is measured, for the failure message.
     * @param warmupCalls   calls made before measuring (tens of thousands let the JIT compile the path).
     * @param measuredCalls calls per measured window, at least 1.
     * @param call          the code under test; keep captured state in fields so the lambda is not the allocator.
     */
    public static void assertZeroAllocation(
        final String what, final int warmupCalls, final int measuredCalls, final Runnable call)
    {
        final long[] rounds = new long[ROUNDS];
        long bytes = allocatedBytes(warmupCalls, measuredCalls, call);
        rounds[0] = bytes;
        for (int round = 1; round < ROUNDS && bytes != 0; round++)
        {
            bytes = measure(threads(), measuredCalls, call);
            rounds[round] = bytes;
        }
        if (bytes != 0)
        {
            long least = Long.MAX_VALUE;
            for (final long r : rounds)
            {
                least = Math.min(least, r);
            }
            fail(what + " allocated " + least + " bytes in " + measuredCalls + " calls (" +
                ((double)least / measuredCalls) + " bytes/call) after " + warmupCalls + " warm-up calls; expected 0 " +
                "(bytes in each of " + ROUNDS + " windows: " + Arrays.toString(rounds) + ")");
        }
    }

    /**
     * Bytes this thread allocated during one window of {@code measuredCalls} calls of {@code call}, after
     * {@code warmupCalls} unmeasured ones. One window may include a one-off allocation by the JVM itself.
     *
     * @param warmupCalls   calls made before measuring, at least 0.
     * @param measuredCalls calls measured, at least 1.
     * @param call          the code under test.
     * @return bytes allocated by this thread while measuring.
     */
    public static long allocatedBytes(final int warmupCalls, final int measuredCalls, final Runnable call)
    {
        if (warmupCalls < 0 || measuredCalls < 1)
        {
            throw new IllegalArgumentException(
                "need warmupCalls >= 0 and measuredCalls >= 1: " + warmupCalls + ", " + measuredCalls);
        }
        final com.sun.management.ThreadMXBean threads = threads();
        checkEnabled(threads);
        for (int i = 0; i < warmupCalls; i++)
        {
            call.run();
        }
        return measure(threads, measuredCalls, call);
    }

    private static long measure(final com.sun.management.ThreadMXBean threads, final int calls, final Runnable call)
    {
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++)
        {
            call.run();
        }
        final long after = threads.getCurrentThreadAllocatedBytes();
        return after - before;
    }

    private static void checkEnabled(final com.sun.management.ThreadMXBean threads)
    {
        if (!threads.isThreadAllocatedMemoryEnabled())
        {
            fail("thread allocation measurement is disabled (ThreadMXBean.setThreadAllocatedMemoryEnabled(false) " +
                "was called in this JVM); cannot prove zero allocation");
        }
    }

    private static synchronized com.sun.management.ThreadMXBean threads()
    {
        if (meter == null)
        {
            meter = resolve();
        }
        return meter;
    }

    /** Resolve, check and prime the bean, and check that measuring allocates nothing itself. */
    private static com.sun.management.ThreadMXBean resolve()
    {
        final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean))
        {
            fail("this JVM's ThreadMXBean (" + bean.getClass().getName() + ") is not a " +
                "com.sun.management.ThreadMXBean; cannot measure thread allocation");
        }
        final com.sun.management.ThreadMXBean bytes = (com.sun.management.ThreadMXBean)bean;
        if (!bytes.isThreadAllocatedMemorySupported())
        {
            fail("this JVM does not support measuring thread allocation; cannot prove zero allocation");
        }
        checkEnabled(bytes);
        // The first reads may load classes or link call sites; make them before any measurement.
        bytes.getCurrentThreadAllocatedBytes();
        bytes.getCurrentThreadAllocatedBytes();
        // Three Runnable classes make the loop's call site megamorphic; enough loops get it compiled.
        final Runnable[] kinds = {new Nothing(), new AlsoNothing(), () ->
        {
        }};
        for (int i = 0; i < LOOP_WARMUP_INVOCATIONS; i++)
        {
            measure(bytes, LOOP_WARMUP_CALLS, kinds[i % kinds.length]);
        }
        final Runnable nothing = kinds[0];
        long overhead = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            overhead = measure(bytes, 1000, nothing);
            if (overhead == 0)
            {
                break;
            }
        }
        if (overhead != 0)
        {
            fail("measuring allocation itself allocates " + overhead + " bytes; results would be wrong");
        }
        return bytes;
    }

    private static final class Nothing implements Runnable
    {
        @Override
        public void run()
        {
        }
    }

    private static final class AlsoNothing implements Runnable
    {
        @Override
        public void run()
        {
        }
    }
}
