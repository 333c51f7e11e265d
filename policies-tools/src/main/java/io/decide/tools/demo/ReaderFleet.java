package io.decide.tools.demo;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyReader;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.PolicySlot;
import org.agrona.DirectBuffer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Reader threads that read the demo payload continuously, each through its own {@link PolicyReader}: inside a
 * scope, take the serving artifact and check that every long of its payload equals the artifact's version. A
 * long that differs is a torn read (the reader saw bytes of two versions, or of an unmapped one); a version lower
 * than one seen before is a regression. Counters are exact after {@link #stop(Duration)}.
 */
public final class ReaderFleet
{
    /**
     * Readers yield the CPU every 16 reads, so that on a machine with fewer cores than readers the thread
     * swapping versions in still gets to run; each read is a full pass over the payload.
     */
    private static final long YIELD_MASK = 15;

    private final PolicyRegistry registry;
    private final PolicySlot slot;
    private final PayloadReader[] readers;
    private final Thread[] threads;
    private volatile boolean running = true;

    /**
     * @param registry the registry to read from.
     * @param name     artifact name to read.
     * @param count    number of reader threads.
     */
    public ReaderFleet(final PolicyRegistry registry, final String name, final int count)
    {
        this.registry = registry;
        this.slot = registry.slot(name);
        this.readers = new PayloadReader[count];
        this.threads = new Thread[count];
    }

    /**
     * Start the threads and wait until each has claimed its {@link PolicyReader}.
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    public void start() throws InterruptedException
    {
        final CountDownLatch claimed = new CountDownLatch(readers.length);
        for (int i = 0; i < readers.length; i++)
        {
            readers[i] = new PayloadReader(claimed);
            threads[i] = new Thread(readers[i], "decide-demo-reader-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        if (!claimed.await(5, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("reader threads did not start within 5 s");
        }
    }

    /** @return number of reader threads. */
    public int size()
    {
        return readers.length;
    }

    /**
     * Wait until every reader has completed a read of at least {@code version}.
     *
     * @param version the version.
     * @param timeout longest wait.
     * @return whether all did.
     */
    public boolean awaitVersion(final long version, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (final PayloadReader reader : readers)
        {
            while (reader.lastVersion < version)
            {
                if (System.nanoTime() - deadline >= 0 || !reader.alive)
                {
                    return false;
                }
                LockSupport.parkNanos(100_000);
            }
        }
        return true;
    }

    /**
     * Stop the readers and wait for their threads to end (each releases its {@link PolicyReader}).
     *
     * @param timeout longest wait per thread.
     * @return whether every thread ended.
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean stop(final Duration timeout) throws InterruptedException
    {
        running = false;
        boolean allEnded = true;
        for (final Thread thread : threads)
        {
            if (thread != null)
            {
                thread.join(timeout.toMillis());
                allEnded &= !thread.isAlive();
            }
        }
        return allEnded;
    }

    /**
     * @param reader reader index.
     * @return reads that reader completed.
     */
    public long reads(final int reader)
    {
        return readers[reader].reads;
    }

    /**
     * @param reader reader index.
     * @return distinct versions that reader saw.
     */
    public long versionsSeen(final int reader)
    {
        return readers[reader].versionsSeen;
    }

    /** @return reads, over all readers, in which some payload long differed from the version. */
    public long tornReads()
    {
        long sum = 0;
        for (final PayloadReader reader : readers)
        {
            sum += reader.torn;
        }
        return sum;
    }

    /** @return reads, over all readers, that saw a lower version than the same reader saw before. */
    public long regressions()
    {
        long sum = 0;
        for (final PayloadReader reader : readers)
        {
            sum += reader.regressions;
        }
        return sum;
    }

    /** @return reads that failed with an exception, or found the artifact unmapped or without a payload. */
    public long errors()
    {
        long sum = 0;
        for (final PayloadReader reader : readers)
        {
            sum += reader.errors;
        }
        return sum;
    }

    /** @return the first error any reader saw, or null. */
    public String firstError()
    {
        for (final PayloadReader reader : readers)
        {
            if (reader.firstError != null)
            {
                return reader.firstError;
            }
        }
        return null;
    }

    /** One reader thread. Counters are written by its thread only and read after it ends. */
    private final class PayloadReader implements Runnable
    {
        private final CountDownLatch claimed;
        private volatile long lastVersion;
        private volatile boolean alive = true;
        private long reads;
        private long torn;
        private long regressions;
        private long errors;
        private long versionsSeen;
        private String firstError;

        PayloadReader(final CountDownLatch claimed)
        {
            this.claimed = claimed;
        }

        @Override
        public void run()
        {
            try (PolicyReader reader = registry.newReader())
            {
                claimed.countDown();
                while (running)
                {
                    reader.enter();
                    try
                    {
                        readOnce(slot.current());
                    }
                    catch (final RuntimeException ex)
                    {
                        error(ex.toString());
                    }
                    finally
                    {
                        reader.exit();
                    }
                    if ((reads & YIELD_MASK) == 0)
                    {
                        Thread.yield();
                    }
                }
            }
            finally
            {
                alive = false;
            }
        }

        private void readOnce(final LoadedArtifact artifact)
        {
            if (artifact == null)
            {
                return;
            }
            final long version = artifact.version();
            final int offset = artifact.sectionOffset(DemoArtifacts.PAYLOAD_TYPE, 0);
            final int length = artifact.sectionLength(DemoArtifacts.PAYLOAD_TYPE, 0);
            if (offset < 0 || artifact.isUnmapped())
            {
                error("v" + version + (offset < 0 ? " has no payload section" : " was read after it was unmapped"));
                return;
            }
            final DirectBuffer buffer = artifact.buffer();
            final int end = offset + length - Long.BYTES;
            boolean consistent = true;
            for (int at = offset; at <= end; at += Long.BYTES)
            {
                if (buffer.getLong(at, LITTLE_ENDIAN) != version)
                {
                    consistent = false;
                }
            }
            if (!consistent)
            {
                torn++;
            }
            final long last = lastVersion;
            if (version < last)
            {
                regressions++;
            }
            else if (version > last)
            {
                versionsSeen++;
                lastVersion = version;
            }
            reads++;
        }

        private void error(final String what)
        {
            errors++;
            if (firstError == null)
            {
                firstError = Thread.currentThread().getName() + ": " + what;
            }
        }
    }
}
