package io.decide.tools.adload;

import java.util.SplittableRandom;

/**
 * A simulator of feed ad loads with known ground truth (model in {@code docs/OPE.md}, "Ad-load simulator").
 * <p>
 * A context is a user at a feed fetch: language cohort c, activity, fatigue, ads in the previous feed, organic posts
 * since the last ad (all observable: {@link #FEATURE_NAMES}) and a hidden ad tolerance t (log-normal, higher for
 * some languages, lower with fatigue). The user scrolls the n slots in order; after an organic post they leave with
 * probability {@code 0.03 + 0.05·(1 - activity)}, after their s-th ad (s = 0, 1, ..) with probability
 * {@code 1 - exp(-0.15·(1 + 0.7·s + 0.3·prevAds + 0.2·[postsSinceAd < 3])·(0.5 + fatigue) / t)}; an ad seen at
 * slot j is clicked with probability {@code 0.04·exp(-0.12·j)·(1 + 0.25·c)·(0.5 + activity)} (position effect).
 * Outcomes: SAT = 3·1{feed completed} + 0.2·posts seen; ADS = ads seen + 10·clicks; reward = λ·SAT + (1-λ)·ADS.
 * Expected SAT and ADS of every pattern follow exactly from the survival products, so the value of any policy is
 * known: exactly given the contexts, and for the context distribution by a large sample.
 */
public final class AdLoadSimulator
{
    /** Observable context features, in the order of {@link #sampleContext}'s first entries. */
    public static final String[] FEATURE_NAMES = {"language", "activity", "fatigue", "prev_ads", "posts_since_ad"};
    /** Index of the language cohort in a context. */
    public static final int LANGUAGE = 0;
    /** Index of activity in [0, 1]. */
    public static final int ACTIVITY = 1;
    /** Index of fatigue in [0, 1]. */
    public static final int FATIGUE = 2;
    /** Index of the previous feed's ad count. */
    public static final int PREV_ADS = 3;
    /** Index of posts since the last ad (capped at 20). */
    public static final int POSTS_SINCE_AD = 4;
    /** Index of the hidden log tolerance (not a feature). */
    public static final int LOG_TOLERANCE = 5;
    /** Length of a context array. */
    public static final int CONTEXT_WIDTH = 6;

    private static final double COMPLETION_VALUE = 3;
    private static final double POST_VALUE = 0.2;
    private static final double CLICK_VALUE = 10;

    private final AdSlotPatterns patterns;
    private final int languages;
    private final double lambda;
    private final double[] languageCumulative;

    /**
     * @param patterns  the allowed patterns (actions).
     * @param languages language cohorts ≥ 1 (shares ∝ 1/(c+1)).
     * @param lambda    reward weight λ of SAT in [0, 1].
     */
    public AdLoadSimulator(final AdSlotPatterns patterns, final int languages, final double lambda)
    {
        if (languages < 1 || !(lambda >= 0 && lambda <= 1))
        {
            throw new IllegalArgumentException("languages must be >= 1 and lambda in [0, 1]");
        }
        this.patterns = patterns;
        this.languages = languages;
        this.lambda = lambda;
        languageCumulative = new double[languages];
        double total = 0;
        for (int c = 0; c < languages; c++)
        {
            total += 1.0 / (c + 1);
            languageCumulative[c] = total;
        }
        for (int c = 0; c < languages; c++)
        {
            languageCumulative[c] /= total;
        }
    }

    /** @return the patterns. */
    public AdSlotPatterns patterns()
    {
        return patterns;
    }

    /** @return λ. */
    public double lambda()
    {
        return lambda;
    }

    /**
     * Draw a context.
     *
     * @param random generator.
     * @param out    {@link #CONTEXT_WIDTH} values.
     */
    public void sampleContext(final SplittableRandom random, final double[] out)
    {
        final double u = random.nextDouble();
        int c = 0;
        while (c < languages - 1 && u >= languageCumulative[c])
        {
            c++;
        }
        out[LANGUAGE] = c;
        out[ACTIVITY] = Math.pow(random.nextDouble(), 0.7);
        out[FATIGUE] = 0.5 * (random.nextDouble() + random.nextDouble());
        out[PREV_ADS] = random.nextInt(patterns.maxAds() + 1);
        out[POSTS_SINCE_AD] = Math.min(20, (int)Math.floor(-Math.log(1 - random.nextDouble()) * 4));
        out[LOG_TOLERANCE] = 0.4 * (c - (languages - 1) / 2.0) - 0.6 * (out[FATIGUE] - 0.5) +
            0.5 * random.nextGaussian();
    }

    private static double postLeave(final double[] x)
    {
        return 0.03 + 0.05 * (1 - x[ACTIVITY]);
    }

    private static double adLeave(final double[] x, final int adsSeen)
    {
        final double recent = 1 + 0.7 * adsSeen + 0.3 * x[PREV_ADS] + (x[POSTS_SINCE_AD] < 3 ? 0.2 : 0);
        return 1 - Math.exp(-0.12 * recent * (0.5 + x[FATIGUE]) / Math.exp(x[LOG_TOLERANCE]));
    }

    private static double clickRate(final double[] x, final int slot)
    {
        return 0.04 * Math.exp(-0.12 * slot) * (1 + 0.25 * x[LANGUAGE]) * (0.5 + x[ACTIVITY]);
    }

    /**
     * Exact expected outcomes of every pattern in a context.
     *
     * @param x   context.
     * @param sat E[SAT | x, a] per pattern (K values).
     * @param ads E[ADS | x, a] per pattern.
     */
    public void expectedOutcomes(final double[] x, final double[] sat, final double[] ads)
    {
        final int n = patterns.slots();
        final double post = postLeave(x);
        for (int p = 0; p < patterns.count(); p++)
        {
            double survive = 1;
            double posts = 0;
            double impressions = 0;
            double clicks = 0;
            int seen = 0;
            for (int j = 0; j < n; j++)
            {
                final double leave;
                if (patterns.hasAdAt(p, j))
                {
                    impressions += survive;
                    clicks += survive * clickRate(x, j);
                    leave = adLeave(x, seen++);
                }
                else
                {
                    posts += survive;
                    leave = post;
                }
                survive *= 1 - leave;
            }
            sat[p] = COMPLETION_VALUE * survive + POST_VALUE * posts;
            ads[p] = impressions + CLICK_VALUE * clicks;
        }
    }

    /**
     * @param sat E[SAT].
     * @param ads E[ADS].
     * @return λ·SAT + (1-λ)·ADS.
     */
    public double reward(final double sat, final double ads)
    {
        return lambda * sat + (1 - lambda) * ads;
    }

    /**
     * Draw one feed's outcome.
     *
     * @param x       context.
     * @param pattern the pattern shown.
     * @param random  generator.
     * @param out     {sat, ads}.
     */
    public void simulate(final double[] x, final int pattern, final SplittableRandom random, final double[] out)
    {
        final int n = patterns.slots();
        final double post = postLeave(x);
        int posts = 0;
        int impressions = 0;
        int clicks = 0;
        int seen = 0;
        boolean completed = true;
        for (int j = 0; j < n; j++)
        {
            final double leave;
            if (patterns.hasAdAt(pattern, j))
            {
                impressions++;
                if (random.nextDouble() < clickRate(x, j))
                {
                    clicks++;
                }
                leave = adLeave(x, seen++);
            }
            else
            {
                posts++;
                leave = post;
            }
            if (random.nextDouble() < leave)
            {
                completed = false;
                break;
            }
        }
        out[0] = COMPLETION_VALUE * (completed ? 1 : 0) + POST_VALUE * posts;
        out[1] = impressions + CLICK_VALUE * clicks;
    }
}
