package io.decide.engine.cohort;

import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CohortTableTest
{
    private static final int USERS = 20_000;
    private static final int BIDS = 3;

    @TempDir
    Path dir;

    /** Deterministic cohorts of user u for bid b. */
    private static int cohortOf(final long user, final int bid)
    {
        return (int)Math.floorMod(user * 31 + bid * 7, 10);
    }

    /** User ids: spread over the long range, including negative ones. */
    private static long userId(final int i)
    {
        return (i * 0x9E3779B97F4A7C15L) ^ 12345L;
    }

    private Path build() throws IOException
    {
        final Path file = dir.resolve("users.cmap");
        try (CohortTable table = CohortTable.create(file, BIDS, USERS))
        {
            final byte[] cohorts = new byte[BIDS];
            for (int i = 0; i < USERS; i++)
            {
                for (int b = 0; b < BIDS; b++)
                {
                    cohorts[b] = (byte)cohortOf(userId(i), b);
                }
                table.put(userId(i), cohorts);
            }
            assertEquals(USERS, table.userCount());
        }
        return file;
    }

    @Test
    void roundTripAcrossReopenAndMisses() throws IOException
    {
        final Path file = build();
        try (CohortTable table = CohortTable.open(file))
        {
            assertEquals(BIDS, table.bidCount());
            assertEquals(USERS, table.userCount());
            final CohortReader reader = table.newReader();
            final int[] cohorts = new int[BIDS];
            for (int i = 0; i < USERS; i++)
            {
                assertEquals(BIDS, reader.lookup(userId(i), cohorts));
                for (int b = 0; b < BIDS; b++)
                {
                    assertEquals(cohortOf(userId(i), b), cohorts[b]);
                }
            }
            final int[] untouched = {-5, -5, -5};
            assertEquals(CohortReader.MISS, reader.lookup(42, untouched));
            assertEquals(CohortReader.MISS, reader.lookup(CohortTable.RESERVED_USER_ID, untouched));
            assertArrayEquals(new int[]{-5, -5, -5}, untouched);
        }
        try (CohortTable again = CohortTable.open(file))
        {
            final int[] cohorts = new int[BIDS];
            assertEquals(BIDS, again.newReader().lookup(userId(777), cohorts));
            assertEquals(cohortOf(userId(777), 2), cohorts[2]);
        }
    }

    @Test
    void putRejectsBadInputAndOpenRejectsOtherFiles() throws IOException
    {
        final Path file = dir.resolve("t.cmap");
        try (CohortTable table = CohortTable.create(file, 2, 10))
        {
            assertThrows(IllegalArgumentException.class, () -> table.put(1, new byte[3]));
            assertThrows(IllegalArgumentException.class, () -> table.put(CohortTable.RESERVED_USER_ID, new byte[2]));
            assertThrows(IllegalArgumentException.class, () -> table.put(1, new byte[]{0, (byte)255}));
            table.put(1, new byte[]{(byte)254, 0});
            final int[] cohorts = new int[2];
            assertEquals(2, table.newReader().lookup(1, cohorts));
            assertEquals(254, cohorts[0]);
        }
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> CohortTable.create(file, 2, 10));
        final Path text = dir.resolve("not.cmap");
        Files.writeString(text, "user_id,bid0\n1,2\n".repeat(200));
        final IOException ex = assertThrows(IOException.class, () -> CohortTable.open(text));
        assertTrue(ex.getMessage().startsWith(text + ": not a cohort table"), ex.getMessage());
        assertEquals("user_id,bid0\n1,2\n".repeat(200), Files.readString(text), "a refused file is not modified");
        final Path empty = Files.createFile(dir.resolve("empty.cmap"));
        final IOException emptyEx = assertThrows(IOException.class, () -> CohortTable.open(empty));
        assertTrue(emptyEx.getMessage().startsWith(empty + ": "), emptyEx.getMessage());
        assertEquals(0, Files.size(empty), "an empty file is not turned into a map");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> CohortTable.open(dir.resolve("missing.cmap")));
    }

    private CohortReader reader;
    private int[] out;
    private long sink;
    private int next;

    @Test
    void lookupsAllocateNothing() throws IOException
    {
        final Path file = build();
        try (CohortTable table = CohortTable.open(file))
        {
            reader = table.newReader();
            out = new int[BIDS];
            AllocationAssert.assertZeroAllocation("CohortReader.lookup (hits)", 50_000, 10_000,
                () -> sink += reader.lookup(userId(next++ % USERS), out));
            AllocationAssert.assertZeroAllocation("CohortReader.lookup (misses)", 20_000, 10_000,
                () -> sink += reader.lookup(-(long)next++ * 3 - 1_000_000_007L, out));
        }
    }

    @Test
    void concurrentReadersSeeEveryUser() throws Exception
    {
        final Path file = build();
        try (CohortTable table = CohortTable.open(file))
        {
            final int threads = 4;
            final CountDownLatch start = new CountDownLatch(1);
            final AtomicReference<String> failure = new AtomicReference<>();
            final AtomicLong lookups = new AtomicLong();
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final long seed = t;
                final Thread worker = new Thread(() ->
                {
                    final CohortReader r = table.newReader();
                    final int[] cohorts = new int[BIDS];
                    final SplittableRandom random = new SplittableRandom(seed);
                    try
                    {
                        start.await();
                        for (int n = 0; n < 100_000 && failure.get() == null; n++)
                        {
                            final int i = random.nextInt(USERS + USERS / 10);
                            final long user = i < USERS ? userId(i) : -1_000_000_000L - i;
                            final int got = r.lookup(user, cohorts);
                            if (i < USERS && (got != BIDS || cohorts[1] != cohortOf(user, 1)))
                            {
                                failure.compareAndSet(null, "user " + user + ": " + got + " " + cohorts[1]);
                            }
                            if (i >= USERS && got != CohortReader.MISS)
                            {
                                failure.compareAndSet(null, "unknown user " + user + " found");
                            }
                            lookups.incrementAndGet();
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex.toString());
                    }
                });
                workers.add(worker);
                worker.start();
            }
            start.countDown();
            for (final Thread worker : workers)
            {
                worker.join();
            }
            assertNull(failure.get());
            assertEquals(threads * 100_000L, lookups.get());
        }
    }
}
