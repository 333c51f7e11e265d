package io.decide.tools.quota;

import java.util.SplittableRandom;

/**
 * Random quota instances shaped like the paper's data: option k (k = 0..K-1, e.g. k creatives) costs k; most items
 * earn nothing at all (a heavy zero mass); the others follow a monotone, diminishing-returns curve
 * {@code v_k = a·(1 − exp(−b·k))} with a log-normal scale a (median 1, σ = 1) and a rate b uniform in [0.2, 1.5].
 * Optional Gaussian noise of σ·a on v_1..v_{K-1} breaks monotonicity and concavity (to exercise curve repair).
 * Seeded, so the same arguments give the same instance.
 */
public final class QuotaSimulator
{
    private QuotaSimulator()
    {
    }

    /**
     * @param items      N.
     * @param options    K, >= 1.
     * @param zeroShare  share of items whose values are all 0, in [0, 1].
     * @param noise      σ of the relative noise, >= 0.
     * @param seed       random seed.
     * @return the instance.
     */
    public static QuotaInstance generate(
        final int items, final int options, final double zeroShare, final double noise, final long seed)
    {
        if (items < 0 || options < 1 || (long)items * options > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException(items + " items x " + options + " options is not a valid size");
        }
        if (!(zeroShare >= 0 && zeroShare <= 1) || !(noise >= 0))
        {
            throw new IllegalArgumentException("zero share must be in [0, 1] and noise >= 0");
        }
        final double[] costs = new double[options];
        final double[] labels = new double[options];
        for (int k = 0; k < options; k++)
        {
            costs[k] = k;
            labels[k] = k;
        }
        final double[] values = new double[items * options];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0, offset = 0; i < items; i++, offset += options)
        {
            if (random.nextDouble() < zeroShare)
            {
                continue;
            }
            final double a = Math.exp(gaussian(random));
            final double b = 0.2 + 1.3 * random.nextDouble();
            for (int k = 1; k < options; k++)
            {
                double v = a * (1 - Math.exp(-b * k));
                if (noise > 0)
                {
                    v += noise * a * gaussian(random);
                }
                values[offset + k] = v;
            }
        }
        return new QuotaInstance(costs, labels, null, values, null, null);
    }

    static double gaussian(final SplittableRandom random)
    {
        double u = random.nextDouble();
        while (u <= 0)
        {
            u = random.nextDouble();
        }
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
