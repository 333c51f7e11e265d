package io.decide.engine.log;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The format-1.0 golden log ({@code src/test/resources/golden/decision-log-v1}): three segments written by the
 * 1.0 writer (K = 1..3, F = 0..2, two artifact names, the second added to the header of the second segment), the
 * last one turned into what a killed writer leaves (open, full size, a record whose bytes were being stored when
 * the process died). Every later reader must read it exactly like this; never regenerate it for a new version, add
 * a new golden directory instead.
 */
class DecisionLogGoldenTest
{
    @Test
    void theVersionOneGoldenLogReadsBackExactly() throws Exception
    {
        final Path dir = Path.of(DecisionLogGoldenTest.class.getResource("/golden/decision-log-v1").toURI());
        assertEquals(List.of(4432L, 4448L, 4512L), List.of(size(dir, 0), size(dir, 1), size(dir, 2)));
        try (DecisionLogReader reader = DecisionLogReader.open(dir))
        {
            for (int r = 0; r < 10; r++)
            {
                assertTrue(reader.next(), "record " + r);
                final DecisionRecordFlyweight rec = reader.record();
                final int k = 1 + r % 3;
                final int f = r % 3;
                assertEquals(1000 + r, rec.requestId());
                assertEquals(-7L * r, rec.userId());
                assertEquals(1_763_800_000_000_000_000L + r * 1_000_000L, rec.timeEpochNanos());
                assertEquals(r < 5 ? "adslot" : "quota-v2", reader.artifactName());
                assertEquals(40 + r, rec.artifactVersion());
                assertEquals(r % 2 == 0 ? DecisionLogDescriptor.KIND_AD_SLOT : DecisionLogDescriptor.KIND_QUOTA,
                    rec.kind());
                assertEquals(k, rec.actionCount());
                assertEquals(f, rec.featureCount());
                assertEquals(r % k, rec.action());
                assertEquals(r % 2, rec.position());
                for (int a = 0; a < k; a++)
                {
                    assertEquals((a + 1.0) / (k * (k + 1) / 2.0), rec.probability(a));
                }
                assertEquals(rec.probability(r % k), rec.propensity());
                for (int i = 0; i < f; i++)
                {
                    assertEquals(r - 0.5 * i, rec.feature(i));
                }
                assertEquals(DecisionLogDescriptor.recordLength(k, f), rec.length());
                assertEquals(r < 4 ? 0 : r < 8 ? 1 : 2, reader.segmentIndex());
            }
            assertFalse(reader.next());
            assertEquals(List.of(new TornTail(dir.resolve(DecisionLogDescriptor.fileName(2)), 4272, 240,
                "record not committed (length 0) but bytes written at offset 4280")), reader.tornTails());
        }
    }

    private static long size(final Path dir, final long segment) throws Exception
    {
        return Files.size(dir.resolve(DecisionLogDescriptor.fileName(segment)));
    }
}
