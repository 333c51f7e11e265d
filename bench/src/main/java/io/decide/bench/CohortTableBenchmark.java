package io.decide.bench;

import io.decide.engine.cohort.CohortReader;
import io.decide.engine.cohort.CohortTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * User → cohorts lookup in a persisted {@link CohortTable} (Chronicle Map) of 1,000,000 users x 3 quality bids,
 * through a {@link CohortReader}: random known users ({@link #hit}) and unknown ones ({@link #miss}). SampleTime
 * mode, so JMH reports percentiles (p50, p99, p99.9) of single lookups; the timer's own cost (tens of ns) is in
 * every sample. Checks every sampled user's cohorts before timing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CohortTableBenchmark
{
    static final int USERS = 1_000_000;
    static final int BIDS = 3;
    static final int SAMPLE = 1 << 16;

    private Path dir;
    private CohortTable table;
    private CohortReader reader;
    private final long[] hits = new long[SAMPLE];
    private final long[] misses = new long[SAMPLE];
    private final int[] cohorts = new int[BIDS];
    private int next;

    private static long userId(final long i)
    {
        return i * 0x9E3779B97F4A7C15L + 17;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("decide-cohort-bench");
        final Path file = dir.resolve("users.cmap");
        try (CohortTable writer = CohortTable.create(file, BIDS, USERS))
        {
            final byte[] row = new byte[BIDS];
            for (int i = 0; i < USERS; i++)
            {
                for (int b = 0; b < BIDS; b++)
                {
                    row[b] = (byte)((i + b) % 10);
                }
                writer.put(userId(i), row);
            }
        }
        table = CohortTable.open(file);
        reader = table.newReader();
        final SplittableRandom random = new SplittableRandom(42);
        for (int s = 0; s < SAMPLE; s++)
        {
            final int i = random.nextInt(USERS);
            hits[s] = userId(i);
            misses[s] = userId(USERS + random.nextInt(USERS));
            BenchArtifacts.check(reader.lookup(hits[s], cohorts) == BIDS && cohorts[2] == (i + 2) % 10,
                "cohort table returned wrong cohorts");
            BenchArtifacts.check(reader.lookup(misses[s], cohorts) == CohortReader.MISS, "unknown user found");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        table.close();
        Files.deleteIfExists(dir.resolve("users.cmap"));
        Files.deleteIfExists(dir);
    }

    /** @return bids found for a random known user. */
    @Benchmark
    public int hit()
    {
        return reader.lookup(hits[next++ & (SAMPLE - 1)], cohorts);
    }

    /** @return MISS, for a random unknown user. */
    @Benchmark
    public int miss()
    {
        return reader.lookup(misses[next++ & (SAMPLE - 1)], cohorts);
    }
}
