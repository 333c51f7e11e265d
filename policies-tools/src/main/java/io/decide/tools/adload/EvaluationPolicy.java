package io.decide.tools.adload;

import java.util.Locale;

/**
 * Policies whose value the simulator knows, for OPE: each gives π(a | x) over the K patterns, mixed with the
 * uniform distribution: π = (1 - ε)·π_base + ε/K.
 * <ul>
 *   <li>{@code uniform}: 1/K (the logging policy);</li>
 *   <li>{@code static}: the paper's static baseline, ads at slot {@code offset} and then after every {@code gap}
 *       posts, up to the most ads allowed;</li>
 *   <li>{@code fatigue}: the fatigue-threshold baseline: no ads when fatigue &gt; θ, else the static pattern;</li>
 *   <li>{@code softmax}: softmax of the true expected rewards at temperature T (an oracle-like good policy).</li>
 * </ul>
 */
public final class EvaluationPolicy
{
    /** The kinds. */
    public enum Kind
    {
        /** 1/K. */
        UNIFORM,
        /** Fixed offset and gap. */
        STATIC,
        /** No ads above a fatigue threshold. */
        FATIGUE,
        /** Softmax of true expected rewards. */
        SOFTMAX
    }

    private final Kind kind;
    private final AdLoadSimulator simulator;
    private final double epsilon;
    private final int staticPattern;
    private final double fatigueThreshold;
    private final double temperature;
    private final double[] sat;
    private final double[] ads;

    /**
     * @param kind             the kind.
     * @param simulator        the simulator (patterns, true rewards).
     * @param epsilon          uniform share ε in [0, 1].
     * @param offset           static: first ad slot.
     * @param gap              static: posts between ads.
     * @param fatigueThreshold fatigue: θ.
     * @param temperature      softmax: T &gt; 0.
     */
    public EvaluationPolicy(final Kind kind, final AdLoadSimulator simulator, final double epsilon, final int offset,
        final int gap, final double fatigueThreshold, final double temperature)
    {
        if (!(epsilon >= 0 && epsilon <= 1) || !(temperature > 0))
        {
            throw new IllegalArgumentException("epsilon must be in [0, 1] and temperature > 0");
        }
        this.kind = kind;
        this.simulator = simulator;
        this.epsilon = epsilon;
        this.fatigueThreshold = fatigueThreshold;
        this.temperature = temperature;
        final AdSlotPatterns patterns = simulator.patterns();
        int mask = 0;
        for (int slot = offset, ads = 0; slot < patterns.slots() && ads < patterns.maxAds(); slot += gap + 1, ads++)
        {
            mask |= 1 << slot;
        }
        staticPattern = patterns.indexOf(mask);
        if ((kind == Kind.STATIC || kind == Kind.FATIGUE) && staticPattern < 0)
        {
            throw new IllegalArgumentException("static offset " + offset + " and gap " + gap + " give ad slots " +
                Integer.toBinaryString(mask) + " (mask), not an allowed pattern");
        }
        sat = new double[patterns.count()];
        ads = new double[patterns.count()];
    }

    /**
     * @param name uniform, static, fatigue or softmax.
     * @return the kind.
     */
    public static Kind kind(final String name)
    {
        try
        {
            return Kind.valueOf(name.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("policy must be uniform, static, fatigue or softmax: " + name);
        }
    }

    /**
     * π(· | x), and optionally the true expected rewards it used.
     *
     * @param x   context.
     * @param out K probabilities.
     */
    public void distribution(final double[] x, final double[] out)
    {
        final int k = out.length;
        java.util.Arrays.fill(out, 0);
        switch (kind)
        {
            case UNIFORM:
                java.util.Arrays.fill(out, 1.0 / k);
                break;
            case STATIC:
                out[staticPattern] = 1;
                break;
            case FATIGUE:
                out[x[AdLoadSimulator.FATIGUE] > fatigueThreshold ? 0 : staticPattern] = 1;
                break;
            case SOFTMAX:
            {
                simulator.expectedOutcomes(x, sat, ads);
                double max = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < k; a++)
                {
                    out[a] = simulator.reward(sat[a], ads[a]) / temperature;
                    max = Math.max(max, out[a]);
                }
                double total = 0;
                for (int a = 0; a < k; a++)
                {
                    out[a] = Math.exp(out[a] - max);
                    total += out[a];
                }
                for (int a = 0; a < k; a++)
                {
                    out[a] /= total;
                }
                break;
            }
            default:
                throw new IllegalStateException(kind.name());
        }
        if (epsilon > 0)
        {
            for (int a = 0; a < k; a++)
            {
                out[a] = (1 - epsilon) * out[a] + epsilon / k;
            }
        }
    }
}
