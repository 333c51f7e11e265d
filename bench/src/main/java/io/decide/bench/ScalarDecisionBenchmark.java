package io.decide.bench;

import io.decide.engine.cohort.CohortReader;
import io.decide.engine.cohort.CohortTable;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.scalar.ScalarContext;
import io.decide.engine.scalar.ScalarDecider;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsFlyweight;
import io.decide.format.scalars.CohortScalarsWriter;
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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One request's scalars for {@value #BIDS} quality bids x {@value #COHORTS} cohorts with {@link ScalarDecider}, three
 * ways: cohorts from a Chronicle Map user→cohort table of 1,000,000 users ({@link #table}, and {@link #tableMiss}
 * for unknown users, which get the defaults), from a GBDT sensitivity model per bid on a 100-feature row
 * ({@link #gbdt}: 3 models of 50 complete depth-6 trees, boundaries at the margins' 5% quantiles), and from
 * caller-supplied cohorts ({@link #cohorts}) or sensitivities ({@link #sensitivities}). {@link #tableLookupOnly} is
 * the bare table lookup, for the decider's own share. SampleTime mode: JMH reports percentiles (p50, p99, p99.9) of
 * single calls, each including the timer's own cost (tens of ns); the {@code *AverageTime} variants give the mean
 * without timer and sample recording, for a clean {@code -prof gc} B/op. Setup checks every sampled request against the
 * section's flyweight (binary search) before timing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScalarDecisionBenchmark
{
    static final int USERS = 1_000_000;
    static final int BIDS = 3;
    static final int COHORTS = 20;
    static final int TREES = 50;
    static final int DEPTH = 6;
    static final int SAMPLE = 1 << 12;

    private Path dir;
    private LoadedArtifact artifact;
    private ScalarDecider decider;
    private ScalarContext context;
    private final double[][] rows = new double[SAMPLE][];
    private final int[][] cohortRows = new int[SAMPLE][BIDS];
    private final double[][] sensitivityRows = new double[SAMPLE][BIDS];
    private final double[] out = new double[BIDS];
    private int next;

    private static long userId(final long i)
    {
        return i * 0x9E3779B97F4A7C15L + 17;
    }

    private static int cohortOfUser(final long i, final int bid)
    {
        return (int)((i * 7 + bid * 3) % COHORTS);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = BenchArtifacts.tempDirectory();
        final SplittableRandom random = new SplittableRandom(42);
        for (int s = 0; s < SAMPLE; s++)
        {
            final double[] row = new double[GbdtEvaluatorBenchmark.FEATURES];
            for (int f = 0; f < row.length; f++)
            {
                row[f] = random.nextInt(20) == 0 ? Double.NaN : random.nextDouble() * 2 - 1;
            }
            rows[s] = row;
        }
        final TreeEnsemble[] models = new TreeEnsemble[BIDS];
        final double[][] boundaries = new double[BIDS][];
        final double[] margin = new double[1];
        for (int q = 0; q < BIDS; q++)
        {
            models[q] = GbdtEvaluatorBenchmark.completeEnsemble(random, TREES, DEPTH);
            final double[] margins = new double[SAMPLE];
            for (int s = 0; s < SAMPLE; s++)
            {
                models[q].predictRaw(rows[s], margin);
                margins[s] = margin[0];
            }
            Arrays.sort(margins);
            boundaries[q] = new double[COHORTS - 1];
            for (int i = 1; i < COHORTS; i++)
            {
                boundaries[q][i - 1] = Math.max(margins[i * SAMPLE / COHORTS],
                    i == 1 ? Double.NEGATIVE_INFINITY : Math.nextUp(boundaries[q][i - 2]));
            }
        }
        final CohortScalarsWriter section = new CohortScalarsWriter();
        final ArtifactWriter writer = new ArtifactWriter("scalars-bench", 1);
        for (int q = 0; q < BIDS; q++)
        {
            final double[] scalars = new double[COHORTS];
            for (int i = 0; i < COHORTS; i++)
            {
                scalars[i] = 2.0 - 1.5 * i / (COHORTS - 1);
            }
            writer.addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(models[q]));
            section.addBid(q, CohortScalarsDescriptor.DECREASING, CohortScalarsDescriptor.METHOD_LPQC_SORTED, 0.5,
                2.0, 1.0, boundaries[q], scalars, q, 0);
        }
        final Path file = dir.resolve("scalars.dpol");
        writer.addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, section.toBytes())
            .writeTo(file);
        artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        decider = ScalarDecider.of(artifact);
        context = decider.newContext();


        final CohortScalarsFlyweight flyweight = new CohortScalarsFlyweight().wrap(artifact.buffer(),
            artifact.sectionOffset(SectionType.COHORT_SCALARS, 0));
        for (int s = 0; s < SAMPLE; s++)
        {
            for (int q = 0; q < BIDS; q++)
            {
                cohortRows[s][q] = random.nextInt(COHORTS);
                sensitivityRows[s][q] = random.nextGaussian();
            }
            decider.scalarsForCohorts(cohortRows[s], out);
            for (int q = 0; q < BIDS; q++)
            {
                BenchArtifacts.check(out[q] == flyweight.bid(q).scalar(cohortRows[s][q]), "cohort path disagrees");
            }
            BenchArtifacts.check(decider.scalarsForFeatures(rows[s], out, context) == 0, "model path defaulted");
            for (int q = 0; q < BIDS; q++)
            {
                models[q].predictRaw(rows[s], margin);
                BenchArtifacts.check(out[q] == flyweight.bid(q).scalar(flyweight.cohortOf(margin[0])),
                    "model path disagrees with the reference");
            }
            decider.scalarsForSensitivities(sensitivityRows[s], out);
            for (int q = 0; q < BIDS; q++)
            {
                BenchArtifacts.check(out[q] == flyweight.bid(q).scalar(flyweight.cohortOf(sensitivityRows[s][q])),
                    "sensitivity path disagrees with the reference");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        artifact.close();
        BenchArtifacts.deleteRecursively(dir);
    }

    /**
     * The Chronicle Map table of {@value #USERS} users, in its own state so that only the table benchmarks build and
     * open it (the others then run in a JVM without Chronicle Map's threads, whose allocation {@code -prof gc} would
     * count). Checks every sampled user's scalars against the section's flyweight.
     */
    @State(Scope.Thread)
    public static class TableState
    {
        private Path dir;
        private CohortTable table;
        CohortReader reader;
        final long[] hits = new long[SAMPLE];
        final long[] misses = new long[SAMPLE];
        final int[] found = new int[CohortTable.MAX_BIDS];

        @Setup(Level.Trial)
        public void setUp(final ScalarDecisionBenchmark bench) throws IOException
        {
            dir = BenchArtifacts.tempDirectory();
            final Path tableFile = dir.resolve("users.cmap");
            try (CohortTable create = CohortTable.create(tableFile, BIDS, USERS))
            {
                final byte[] row = new byte[BIDS];
                for (int i = 0; i < USERS; i++)
                {
                    for (int b = 0; b < BIDS; b++)
                    {
                        row[b] = (byte)cohortOfUser(i, b);
                    }
                    create.put(userId(i), row);
                }
            }
            table = CohortTable.open(tableFile);
            reader = table.newReader();
            final ScalarDecider decider = bench.decider;
            final CohortScalarsFlyweight flyweight = new CohortScalarsFlyweight().wrap(bench.artifact.buffer(),
                bench.artifact.sectionOffset(SectionType.COHORT_SCALARS, 0));
            final double[] out = new double[BIDS];
            final SplittableRandom random = new SplittableRandom(43);
            for (int s = 0; s < SAMPLE; s++)
            {
                final int i = random.nextInt(USERS);
                hits[s] = userId(i);
                misses[s] = userId(USERS + random.nextInt(USERS));
                BenchArtifacts.check(decider.scalarsForUser(hits[s], reader, out, bench.context) == 0,
                    "known user missed");
                for (int q = 0; q < BIDS; q++)
                {
                    BenchArtifacts.check(out[q] == flyweight.bid(q).scalar(cohortOfUser(i, q)),
                        "table path disagrees");
                }
                BenchArtifacts.check(decider.scalarsForUser(misses[s], reader, out, bench.context) == BIDS &&
                    out[0] == 1.0, "unknown user not defaulted");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            table.close();
            BenchArtifacts.deleteRecursively(dir);
        }
    }

    /** @return defaults served (0) for a random known user, cohorts from the table. */
    @Benchmark
    public int table(final TableState users)
    {
        return decider.scalarsForUser(users.hits[next++ & (SAMPLE - 1)], users.reader, out, context);
    }

    /** @return defaults served (3) for a random unknown user. */
    @Benchmark
    public int tableMiss(final TableState users)
    {
        return decider.scalarsForUser(users.misses[next++ & (SAMPLE - 1)], users.reader, out, context);
    }

    /** @return the bare table lookup for a random known user (no scalars). */
    @Benchmark
    public int tableLookupOnly(final TableState users)
    {
        return users.reader.lookup(users.hits[next++ & (SAMPLE - 1)], users.found);
    }

    /** @return defaults served (0), cohorts from the three GBDT sensitivity models. */
    @Benchmark
    public int gbdt()
    {
        return decider.scalarsForFeatures(rows[next++ & (SAMPLE - 1)], out, context);
    }

    /**
     * The table path in AverageTime mode: no per-call sample is recorded, so {@code -prof gc}'s B/op is the
     * decision's own (SampleTime's recording adds a fraction of a byte per call, more when the machine is loaded).
     *
     * @return defaults served (0).
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public int tableAverageTime(final TableState users)
    {
        return decider.scalarsForUser(users.hits[next++ & (SAMPLE - 1)], users.reader, out, context);
    }

    /** @return defaults served (0), the GBDT path in AverageTime mode (see {@link #tableAverageTime}). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public int gbdtAverageTime()
    {
        return decider.scalarsForFeatures(rows[next++ & (SAMPLE - 1)], out, context);
    }

    /** @return defaults served (0), cohorts from the caller. */
    @Benchmark
    public int cohorts()
    {
        return decider.scalarsForCohorts(cohortRows[next++ & (SAMPLE - 1)], out);
    }

    /** @return defaults served (0), sensitivities from the caller. */
    @Benchmark
    public int sensitivities()
    {
        return decider.scalarsForSensitivities(sensitivityRows[next++ & (SAMPLE - 1)], out);
    }
}
