package io.decide.bench;

import io.decide.tools.ope.BanditFeedback;
import io.decide.tools.ope.BanditFeedbackReader;
import io.decide.tools.ope.BanditLog;
import io.decide.tools.ope.OffPolicyEvaluator;
import io.decide.tools.ope.OpeEstimator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Off-policy evaluation over logged rows with K = 8 actions (the ad-load default): reading log.csv, dist.csv and
 * q.csv with Decide's streaming byte parser ({@link BanditFeedbackReader}) against a straightforward reader
 * ({@code BufferedReader}, {@code String.split}, {@code Double.parseDouble}, full n × K matrices, then
 * {@link BanditFeedback#of}) on the same files, and all seven estimators with normal intervals on rows already in
 * memory. Numbers are written as Java's shortest decimals (up to 17 digits, the common case for generated
 * files). Setup checks that both readers give identical estimates.
 * <p>
 * {@code java -cp benchmarks.jar io.decide.bench.OpeBenchmark DIR ROWS} writes such files for timing the CLI.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OpeBenchmark
{
    /** Actions per row. */
    static final int ACTIONS = 8;
    private static final List<OpeEstimator> ALL = List.of(OpeEstimator.values());

    @Param({"1000000"})
    public int rows;

    private Path dir;
    private BanditFeedback inMemory;
    private final OffPolicyEvaluator evaluator = OffPolicyEvaluator.defaults();

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("ope-bench");
        write(dir, rows, 42);
        final BanditFeedback ours = BanditFeedbackReader.read(dir.resolve("log.csv"), dir.resolve("dist.csv"),
            dir.resolve("q.csv"), BanditFeedback.DEFAULT_SUM_TOLERANCE);
        final BanditFeedback naive = naiveRead(dir);
        for (final OpeEstimator e : ALL)
        {
            final double a = evaluator.estimate(ours, e);
            final double b = evaluator.estimate(naive, e);
            BenchArtifacts.check(Double.doubleToLongBits(a) == Double.doubleToLongBits(b),
                e + ": readers disagree " + a + " vs " + b);
        }
        inMemory = ours;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        for (final String name : new String[]{"log.csv", "dist.csv", "q.csv"})
        {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.deleteIfExists(dir);
    }

    /** @return read the three files with the streaming byte parser. */
    @Benchmark
    public BanditFeedback readStreaming() throws IOException
    {
        return BanditFeedbackReader.read(dir.resolve("log.csv"), dir.resolve("dist.csv"), dir.resolve("q.csv"),
            BanditFeedback.DEFAULT_SUM_TOLERANCE);
    }

    /** @return read them with BufferedReader, split and Double.parseDouble. */
    @Benchmark
    public BanditFeedback readNaive() throws IOException
    {
        return naiveRead(dir);
    }

    /** @return all seven estimators with normal intervals, rows in memory. */
    @Benchmark
    public OffPolicyEvaluator.Report estimateAll()
    {
        return evaluator.evaluate(inMemory, ALL, 0, 0, 0.95, 1);
    }

    /** @return read with the streaming parser, then all seven estimators: what {@code decide ope} does. */
    @Benchmark
    public OffPolicyEvaluator.Report readAndEstimate() throws IOException
    {
        return evaluator.evaluate(readStreaming(), ALL, 0, 0, 0.95, 1);
    }

    static BanditFeedback naiveRead(final Path dir) throws IOException
    {
        try (BufferedReader log = Files.newBufferedReader(dir.resolve("log.csv"));
            BufferedReader dist = Files.newBufferedReader(dir.resolve("dist.csv"));
            BufferedReader q = Files.newBufferedReader(dir.resolve("q.csv")))
        {
            log.readLine();
            dist.readLine();
            q.readLine();
            int capacity = 1 << 16;
            int[] actions = new int[capacity];
            double[] rewards = new double[capacity];
            double[] pscores = new double[capacity];
            double[] distMatrix = new double[capacity * ACTIONS];
            double[] qMatrix = new double[capacity * ACTIONS];
            int n = 0;
            String line;
            while ((line = log.readLine()) != null)
            {
                if (n == capacity)
                {
                    capacity *= 2;
                    actions = java.util.Arrays.copyOf(actions, capacity);
                    rewards = java.util.Arrays.copyOf(rewards, capacity);
                    pscores = java.util.Arrays.copyOf(pscores, capacity);
                    distMatrix = java.util.Arrays.copyOf(distMatrix, capacity * ACTIONS);
                    qMatrix = java.util.Arrays.copyOf(qMatrix, capacity * ACTIONS);
                }
                final String[] fields = line.split(",");
                actions[n] = Integer.parseInt(fields[0]);
                rewards[n] = Double.parseDouble(fields[1]);
                pscores[n] = Double.parseDouble(fields[2]);
                final String[] d = dist.readLine().split(",");
                final String[] r = q.readLine().split(",");
                for (int a = 0; a < ACTIONS; a++)
                {
                    distMatrix[n * ACTIONS + a] = Double.parseDouble(d[a]);
                    qMatrix[n * ACTIONS + a] = Double.parseDouble(r[a]);
                }
                n++;
            }
            final BanditLog parsed = new BanditLog(n, actions, null, rewards, pscores);
            return BanditFeedback.of(parsed, ACTIONS, java.util.Arrays.copyOf(distMatrix, n * ACTIONS),
                java.util.Arrays.copyOf(qMatrix, n * ACTIONS), BanditFeedback.DEFAULT_SUM_TOLERANCE);
        }
    }

    /**
     * Write log.csv (action,reward,pscore; uniform logging), dist.csv (a random distribution per row) and q.csv
     * (random estimated rewards), K = {@link #ACTIONS}.
     *
     * @param dir  directory.
     * @param rows rows.
     * @param seed seed.
     * @throws IOException on a write error.
     */
    static void write(final Path dir, final int rows, final long seed) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] p = new double[ACTIONS];
        final StringBuilder line = new StringBuilder(256);
        try (BufferedWriter log = Files.newBufferedWriter(dir.resolve("log.csv"), StandardCharsets.US_ASCII);
            BufferedWriter dist = Files.newBufferedWriter(dir.resolve("dist.csv"), StandardCharsets.US_ASCII);
            BufferedWriter q = Files.newBufferedWriter(dir.resolve("q.csv"), StandardCharsets.US_ASCII))
        {
            log.write("action,reward,pscore\n");
            final StringBuilder header = new StringBuilder();
            for (int a = 0; a < ACTIONS; a++)
            {
                header.append(a == 0 ? "" : ",").append('a').append(a);
            }
            dist.write(header + "\n");
            q.write(header + "\n");
            for (int i = 0; i < rows; i++)
            {
                line.setLength(0);
                line.append(random.nextInt(ACTIONS)).append(',').append(4 * random.nextDouble()).append(',')
                    .append(1.0 / ACTIONS).append('\n');
                log.append(line);
                double total = 0;
                for (int a = 0; a < ACTIONS; a++)
                {
                    p[a] = 0.05 + random.nextDouble();
                    total += p[a];
                }
                line.setLength(0);
                for (int a = 0; a < ACTIONS; a++)
                {
                    line.append(a == 0 ? "" : ",").append(p[a] / total);
                }
                dist.append(line.append('\n'));
                line.setLength(0);
                for (int a = 0; a < ACTIONS; a++)
                {
                    line.append(a == 0 ? "" : ",").append(4 * random.nextDouble());
                }
                q.append(line.append('\n'));
            }
        }
    }

    /**
     * Write benchmark files for timing {@code decide ope}.
     *
     * @param args DIR ROWS.
     * @throws IOException on a write error.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 2)
        {
            System.err.println("usage: OpeBenchmark DIR ROWS");
            System.exit(64);
        }
        final Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        write(dir, Integer.parseInt(args[1]), 42);
        System.out.println("wrote " + dir + "/{log,dist,q}.csv: " + args[1] + " rows, K = " + ACTIONS);
    }
}
