package io.decide.engine.log;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Round trip of random logs: any number of decisions with random ids, times, versions, kinds, K and F (0 included),
 * and arbitrary doubles (NaN payloads, -0.0, infinities: compared bit for bit), over random segment sizes and
 * names registered at random points, read back exactly, in order, with no torn tail.
 */
class DecisionLogPropertyTest
{
    @Test
    void whatIsWrittenReadsBackBitForBit()
    {
        qt().withExamples(40).forAll(longs().all(), integers().between(0, 2000), integers().between(1, 40),
            integers().between(0, 12)).checkAssert((seed, records, maxActions, maxFeatures) ->
            {
                final Path dir = tempDir();
                try
                {
                    roundTrip(dir, seed, records, maxActions, maxFeatures);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                finally
                {
                    delete(dir);
                }
            });
    }

    private static void roundTrip(final Path dir, final long seed, final int records, final int maxActions,
        final int maxFeatures) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long segmentBytes = DecisionLogDescriptor.HEADER_LENGTH +
            DecisionLogDescriptor.recordLength(maxActions, maxFeatures) * (1 + random.nextInt(20));
        final DecisionLogConfig config = DecisionLogConfig.defaults(dir).withMaxActions(maxActions)
            .withMaxFeatures(maxFeatures).withSegmentBytes(segmentBytes).withRingSize(1 << (1 + random.nextInt(8)));
        final long[] longs = new long[records * 4];
        final int[] ints = new int[records * 6];
        final long[][] vectors = new long[records][];
        try (DecisionLog log = DecisionLog.open(config))
        {
            int names = 0;
            for (int i = 0; i < records; i++)
            {
                if (names == 0 || random.nextInt(200) == 0)
                {
                    assertEquals(names, log.artifactId("artifact-" + names + "-é"));
                    names++;
                }
                final long seq = log.claim();
                final DecisionEvent e = log.event(seq);
                final int k = random.nextInt(maxActions + 1);
                final int f = maxFeatures == 0 ? 0 : random.nextInt(maxFeatures + 1);
                final long[] bits = new long[1 + k + f];
                for (int j = 0; j < bits.length; j++)
                {
                    bits[j] = anyDouble(random);
                }
                vectors[i] = bits;
                for (int a = 0; a < k; a++)
                {
                    e.probabilities()[a] = Double.longBitsToDouble(bits[1 + a]);
                }
                for (int x = 0; x < f; x++)
                {
                    e.features()[x] = Double.longBitsToDouble(bits[1 + k + x]);
                }
                longs[4 * i] = random.nextLong();
                longs[4 * i + 1] = random.nextLong();
                longs[4 * i + 2] = random.nextLong();
                longs[4 * i + 3] = random.nextLong();
                ints[6 * i] = random.nextInt(names);
                ints[6 * i + 1] = random.nextInt(256);
                ints[6 * i + 2] = random.nextInt();
                ints[6 * i + 3] = random.nextInt();
                ints[6 * i + 4] = k;
                ints[6 * i + 5] = f;
                e.requestId(longs[4 * i]).userId(longs[4 * i + 1]).timeEpochNanos(longs[4 * i + 2])
                    .artifact(ints[6 * i], longs[4 * i + 3]).kind(ints[6 * i + 1])
                    .choice(ints[6 * i + 2], ints[6 * i + 3], Double.longBitsToDouble(bits[0]))
                    .actionCount(k).featureCount(f);
                log.publish(seq);
            }
            log.close();
            assertEquals(records, log.written());
            assertEquals(0, log.rejected() + log.failures() + log.dropped(), log.lastFailure());
        }
        try (DecisionLogReader reader = DecisionLogReader.open(dir))
        {
            for (int i = 0; i < records; i++)
            {
                assertTrue(reader.next(), "record " + i);
                final DecisionRecordFlyweight r = reader.record();
                assertEquals(longs[4 * i], r.requestId());
                assertEquals(longs[4 * i + 1], r.userId());
                assertEquals(longs[4 * i + 2], r.timeEpochNanos());
                assertEquals(longs[4 * i + 3], r.artifactVersion());
                assertEquals("artifact-" + ints[6 * i] + "-é", reader.artifactName());
                assertEquals(ints[6 * i + 1], r.kind());
                assertEquals(ints[6 * i + 2], r.action());
                assertEquals(ints[6 * i + 3], r.position());
                final int k = ints[6 * i + 4];
                final int f = ints[6 * i + 5];
                assertEquals(k, r.actionCount());
                assertEquals(f, r.featureCount());
                final long[] bits = vectors[i];
                assertEquals(bits[0], Double.doubleToRawLongBits(r.propensity()));
                for (int a = 0; a < k; a++)
                {
                    assertEquals(bits[1 + a], Double.doubleToRawLongBits(r.probability(a)));
                }
                for (int x = 0; x < f; x++)
                {
                    assertEquals(bits[1 + k + x], Double.doubleToRawLongBits(r.feature(x)));
                }
            }
            assertFalse(reader.next());
            assertEquals(0, reader.tornTails().size());
        }
    }

    private static long anyDouble(final SplittableRandom random)
    {
        switch (random.nextInt(8))
        {
            case 0:
                return Double.doubleToRawLongBits(-0.0);
            case 1:
                return 0x7FF8_0000_0000_1234L;
            case 2:
                return Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY);
            case 3:
                return random.nextLong();
            default:
                return Double.doubleToRawLongBits(random.nextDouble());
        }
    }

    private static Path tempDir()
    {
        try
        {
            return Files.createTempDirectory("decide-log-property");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void delete(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
