package io.decide.engine.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.decide.engine.log.LogFixtures.ADSLOT;
import static io.decide.engine.log.LogFixtures.QUOTA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionLogRoundTripTest
{
    @TempDir
    Path dir;

    @Test
    void manyRecordsRollBySizeAndReadBackExactlyInOrder() throws Exception
    {
        final int records = 200_000;
        final DecisionLogConfig config = DecisionLogConfig.defaults(dir).withSegmentBytes(256 << 10)
            .withMaxActions(12).withMaxFeatures(5).withRingSize(1024);
        final int adslot;
        try (DecisionLog log = DecisionLog.open(config))
        {
            adslot = log.artifactId(ADSLOT);
            assertEquals(adslot, log.artifactId(ADSLOT));
            int nameId = adslot;
            for (long r = 0; r < records; r++)
            {
                if (r == records / 2)
                {
                    nameId = log.artifactId(QUOTA);
                }
                final long seq = log.claim();
                assertTrue(seq >= 0);
                LogFixtures.fill(log.event(seq), r, nameId, 12, 5);
                log.publish(seq);
            }
            log.close();
            assertEquals(records, log.written());
            assertEquals(0, log.dropped());
            assertEquals(0, log.rejected());
            assertEquals(0, log.failures(), log.lastFailure());
            assertTrue(log.segments() > 50, "segments " + log.segments());
            assertEquals(DecisionLog.CLOSED, log.claim());
        }
        final List<Path> files = DecisionLogReader.segmentFiles(dir);
        for (final Path file : files)
        {
            assertTrue(Files.size(file) <= 256 << 10, file.toString());
        }
        try (DecisionLogReader reader = DecisionLogReader.open(dir))
        {
            long r = 0;
            long lastSegment = -1;
            while (reader.next())
            {
                LogFixtures.check(reader, r, r < records / 2 ? ADSLOT : QUOTA, 12, 5);
                assertTrue(reader.segmentIndex() >= lastSegment);
                lastSegment = reader.segmentIndex();
                r++;
            }
            assertEquals(records, r);
            assertEquals(List.of(), reader.tornTails());
            assertEquals(files.size() - 1, lastSegment);
        }
    }

    @Test
    void rollsByAgeAndAReopenedLogContinuesTheNumbering() throws Exception
    {
        final DecisionLogConfig config = DecisionLogConfig.defaults(dir).withRollInterval(Duration.ofMillis(50))
            .withMaxActions(4);
        try (DecisionLog log = DecisionLog.open(config))
        {
            final int id = log.artifactId(ADSLOT);
            for (long r = 0; r < 30; r++)
            {
                final long seq = log.claim();
                LogFixtures.fill(log.event(seq), r, id, 4, 0);
                log.publish(seq);
                if (r % 10 == 9)
                {
                    // Once the writer has the batch, the segment it is in is older than 50 ms at the next record.
                    while (log.written() < r + 1)
                    {
                        Thread.sleep(1);
                    }
                    Thread.sleep(80);
                }
            }
        }
        final int first = DecisionLogReader.segmentFiles(dir).size();
        assertEquals(3, first);
        try (DecisionLog log = DecisionLog.open(config))
        {
            final int id = log.artifactId(ADSLOT);
            for (long r = 30; r < 40; r++)
            {
                final long seq = log.claim();
                LogFixtures.fill(log.event(seq), r, id, 4, 0);
                log.publish(seq);
            }
        }
        final List<Path> files = DecisionLogReader.segmentFiles(dir);
        assertEquals(first + 1, files.size());
        assertEquals(DecisionLogDescriptor.fileName(first), files.get(first).getFileName().toString());
        try (DecisionLogReader reader = DecisionLogReader.open(dir))
        {
            for (long r = 0; r < 40; r++)
            {
                assertTrue(reader.next());
                LogFixtures.check(reader, r, ADSLOT, 4, 0);
            }
            assertFalse(reader.next());
        }
    }

    @Test
    void featuresAreWrittenOnlyWhenConfiguredAndBadEventsAreRejectedAndCounted() throws Exception
    {
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir).withMaxActions(3)))
        {
            final int id = log.artifactId(ADSLOT);
            assertTrue(log.offer(1, 2, 3, id, 4, 1, 0, 0, 0.5, new double[]{0.5, 0.25, 0.25}, 3,
                new double[]{9, 9}, 2));
            assertTrue(log.offer(2, 2, 3, id, 4, 1, 0, 0, 0.5, new double[]{0.5, 0.25, 0.25, 0}, 4, null, 0));
            assertTrue(log.offer(3, 2, 3, id + 1, 4, 1, 0, 0, 0.5, new double[]{1}, 1, null, 0));
            assertTrue(log.offer(4, 2, 3, id, 4, 256, 0, 0, 0.5, new double[]{1}, 1, null, 0));
            log.close();
            assertEquals(1, log.written());
            assertEquals(3, log.rejected());
        }
        try (DecisionLogReader reader = DecisionLogReader.open(dir))
        {
            assertTrue(reader.next());
            assertEquals(1, reader.record().requestId());
            assertEquals(0, reader.record().featureCount());
            assertEquals(3, reader.record().actionCount());
            assertEquals(0.25, reader.record().probability(2));
            assertFalse(reader.next());
        }
    }

    @Test
    void configurationIsCheckedOnce()
    {
        final DecisionLogConfig base = DecisionLogConfig.defaults(dir);
        assertThrows(IllegalArgumentException.class, () -> base.withRingSize(1000).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withMaxActions(0).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withMaxFeatures(70_000).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withSegmentBytes(4096).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withSegmentBytes((1 << 20) + 4).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withRollInterval(Duration.ZERO).validate());
    }

    @Test
    void artifactNamesAreCheckedAtRegistration() throws Exception
    {
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir)))
        {
            assertThrows(IllegalArgumentException.class, () -> log.artifactId(""));
            assertThrows(IllegalArgumentException.class, () -> log.artifactId("x".repeat(256)));
            final IllegalArgumentException full = assertThrows(IllegalArgumentException.class, () ->
            {
                for (int i = 0; i < 1000; i++)
                {
                    log.artifactId("artifact-" + i + "-" + "y".repeat(100));
                }
            });
            assertTrue(full.getMessage().contains("names table"), full.getMessage());
        }
    }
}
