package io.decide.bench;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Decide's GBDT evaluator alone, on complete random trees shaped like an XGBoost model (float32 thresholds,
 * {@code <} splits, NaN default directions) over 100 features: single-row raw margin, cycling through 1,024
 * prepared rows (5% missing values). Checks the compiled evaluator agrees with the reference semantics first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GbdtEvaluatorBenchmark
{
    static final int FEATURES = 100;
    static final int ROWS = 1024;

    @Param({"50", "500", "1000"})
    int trees;

    @Param({"6", "8"})
    int depth;

    private GbdtEvaluator evaluator;
    private GbdtContext context;
    private double[][] rows;
    private final double[] out = new double[1];
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final TreeEnsemble ensemble = completeEnsemble(random, trees, depth);
        evaluator = new GbdtEvaluator(ensemble);
        context = evaluator.newContext();
        rows = new double[ROWS][FEATURES];
        for (final double[] row : rows)
        {
            for (int f = 0; f < FEATURES; f++)
            {
                row[f] = random.nextInt(20) == 0 ? Double.NaN : random.nextDouble() * 2 - 1;
            }
        }
        final double[] expected = new double[1];
        for (final double[] row : rows)
        {
            ensemble.predictRaw(row, expected);
            evaluator.predictRaw(row, out, context);
            BenchArtifacts.check(Double.doubleToLongBits(expected[0]) == Double.doubleToLongBits(out[0]),
                "compiled evaluator disagrees with the reference semantics");
        }
    }

    /**
     * An ensemble of complete trees of the given depth: float thresholds in (-1, 1), random default directions.
     *
     * @param random randomness.
     * @param trees  tree count.
     * @param depth  depth of every tree.
     * @return the ensemble.
     */
    static TreeEnsemble completeEnsemble(final SplittableRandom random, final int trees, final int depth)
    {
        final TreeEnsemble.Builder builder = TreeEnsemble.builder().featureCount(FEATURES)
            .precision(Precision.FLOAT32).comparison(SplitComparison.LESS_THAN).baseScores(0.5);
        final int internal = (1 << depth) - 1;
        final int nodes = 2 * internal + 1;
        for (int t = 0; t < trees; t++)
        {
            final int[] left = new int[nodes];
            final int[] right = new int[nodes];
            final int[] feature = new int[nodes];
            final double[] threshold = new double[nodes];
            final boolean[] defaultLeft = new boolean[nodes];
            final MissingRule[] missing = new MissingRule[nodes];
            final double[] leaf = new double[nodes];
            for (int i = 0; i < nodes; i++)
            {
                if (i < internal)
                {
                    left[i] = 2 * i + 1;
                    right[i] = 2 * i + 2;
                    feature[i] = random.nextInt(FEATURES);
                    threshold[i] = (float)(random.nextDouble() * 2 - 1);
                    defaultLeft[i] = random.nextBoolean();
                    missing[i] = MissingRule.NAN_DEFAULT;
                }
                else
                {
                    left[i] = -1;
                    right[i] = -1;
                    leaf[i] = (float)(random.nextDouble() * 0.2 - 0.1);
                }
            }
            builder.addTree(new Tree(0, 1.0, left, right, feature, threshold, defaultLeft, missing,
                new int[nodes][], leaf));
        }
        return builder.build();
    }

    @Benchmark
    public double singleRowRaw()
    {
        evaluator.predictRaw(rows[next++ & (ROWS - 1)], out, context);
        return out[0];
    }
}
