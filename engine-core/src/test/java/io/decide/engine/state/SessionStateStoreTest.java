package io.decide.engine.state;

import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionStateStoreTest
{
    private static final long T0 = 1_767_225_600_000L;
    private static final long TIMEOUT = 60_000;

    @TempDir
    Path dir;

    private SessionStateCursor cursor;
    private long next;
    private long sink;

    @Test
    void recordsFeedsAndDerivesTheFeatures() throws IOException
    {
        try (SessionStateStore store = SessionStateStore.open(dir.resolve("s.cmap"), 100, TIMEOUT))
        {
            final SessionStateCursor c = store.newCursor();
            assertFalse(c.read(7, T0));
            assertTrue(c.newSession());
            assertEquals(0, c.feature(SessionStateCursor.POSTS_SINCE_LAST_AD));
            c.record(7, 0b00000, 5, T0);
            assertEquals(5, c.postsSinceLastAd());
            c.record(7, 0b01010, 5, T0 + 1_000);
            assertEquals(1, c.postsSinceLastAd());
            c.record(7, 0b00100, 5, T0 + 2_000);
            c.record(7, 0b00000, 5, T0 + 3_000);
            c.record(7, 0b10000, 5, T0 + 4_000);
            c.record(7, 0b00010, 5, T0 + 5_000);
            assertTrue(c.read(7, T0 + 7_500));
            assertFalse(c.newSession());
            assertEquals(0b00010, c.prevAdMask());
            assertEquals(3, c.postsSinceLastAd());
            assertEquals(2, c.adsLast3Feeds(), "feeds 4..6 had 0 + 1 + 1 ads");
            assertEquals(5, c.adsLast5Feeds(), "feeds 2..6 had 2 + 1 + 0 + 1 + 1 ads");
            assertEquals(5, c.sessionAdImpressions());
            assertEquals(6, c.feedDepth());
            assertEquals(2.5, c.feature(SessionStateCursor.IDLE_SECONDS));
            assertTrue(c.hadAdInSession());
        }
    }

    @Test
    void aSessionEndsAfterTheTimeout() throws IOException
    {
        try (SessionStateStore store = SessionStateStore.open(dir.resolve("s.cmap"), 100, TIMEOUT))
        {
            final SessionStateCursor c = store.newCursor();
            c.record(1, 0b00110, 5, T0);
            assertTrue(c.read(1, T0 + TIMEOUT));
            assertFalse(c.newSession(), "exactly the timeout still continues the session");
            assertTrue(c.read(1, T0 + TIMEOUT + 1));
            assertTrue(c.newSession());
            assertEquals(0, c.sessionAdImpressions());
            assertEquals(0, c.prevAdMask());
            assertFalse(c.hadAdInSession());
            assertEquals((TIMEOUT + 1) / 1000.0, c.feature(SessionStateCursor.IDLE_SECONDS));
            c.record(1, 0b01000, 5, T0 + TIMEOUT + 1);
            assertEquals(1, c.sessionAdImpressions());
            assertEquals(1, c.feedDepth());
            assertEquals(1, c.adsLast5Feeds());
        }
    }

    @Test
    void statePersistsAcrossCloseAndReopen() throws IOException
    {
        final Path file = dir.resolve("s.cmap");
        try (SessionStateStore store = SessionStateStore.open(file, 1_000, TIMEOUT))
        {
            final SessionStateCursor c = store.newCursor();
            for (long user = 1; user <= 500; user++)
            {
                c.record(user, (int)(user & 0b11110), 5, T0 + user);
                c.record(user, (int)((user >>> 2) & 0b11110), 5, T0 + user + 10);
            }
        }
        try (SessionStateStore store = SessionStateStore.open(file, 1, TIMEOUT))
        {
            assertEquals(500, store.userCount());
            final SessionStateCursor c = store.newCursor();
            for (long user = 1; user <= 500; user++)
            {
                assertTrue(c.read(user, T0 + user + 20));
                final int first = (int)(user & 0b11110);
                final int second = (int)((user >>> 2) & 0b11110);
                assertEquals(second, c.prevAdMask());
                assertEquals(2, c.feedDepth());
                assertEquals(Integer.bitCount(first) + Integer.bitCount(second), c.sessionAdImpressions());
                assertEquals(Integer.bitCount(first) + Integer.bitCount(second), c.adsLast3Feeds());
            }
            assertFalse(c.read(501, T0));
        }
    }

    @Test
    void refusesAFileThatIsNotASessionMap() throws IOException
    {
        final Path empty = Files.createFile(dir.resolve("empty.cmap"));
        final IOException ex = assertThrows(IOException.class, () -> SessionStateStore.open(empty, 10, TIMEOUT));
        assertTrue(ex.getMessage().contains("empty.cmap"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionStateStore.open(dir.resolve("x"), 0, TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> SessionStateStore.open(dir.resolve("x"), 10, 0));
    }

    @Test
    void readAndRecordAllocateNothing() throws IOException
    {
        try (SessionStateStore store = SessionStateStore.open(dir.resolve("s.cmap"), 10_000, TIMEOUT))
        {
            cursor = store.newCursor();
            for (long user = 0; user < 1_000; user++)
            {
                cursor.record(user, 0, 5, T0);
            }
            AllocationAssert.assertZeroAllocation("SessionStateCursor.read + record", 50_000, 10_000, () ->
            {
                final long user = next++ % 1_000;
                final long now = T0 + next;
                cursor.read(user, now);
                sink += cursor.postsSinceLastAd();
                cursor.record(user, (int)(next & 0b11010), 5, now);
            });
        }
    }
}
