package io.decide.bench;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyReader;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.PolicySlot;
import org.agrona.DirectBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.decide.bench.BenchArtifacts.check;

/**
 * Per-read cost of the registry's read guard: {@code guarded*} enter a {@link PolicyReader} scope, read
 * {@link PolicySlot#current()} and one long of its buffer, and leave; {@code fieldBuffer*} read the same long
 * from a buffer held in a field, with no guard and no volatile read (the floor); {@code unguardedSlot} reads the
 * slot (a volatile load) without the scope, isolating the cost of entering and leaving. Each runs with one
 * thread and with two threads (each thread owns its reader). {@code guardedDuringSwaps} is {@code guarded} while
 * a background thread writes and loads a new version of the artifact about every millisecond.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RegistryGuardBenchmark
{
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long SWAP_INTERVAL_NS = 1_000_000;
    private static final long MARKER = BenchArtifacts.marker(BenchArtifacts.PAYLOAD_TYPE, 0);

    /** A registry serving one small artifact, loaded once. */
    @State(Scope.Benchmark)
    public static class Served
    {
        private static final String NAME = "bench-guard";

        Path directory;
        PolicyRegistry registry;
        PolicySlot slot;
        DirectBuffer buffer;
        int offset;

        /**
         * Write and load version 1; check the slot serves it and the marker is at the resolved offset.
         *
         * @throws IOException when the artifact cannot be written or read.
         */
        @Setup(Level.Trial)
        public void setup() throws IOException
        {
            directory = BenchArtifacts.tempDirectory();
            final Path file = directory.resolve(NAME + "-v1.dpol");
            Files.write(file, BenchArtifacts.small(NAME, 1));
            registry = new PolicyRegistry(null);
            registry.load(file);
            slot = registry.slot(NAME);
            final LoadedArtifact artifact = slot.current();
            check(artifact != null && artifact.version() == 1, "slot does not serve version 1: " + artifact);
            offset = artifact.sectionOffset(BenchArtifacts.PAYLOAD_TYPE, 0);
            check(offset > 0, "payload section not found");
            buffer = artifact.buffer();
            check(buffer.getLong(offset) == MARKER, "marker not found at the resolved offset");
        }

        /**
         * Close the registry and delete the artifact.
         *
         * @throws IOException when the directory cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            if (registry != null)
            {
                registry.close(CLOSE_TIMEOUT);
            }
            BenchArtifacts.deleteRecursively(directory);
        }
    }

    /**
     * A registry whose artifact a background thread replaces with a new version about every millisecond: it
     * writes {@code bench-swap-vN.dpol}, loads it (the old version is retired, then unmapped once no reader can
     * hold it), and deletes the previous file. Every version has the same layout, so the read offset holds.
     */
    @State(Scope.Benchmark)
    public static class Swapping
    {
        private static final String NAME = "bench-swap";

        Path directory;
        PolicyRegistry registry;
        PolicySlot slot;
        int offset;
        private Thread swapper;
        private volatile boolean running;
        private volatile long swaps;
        private volatile Throwable failure;

        /**
         * Load version 1, start the swapping thread and wait until it has swapped a few times.
         *
         * @throws IOException          when the artifact cannot be written or read.
         * @throws InterruptedException when interrupted while stopping a failed swapper.
         */
        @Setup(Level.Trial)
        public void setup() throws IOException, InterruptedException
        {
            directory = BenchArtifacts.tempDirectory();
            final Path first = directory.resolve(NAME + "-v1.dpol");
            Files.write(first, BenchArtifacts.small(NAME, 1));
            registry = new PolicyRegistry(null);
            final LoadedArtifact artifact = registry.load(first);
            slot = registry.slot(NAME);
            check(slot.current() == artifact && artifact.version() == 1, "slot does not serve version 1");
            offset = artifact.sectionOffset(BenchArtifacts.PAYLOAD_TYPE, 0);
            check(offset > 0 && artifact.buffer().getLong(offset) == MARKER, "marker not found");

            running = true;
            swapper = new Thread(() -> swapLoop(first), "decide-bench-swapper");
            swapper.setDaemon(true);
            swapper.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (swaps < 3 && failure == null && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(SWAP_INTERVAL_NS);
            }
            try
            {
                check(failure == null, "swapper failed: " + failure);
                check(swaps >= 3, "swapper made only " + swaps + " swaps in 10 s");
                check(registry.reclaimed() > 0, "no replaced version was unmapped");
            }
            catch (final RuntimeException ex)
            {
                stopSwapper();
                throw ex;
            }
        }

        private boolean stopSwapper() throws InterruptedException
        {
            running = false;
            if (swapper != null)
            {
                swapper.join(TimeUnit.SECONDS.toMillis(10));
            }
            return swapper == null || !swapper.isAlive();
        }

        private void swapLoop(final Path first)
        {
            Path previous = first;
            long version = 1;
            try
            {
                while (running)
                {
                    version++;
                    final Path file = directory.resolve(NAME + "-v" + version + ".dpol");
                    Files.write(file, BenchArtifacts.small(NAME, version));
                    // Only this thread loads, so nothing can unmap this version before its next load.
                    final LoadedArtifact loaded = registry.load(file);
                    if (loaded.version() != version || loaded.sectionOffset(BenchArtifacts.PAYLOAD_TYPE, 0) != offset ||
                        loaded.buffer().getLong(offset) != MARKER)
                    {
                        throw new IllegalStateException("version " + version + " did not load as expected: " + loaded);
                    }
                    Files.delete(previous);
                    previous = file;
                    swaps = version - 1;
                    LockSupport.parkNanos(SWAP_INTERVAL_NS);
                }
            }
            catch (final Throwable t)
            {
                failure = t;
            }
        }

        /**
         * Stop the swapping thread, report what it did, close the registry and delete the files.
         *
         * @throws Exception when the swapper failed or did not stop.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception
        {
            final boolean stopped = stopSwapper();
            if (registry == null)
            {
                return;
            }
            System.out.println(System.lineSeparator() + "[swapper] swaps=" + swaps + ", unmapped=" +
                registry.reclaimed() + ", still retired=" + registry.retiredCount() + ", serving v" +
                slot.current().version());
            registry.close(CLOSE_TIMEOUT);
            BenchArtifacts.deleteRecursively(directory);
            check(stopped, "swapper thread did not stop");
            if (failure != null)
            {
                throw new IllegalStateException("swapper failed", failure);
            }
        }
    }

    /** One benchmark thread's reader of the {@link Served} registry. */
    @State(Scope.Thread)
    public static class Reader
    {
        PolicyReader reader;

        /** @param served the registry to read. */
        @Setup(Level.Trial)
        public void setup(final Served served)
        {
            reader = served.registry.newReader();
        }

        /** Give the reader back. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            reader.close();
        }
    }

    /** One benchmark thread's reader of the {@link Swapping} registry. */
    @State(Scope.Thread)
    public static class SwapReader
    {
        PolicyReader reader;

        /** @param swapping the registry to read. */
        @Setup(Level.Trial)
        public void setup(final Swapping swapping)
        {
            reader = swapping.registry.newReader();
        }

        /** Give the reader back. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            reader.close();
        }
    }

    /**
     * @param s served artifact.
     * @return the long, read from a buffer held in a field.
     */
    @Benchmark
    @Threads(1)
    public long fieldBuffer(final Served s)
    {
        return s.buffer.getLong(s.offset);
    }

    /**
     * @param s served artifact.
     * @return the long, read through the slot without a scope.
     */
    @Benchmark
    @Threads(1)
    public long unguardedSlot(final Served s)
    {
        return s.slot.current().buffer().getLong(s.offset);
    }

    /**
     * @param s served artifact.
     * @param r this thread's reader.
     * @return the long, read inside a scope.
     */
    @Benchmark
    @Threads(1)
    @SuppressWarnings("try")
    public long guarded(final Served s, final Reader r)
    {
        try (PolicyReader.Scope scope = r.reader.enter())
        {
            return s.slot.current().buffer().getLong(s.offset);
        }
    }

    /**
     * @param s served artifact.
     * @return the long, read from a buffer held in a field.
     */
    @Benchmark
    @Threads(2)
    public long fieldBuffer2T(final Served s)
    {
        return s.buffer.getLong(s.offset);
    }

    /**
     * @param s served artifact.
     * @return the long, read through the slot without a scope.
     */
    @Benchmark
    @Threads(2)
    public long unguardedSlot2T(final Served s)
    {
        return s.slot.current().buffer().getLong(s.offset);
    }

    /**
     * @param s served artifact.
     * @param r this thread's reader.
     * @return the long, read inside a scope.
     */
    @Benchmark
    @Threads(2)
    @SuppressWarnings("try")
    public long guarded2T(final Served s, final Reader r)
    {
        try (PolicyReader.Scope scope = r.reader.enter())
        {
            return s.slot.current().buffer().getLong(s.offset);
        }
    }

    /**
     * @param s swapping registry.
     * @param r this thread's reader.
     * @return the long, read inside a scope while versions are swapped in the background.
     */
    @Benchmark
    @Threads(1)
    @SuppressWarnings("try")
    public long guardedDuringSwaps(final Swapping s, final SwapReader r)
    {
        try (PolicyReader.Scope scope = r.reader.enter())
        {
            return s.slot.current().buffer().getLong(s.offset);
        }
    }
}
