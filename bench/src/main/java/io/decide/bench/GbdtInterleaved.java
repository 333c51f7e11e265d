package io.decide.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Old and new GBDT evaluators (and the libraries) timed in ONE JVM, interleaved round by round, so the load of a
 * shared machine hits every variant alike: each round times {@value #CALLS} consecutive calls of every variant in
 * turn (rotating which goes first), and the report gives each variant's minimum and median per call over the rounds
 * and the median of its per-round ratio to the first variant. The variants are the {@code @Benchmark} methods of
 * {@link GbdtPeersBenchmark} (500 trees, depth 6), {@link GbdtLightGbmBenchmark} and
 * {@link GbdtArtifactOpenBenchmark}, after their own setup (which checks every variant agrees with the library bit
 * for bit).
 * <pre>
 * java $FLAGS -cp bench/target/benchmarks.jar io.decide.bench.GbdtInterleaved [ROUNDS]
 * </pre>
 */
public final class GbdtInterleaved
{
    private static final int CALLS = 1024;

    private GbdtInterleaved()
    {
    }

    /**
     * Run the three comparisons.
     *
     * @param args optional number of measured rounds (default 300; a third as many warm-up rounds come first).
     * @throws Exception from a benchmark's setup.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;

        final GbdtPeersBenchmark peers = new GbdtPeersBenchmark();
        peers.trees = 500;
        peers.depth = 6;
        peers.setUp();
        compare("500 trees, depth 6 (float[] rows)", rounds, CALLS, List.of("baseline", "ours", "xgboost inplace"),
            List.of(peers::baselineFloat, peers::oursFloat, peers::xgboostInplacePredict));
        peers.tearDown();

        final GbdtLightGbmBenchmark lightGbm = new GbdtLightGbmBenchmark();
        lightGbm.setUp();
        compare("LightGBM 1000 trees, 31 leaves", rounds, CALLS, List.of("baseline", "ours", "LightGBM fast"),
            List.of(lightGbm::baselineDouble, lightGbm::oursDouble, lightGbm::lightGbmSingleRowFast));
        lightGbm.tearDown();

        final GbdtArtifactOpenBenchmark open = new GbdtArtifactOpenBenchmark();
        open.setUp();
        compare("5,000-tree artifact", Math.max(10, rounds / 10), 1,
            List.of("compile baseline", "compile ours", "open (ours)"),
            List.of(open::compileBaselineEvaluator, open::compileEvaluator, open::openAndClose));
        open.tearDown();
    }

    private static void compare(
        final String title, final int rounds, final int calls, final List<String> names,
        final List<Callable<?>> variants) throws Exception
    {
        final int n = variants.size();
        final double[][] nanos = new double[n][rounds];
        final List<Object> sink = new ArrayList<>();
        for (int round = -rounds / 3; round < rounds; round++)
        {
            for (int i = 0; i < n; i++)
            {
                final int v = (i + Math.floorMod(round, n)) % n;
                final Callable<?> variant = variants.get(v);
                Object last = null;
                final long start = System.nanoTime();
                for (int c = 0; c < calls; c++)
                {
                    last = variant.call();
                }
                final long elapsed = System.nanoTime() - start;
                if (round >= 0)
                {
                    nanos[v][round] = (double)elapsed / calls;
                }
                else if (sink.size() < 16)
                {
                    sink.add(last);
                }
            }
        }
        System.out.printf("%s (%d rounds of %d calls each, interleaved):%n", title, rounds, calls);
        for (int v = 0; v < n; v++)
        {
            final double[] sorted = nanos[v].clone();
            Arrays.sort(sorted);
            final double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                ratio[r] = nanos[v][r] / nanos[0][r];
            }
            Arrays.sort(ratio);
            System.out.printf("  %-18s min %12.1f ns  median %12.1f ns  per-round ratio to %s: median %.3f " +
                "(quartiles %.3f-%.3f)%n", names.get(v), sorted[0], sorted[rounds / 2], names.get(0),
                ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]);
        }
        System.out.println("  (" + sink.size() + " warm-up results kept)");
    }
}
