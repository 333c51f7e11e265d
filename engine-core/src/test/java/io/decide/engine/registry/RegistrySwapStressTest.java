package io.decide.engine.registry;

import io.decide.testsupport.ArtifactFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Four readers read continuously while 1,000 versions are swapped in and the old mappings unmapped. Each version's
 * payload is filled with its version number, so a read that mixes versions, or touches an unmapped buffer (which
 * would crash the JVM), is caught.
 */
class RegistrySwapStressTest
{
    private static final int READERS = 4;
    private static final int VERSIONS = 1_000;
    private static final int PAYLOAD_BYTES = 8 * 1024;

    @TempDir
    Path dir;

    @Test
    void readersSeeExactlyOneConsistentVersionAcrossThousandSwaps() throws Exception
    {
        final Path first = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("s", 1, PAYLOAD_BYTES, 1), "s-1.dpol");
        final PolicyRegistry registry = new PolicyRegistry(dir);
        registry.reload();
        final PolicySlot slot = registry.slot("s");
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<String> failure = new AtomicReference<>();
        final AtomicLong reads = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < READERS; t++)
        {
            final Thread thread = new Thread(() ->
            {
                long lastVersion = 0;
                long count = 0;
                try (PolicyReader reader = registry.newReader())
                {
                    while (!stop.get() && failure.get() == null)
                    {
                        try (PolicyReader.Scope ignored = reader.enter())
                        {
                            final LoadedArtifact artifact = slot.current();
                            final long version = artifact.version();
                            if (version < lastVersion)
                            {
                                failure.compareAndSet(null, "version went back from " + lastVersion + " to " + version);
                            }
                            lastVersion = version;
                            final int offset = artifact.sectionOffset(ArtifactFixtures.PAYLOAD_TYPE, 0);
                            final long headerVersion = artifact.buffer().getLong(24, ByteOrder.LITTLE_ENDIAN);
                            if (headerVersion != version)
                            {
                                failure.compareAndSet(null, "header says " + headerVersion + ", layout " + version);
                            }
                            for (int i = 0; i < PAYLOAD_BYTES; i += 8)
                            {
                                final long value = artifact.buffer().getLong(offset + i, ByteOrder.LITTLE_ENDIAN);
                                if (value != version)
                                {
                                    failure.compareAndSet(null, "torn read: version " + version + " payload[" + i +
                                        "] = " + value);
                                    break;
                                }
                            }
                        }
                        count++;
                    }
                }
                reads.addAndGet(count);
            }, "stress-reader-" + t);
            threads.add(thread);
            thread.start();
        }

        Path previous = first;
        for (long v = 2; v <= VERSIONS && failure.get() == null; v++)
        {
            final Path file = ArtifactFixtures.write(
                dir, ArtifactFixtures.withPayload("s", v, PAYLOAD_BYTES, v), "s-" + v + ".dpol");
            final ReloadResult result = registry.reload();
            assertEquals(1, result.loaded().size(), "version " + v + ": " + result);
            Files.delete(previous);
            previous = file;
        }
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join(30_000);
            assertFalse(thread.isAlive(), thread.getName() + " did not stop");
        }
        assertNull(failure.get(), failure.get());
        assertEquals(VERSIONS, slot.current().version());
        assertTrue(registry.awaitReclaim(Duration.ofSeconds(10)));
        assertEquals(VERSIONS - 1, registry.reclaimed(), "every replaced version unmapped");
        assertTrue(reads.get() > VERSIONS, "readers made progress: " + reads.get());
        assertTrue(registry.close(Duration.ofSeconds(5)));
    }
}
