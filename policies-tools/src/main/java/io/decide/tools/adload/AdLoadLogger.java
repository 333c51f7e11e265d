package io.decide.tools.adload;

import java.util.SplittableRandom;

/**
 * Draws logged rows from the {@link AdLoadSimulator} under a uniform-random logging policy over the allowed
 * patterns (propensity 1/K), and for an evaluation policy the row's distribution π_e(· | x), a noisy reward model
 * q̂(x, ·) = (1 + bias)·μ(x, ·) + noise·N(0, 1) with μ the true expected reward, and the row's true value
 * Σ_a π_e(a | x) μ(x, a). Deterministic for a seed; the q̂ noise has its own stream, so changing it leaves the log
 * unchanged.
 */
public final class AdLoadLogger
{
    /** One logged row; arrays are reused by {@link #next(Row)}. */
    public static final class Row
    {
        /** Context ({@link AdLoadSimulator#CONTEXT_WIDTH}). */
        public final double[] context = new double[AdLoadSimulator.CONTEXT_WIDTH];
        /** π_e(a | x) (K). */
        public final double[] dist;
        /** q̂(x, a) (K). */
        public final double[] q;
        /** True E[SAT | x, a] (K). */
        public final double[] expectedSat;
        /** True E[ADS | x, a] (K). */
        public final double[] expectedAds;
        /** Logged pattern. */
        public int action;
        /** Logging propensity 1/K. */
        public double pscore;
        /** Observed SAT. */
        public double sat;
        /** Observed ADS. */
        public double ads;
        /** Observed reward λ·SAT + (1-λ)·ADS. */
        public double reward;
        /** Σ_a π_e(a | x) μ(x, a). */
        public double truth;

        Row(final int k)
        {
            dist = new double[k];
            q = new double[k];
            expectedSat = new double[k];
            expectedAds = new double[k];
        }
    }

    private final AdLoadSimulator simulator;
    private final EvaluationPolicy policy;
    private final double qNoise;
    private final double qBias;
    private final SplittableRandom random;
    private final SplittableRandom noise;
    private final double[] outcome = new double[2];

    /**
     * @param simulator the simulator.
     * @param policy    evaluation policy (uniform when null).
     * @param qNoise    standard deviation of q̂'s additive noise.
     * @param qBias     q̂'s relative bias.
     * @param seed      seed.
     */
    public AdLoadLogger(final AdLoadSimulator simulator, final EvaluationPolicy policy, final double qNoise,
        final double qBias, final long seed)
    {
        this.simulator = simulator;
        this.policy = policy != null ? policy :
            new EvaluationPolicy(EvaluationPolicy.Kind.UNIFORM, simulator, 0, 0, 0, 0, 1);
        this.qNoise = qNoise;
        this.qBias = qBias;
        this.random = new SplittableRandom(seed);
        this.noise = random.split();
    }

    /** @return a row to pass to {@link #next(Row)}. */
    public Row newRow()
    {
        return new Row(simulator.patterns().count());
    }

    /**
     * Draw the next row.
     *
     * @param row filled in.
     */
    public void next(final Row row)
    {
        final int k = simulator.patterns().count();
        simulator.sampleContext(random, row.context);
        row.action = random.nextInt(k);
        row.pscore = 1.0 / k;
        simulator.simulate(row.context, row.action, random, outcome);
        row.sat = outcome[0];
        row.ads = outcome[1];
        row.reward = simulator.reward(row.sat, row.ads);
        simulator.expectedOutcomes(row.context, row.expectedSat, row.expectedAds);
        policy.distribution(row.context, row.dist);
        double truth = 0;
        for (int a = 0; a < k; a++)
        {
            final double mu = simulator.reward(row.expectedSat[a], row.expectedAds[a]);
            truth += row.dist[a] * mu;
            row.q[a] = (1 + qBias) * mu + qNoise * noise.nextGaussian();
        }
        row.truth = truth;
    }

    /**
     * The policy's value over the context distribution, by a large sample of contexts with exact conditional
     * expectations.
     *
     * @param simulator the simulator.
     * @param policy    the policy.
     * @param samples   contexts.
     * @param seed      seed.
     * @return {value, standard error}.
     */
    public static double[] populationValue(final AdLoadSimulator simulator, final EvaluationPolicy policy,
        final int samples, final long seed)
    {
        final int k = simulator.patterns().count();
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] x = new double[AdLoadSimulator.CONTEXT_WIDTH];
        final double[] dist = new double[k];
        final double[] sat = new double[k];
        final double[] ads = new double[k];
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < samples; i++)
        {
            simulator.sampleContext(random, x);
            simulator.expectedOutcomes(x, sat, ads);
            policy.distribution(x, dist);
            double v = 0;
            for (int a = 0; a < k; a++)
            {
                v += dist[a] * simulator.reward(sat[a], ads[a]);
            }
            sum += v;
            sumSquares += v * v;
        }
        final double mean = sum / samples;
        final double variance = samples > 1 ? Math.max(0, (sumSquares - samples * mean * mean) / (samples - 1)) : 0;
        return new double[]{mean, Math.sqrt(variance / samples)};
    }
}
