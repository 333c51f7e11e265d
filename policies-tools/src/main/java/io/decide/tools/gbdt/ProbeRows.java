package io.decide.tools.gbdt;

import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Rows that probe where evaluators disagree: every numeric threshold of a model exactly, one double and one float ulp
 * either side, and doubles that round onto those floats; every category of a categorical split, truncations of non-integers,
 * negatives, unseen and huge categories; NaN, ±0.0, the smallest and largest floats and (optionally) infinities.
 * The rest of each row comes from typical rows (the training distribution), so probes reach deep nodes too.
 */
public final class ProbeRows
{
    private static final double[] SPECIALS =
    {
        Double.NaN, 0.0, -0.0, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
        -Float.MAX_VALUE, 1e-40, -1e-45
    };
    /** Infinities, and doubles beyond the float range that become infinities when rounded to float. */
    private static final double[] INFINITIES = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3.5e38, -3.5e38};
    private static final double[] CATEGORY_SPECIALS =
    {
        -0.0, -0.5, -1.0, -3.0, -1e-30, 0.25, 0.999, 16777215.0, 16777216.0, 16777217.0, 1e9, 2147483648.0, 1e30
    };

    private ProbeRows()
    {
    }

    /**
     * Probe values per feature of a model.
     *
     * @param model       the ensemble.
     * @param infinities  whether to include ±infinity (some libraries refuse them in their matrices).
     * @return per feature, the values worth trying.
     */
    public static double[][] probeValues(final TreeEnsemble model, final boolean infinities)
    {
        final int features = model.featureCount();
        final List<TreeSet<Double>> values = new ArrayList<>();
        for (int f = 0; f < features; f++)
        {
            values.add(new TreeSet<>());
        }
        final boolean[] categorical = new boolean[features];
        for (final Tree tree : model.trees())
        {
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (tree.isLeaf(i))
                {
                    continue;
                }
                final TreeSet<Double> set = values.get(tree.feature(i));
                final int[] categories = tree.categories(i);
                if (categories != null)
                {
                    categorical[tree.feature(i)] = true;
                    for (final int c : categories)
                    {
                        set.add((double)c);
                        set.add(c + 0.5);
                        set.add(c + 1.0);
                        set.add(c - 0.25);
                        set.add(c + 0.9999999);
                    }
                    set.add(categories[categories.length - 1] + 7.0);
                    continue;
                }
                final double exact = tree.threshold(i);
                set.add(exact);
                set.add(Math.nextUp(exact));
                set.add(Math.nextDown(exact));
                final float t = (float)exact;
                final float up = Math.nextUp(t);
                final float down = Math.nextDown(t);
                set.add((double)t);
                set.add((double)up);
                set.add((double)down);
                set.add(t + (up - (double)t) * 0.25);
                set.add(t - ((double)t - down) * 0.75);
                set.add(t + (up - (double)t) * 0.5);
            }
        }
        final double[][] result = new double[features][];
        for (int f = 0; f < features; f++)
        {
            final TreeSet<Double> set = values.get(f);
            final List<Double> all = new ArrayList<>(set);
            for (final double s : SPECIALS)
            {
                all.add(s);
            }
            if (infinities)
            {
                for (final double s : INFINITIES)
                {
                    all.add(s);
                }
            }
            if (categorical[f])
            {
                for (final double s : CATEGORY_SPECIALS)
                {
                    all.add(s);
                }
            }
            result[f] = all.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return result;
    }

    /**
     * Rows: first a sweep putting each probe value of each feature into a typical row, then random rows whose
     * features are each, with probability {@code probeShare}, a random probe value, else from a random typical
     * row.
     *
     * @param model       the ensemble.
     * @param typical     rows from the training distribution.
     * @param count       number of rows (at least the sweep's size is produced).
     * @param probeShare  probability of replacing a feature by a probe value in the random rows.
     * @param infinities  whether to use ±infinity.
     * @param seed        random seed.
     * @return the rows.
     */
    public static double[][] rows(final TreeEnsemble model, final double[][] typical, final int count,
        final double probeShare, final boolean infinities, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[][] probes = probeValues(model, infinities);
        final int features = model.featureCount();
        final List<double[]> rows = new ArrayList<>(count);
        for (int f = 0; f < features; f++)
        {
            for (final double value : probes[f])
            {
                final double[] row = typical[random.nextInt(typical.length)].clone();
                row[f] = value;
                rows.add(row);
            }
        }
        while (rows.size() < count)
        {
            final double[] row = typical[random.nextInt(typical.length)].clone();
            for (int f = 0; f < features; f++)
            {
                if (random.nextDouble() < probeShare)
                {
                    row[f] = probes[f][random.nextInt(probes[f].length)];
                }
                else if (random.nextInt(4) == 0)
                {
                    row[f] = typical[random.nextInt(typical.length)][f];
                }
            }
            rows.add(row);
        }
        return rows.toArray(new double[0][]);
    }

    /**
     * @param row a row.
     * @return whether a feature is infinite once rounded to float.
     */
    public static boolean hasInfinity(final double[] row)
    {
        for (final double v : row)
        {
            if (Float.isInfinite((float)v))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Rows made only of probe values (each feature picks one of its probe values at random), for the verification
     * vectors embedded at import, when no training rows are at hand.
     *
     * @param model the ensemble.
     * @param count number of rows.
     * @param seed  random seed.
     * @return the rows.
     */
    public static double[][] rows(final TreeEnsemble model, final int count, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[][] probes = probeValues(model, true);
        final double[][] rows = new double[count][model.featureCount()];
        for (final double[] row : rows)
        {
            for (int f = 0; f < row.length; f++)
            {
                row[f] = probes[f][random.nextInt(probes[f].length)];
            }
        }
        return rows;
    }
}
