package io.decide.tools.adload;

import io.decide.engine.adslot.AdSlotContext;
import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.adslot.AdSlotLogging;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Simulated ad-slot traffic decided by the engine: contexts from the {@link AdLoadSimulator}, each decided by an
 * {@link AdSlotDecider} (the logging policy, e.g. a uniform one) and handed to the decision log through
 * {@link AdSlotLogging} with its replay row, the shown pattern's outcome drawn by the simulator and written to
 * rewards.csv ({@code request_id,sat,ads}). The hidden contexts are kept, so the exact value of any ad-slot policy
 * on the same contexts follows ({@link #truth}).
 * <p>
 * A context maps to a request as: host features = the simulator's observable features
 * ({@link AdLoadSimulator#FEATURE_NAMES}, C = 5); posts since the last ad = {@code posts_since_ad}; the session had
 * an ad when {@code prev_ads > 0}. Request ids are 1..rows, user ids are the row index.
 */
public final class AdSlotTraffic
{
    /** Context features a decider must take (the simulator's observable ones). */
    public static final int CONTEXT_FEATURES = AdLoadSimulator.FEATURE_NAMES.length;

    private final AdLoadSimulator simulator;
    private final double[] contexts;
    private final int rows;

    private AdSlotTraffic(final AdLoadSimulator simulator, final double[] contexts, final int rows)
    {
        this.simulator = simulator;
        this.contexts = contexts;
        this.rows = rows;
    }

    /**
     * Check that a decider fits the simulator: the same pattern masks, in any order, and C = 5 context features.
     *
     * @param simulator the simulator.
     * @param decider   an ad-slot decider.
     * @return for each of the decider's patterns, the simulator's pattern index.
     * @throws IllegalArgumentException naming the first mismatch.
     */
    public static int[] patternMap(final AdLoadSimulator simulator, final AdSlotDecider decider)
    {
        final AdSlotPatterns patterns = simulator.patterns();
        if (decider.patternCount() != patterns.count() || decider.contextFeatureCount() != CONTEXT_FEATURES)
        {
            throw new IllegalArgumentException(decider.artifactName() + " v" + decider.artifactVersion() + " has " +
                decider.patternCount() + " patterns and " + decider.contextFeatureCount() + " context features; " +
                "the simulator has " + patterns.count() + " patterns and " + CONTEXT_FEATURES + " features");
        }
        final int[] map = new int[decider.patternCount()];
        for (int i = 0; i < map.length; i++)
        {
            map[i] = patterns.indexOf(decider.mask(i));
            if (map[i] < 0)
            {
                throw new IllegalArgumentException(decider.artifactName() + " pattern " + i + " (mask " +
                    decider.mask(i) + ") is not a simulator pattern");
            }
        }
        return map;
    }

    /**
     * Write a context's host features.
     *
     * @param context  a simulator context.
     * @param features C = 5 values.
     */
    public static void features(final double[] context, final double[] features)
    {
        System.arraycopy(context, 0, features, 0, CONTEXT_FEATURES);
    }

    /**
     * @param context a simulator context.
     * @return posts since the last ad.
     */
    public static int postsSinceLastAd(final double[] context)
    {
        return (int)context[AdLoadSimulator.POSTS_SINCE_AD];
    }

    /**
     * @param context a simulator context.
     * @return whether the session had shown an ad.
     */
    public static boolean hadAdInSession(final double[] context)
    {
        return context[AdLoadSimulator.PREV_ADS] > 0;
    }

    /**
     * Simulate, decide, log and reward {@code rows} requests.
     *
     * @param simulator   the simulator.
     * @param logging     the logging policy.
     * @param log         where decisions go (made with {@code logging}'s artifact, features on).
     * @param rewardsCsv  rewards.csv to write ({@code request_id,sat,ads}).
     * @param rows        requests.
     * @param seed        seed of contexts and outcomes.
     * @param startNanos  time of the first record (records are 1 ms apart).
     * @return the traffic, with its contexts kept for {@link #truth}.
     * @throws IOException when rewards.csv cannot be written.
     * @throws IllegalStateException when the log refuses a decision (dropped or closed).
     */
    public static AdSlotTraffic run(final AdLoadSimulator simulator, final AdSlotDecider logging,
        final AdSlotLogging log, final Path rewardsCsv, final int rows, final long seed, final long startNanos)
        throws IOException
    {
        final int[] map = patternMap(simulator, logging);
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] contexts = new double[rows * AdLoadSimulator.CONTEXT_WIDTH];
        final double[] x = new double[AdLoadSimulator.CONTEXT_WIDTH];
        final double[] features = new double[CONTEXT_FEATURES];
        final double[] outcome = new double[2];
        final AdSlotContext context = logging.newContext();
        try (BufferedWriter out = Files.newBufferedWriter(rewardsCsv, StandardCharsets.US_ASCII))
        {
            out.write("request_id,sat,ads\n");
            final StringBuilder line = new StringBuilder(64);
            for (int i = 0; i < rows; i++)
            {
                simulator.sampleContext(random, x);
                System.arraycopy(x, 0, contexts, i * AdLoadSimulator.CONTEXT_WIDTH, AdLoadSimulator.CONTEXT_WIDTH);
                features(x, features);
                final long requestId = i + 1;
                final AdSlotDecision d = logging.replay(requestId, i, features, postsSinceLastAd(x),
                    hadAdInSession(x), context);
                final long sequence = log.log(d, startNanos + i * 1_000_000L);
                if (sequence < 0)
                {
                    throw new IllegalStateException("the decision log refused request " + requestId + " (" +
                        sequence + ")");
                }
                simulator.simulate(x, map[d.pattern()], random, outcome);
                line.setLength(0);
                line.append(requestId).append(',').append(outcome[0]).append(',').append(outcome[1]).append('\n');
                out.append(line);
            }
        }
        return new AdSlotTraffic(simulator, contexts, rows);
    }

    /** @return requests simulated. */
    public int rows()
    {
        return rows;
    }

    /**
     * The exact value of a policy on this traffic's contexts: the mean over requests of
     * Σ_a π(a | x_i) μ(x_i, a), π from the decider's replay and μ the simulator's expected reward.
     *
     * @param policy a decider over the simulator's patterns.
     * @return {value, standard error over the contexts}.
     */
    public double[] truth(final AdSlotDecider policy)
    {
        return value(simulator, policy, contexts, rows);
    }

    /**
     * {@link #truth(AdSlotDecider)} over the requests whose id is {@code remainder} modulo {@code modulus} (e.g. the
     * held-out half of a train/evaluate split by request id).
     *
     * @param policy    a decider over the simulator's patterns.
     * @param modulus   ≥ 1.
     * @param remainder 0 .. modulus-1.
     * @return {value, standard error over those contexts}.
     */
    public double[] truth(final AdSlotDecider policy, final int modulus, final int remainder)
    {
        final int w = AdLoadSimulator.CONTEXT_WIDTH;
        final double[] kept = new double[rows * w];
        int n = 0;
        for (int i = 0; i < rows; i++)
        {
            if ((i + 1) % modulus == remainder)
            {
                System.arraycopy(contexts, i * w, kept, n * w, w);
                n++;
            }
        }
        return value(simulator, policy, kept, n);
    }

    /**
     * The exact value of a policy on fresh contexts (its value for the context distribution, up to sampling).
     *
     * @param simulator the simulator.
     * @param policy    a decider over the simulator's patterns.
     * @param samples   contexts.
     * @param seed      seed.
     * @return {value, standard error}.
     */
    public static double[] freshTruth(final AdLoadSimulator simulator, final AdSlotDecider policy, final int samples,
        final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] contexts = new double[samples * AdLoadSimulator.CONTEXT_WIDTH];
        final double[] x = new double[AdLoadSimulator.CONTEXT_WIDTH];
        for (int i = 0; i < samples; i++)
        {
            simulator.sampleContext(random, x);
            System.arraycopy(x, 0, contexts, i * AdLoadSimulator.CONTEXT_WIDTH, AdLoadSimulator.CONTEXT_WIDTH);
        }
        return value(simulator, policy, contexts, samples);
    }

    private static double[] value(final AdLoadSimulator simulator, final AdSlotDecider policy,
        final double[] contexts, final int rows)
    {
        final int[] map = patternMap(simulator, policy);
        final int k = simulator.patterns().count();
        final double[] x = new double[AdLoadSimulator.CONTEXT_WIDTH];
        final double[] features = new double[CONTEXT_FEATURES];
        final double[] sat = new double[k];
        final double[] ads = new double[k];
        final AdSlotContext context = policy.newContext();
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < rows; i++)
        {
            System.arraycopy(contexts, i * AdLoadSimulator.CONTEXT_WIDTH, x, 0, AdLoadSimulator.CONTEXT_WIDTH);
            features(x, features);
            final AdSlotDecision d = policy.replay(i + 1, i, features, postsSinceLastAd(x), hadAdInSession(x),
                context);
            simulator.expectedOutcomes(x, sat, ads);
            double v = 0;
            for (int a = 0; a < map.length; a++)
            {
                final double p = d.probability(a);
                if (p > 0)
                {
                    v += p * simulator.reward(sat[map[a]], ads[map[a]]);
                }
            }
            sum += v;
            sumSquares += v * v;
        }
        final double mean = sum / rows;
        final double variance = rows > 1 ? Math.max(0, (sumSquares - rows * mean * mean) / (rows - 1)) : 0;
        return new double[]{mean, Math.sqrt(variance / rows)};
    }
}
