package io.decide.tools.gbdt.lightgbm;

import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.gbdt.Tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded training sets and probe rows for LightGBM fidelity tests. Six features, chosen to reach every branch of
 * LightGBM's split semantics:
 * <pre>
 *   0 gauss     N(0,1), 12% NaN, some +0.0 and -0.0          NaN missing type, default left or right
 *   1 sparse    60% zero (+0.0, -0.0, |x| &lt;= kZeroThreshold), else 2 N(0,1)   thresholds at -kZeroThreshold
 *   2 integer   -3..6, lowers the label (monotone tests constrain it decreasing)
 *   3 category  0..11 and 5% NaN when categorical, else U(-1,1) with 0.5% +-inf
 *   4 ramp      U(0,10), raises the label (monotone tests constrain it increasing)
 *   5 noise     N(0,1)
 * </pre>
 * Probe rows mix rows drawn like the training rows, rows with special values (NaN, +-0, +-inf, tiny values around
 * kZeroThreshold, huge values; for a categorical feature also negative, non-integer, unseen and huge categories),
 * and rows that put a feature exactly at, and one double-ulp either side of, every threshold of the model.
 */
final class SyntheticData
{
    /** Number of features of every set. */
    static final int FEATURES = 6;
    /** The feature that is categorical in categorical sets. */
    static final int CATEGORY_FEATURE = 3;
    /** The smooth, increasing feature. */
    static final int RAMP_FEATURE = 4;

    private static final double KZ = TreeEnsemble.ZERO_THRESHOLD;
    private static final double[] TINY = {
        1e-36, -1e-36, 1e-35, -1e-35, KZ, -KZ, Math.nextUp(KZ), Math.nextDown(KZ), -Math.nextUp(KZ),
        -Math.nextDown(KZ), Double.MIN_VALUE, -Double.MIN_VALUE};
    private static final double[] SPECIAL = concat(TINY, new double[]{
        Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-30, -1e-30, 1e300, -1e300,
        Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0, 0.5});
    private static final double[] SPECIAL_CATEGORY = {
        Double.NaN, 0.0, -0.0, 1e-36, -1e-36, -0.5, -0.999, -1.0, -1.5, -7.0, 0.5, 0.999, 3.7, 11.99, 12.0, 13.0,
        31.0, 32.0, 40.0, 1000.0, 1e10, 2147483647.0, 2147483647.5, 2147483648.0, 4294967299.0, -2147483648.0,
        -2147483649.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE};
    private static final double[] CATEGORY_EFFECT = {1.0, -1.2, 0.4, 2.0, -0.3, 0.0, 1.5, -2.0, 0.8, -0.6, 0.2, 1.1};

    /** What the label is drawn as. */
    enum Label
    {
        REGRESSION, BINARY, PROBABILITY, CLASS4, COUNT, POSITIVE, TWEEDIE
    }

    /**
     * A training set, row-major.
     *
     * @param x        features, rows x {@link #FEATURES}.
     * @param rowCount rows.
     * @param label    label per row.
     * @param groups   query sizes for ranking objectives, or null.
     */
    record Data(double[] x, int rowCount, float[] label, int[] groups)
    {
        /**
         * @param size rows per query.
         * @return the same rows, in consecutive queries of {@code size} rows.
         */
        Data inQueriesOf(final int size)
        {
            final int[] sizes = new int[rowCount / size];
            Arrays.fill(sizes, size);
            sizes[sizes.length - 1] += rowCount % size;
            return new Data(x, rowCount, label, sizes);
        }
    }

    private SyntheticData()
    {
    }

    /**
     * @param seed        random seed.
     * @param rows        row count.
     * @param label       label kind.
     * @param categorical whether feature 3 is categorical.
     * @return the set.
     */
    static Data training(final long seed, final int rows, final Label label, final boolean categorical)
    {
        final Random random = new Random(seed);
        final double[] x = new double[rows * FEATURES];
        final float[] y = new float[rows];
        final double[] row = new double[FEATURES];
        for (int i = 0; i < rows; i++)
        {
            draw(random, categorical, row);
            System.arraycopy(row, 0, x, i * FEATURES, FEATURES);
            y[i] = (float)label(random, label, score(row, categorical));
        }
        return new Data(x, rows, y, null);
    }

    /**
     * Draw one row like the training rows.
     *
     * @param random      source.
     * @param categorical whether feature 3 is categorical.
     * @param row         receives {@link #FEATURES} values.
     */
    static void draw(final Random random, final boolean categorical, final double[] row)
    {
        final double u = random.nextDouble();
        row[0] = u < 0.12 ? Double.NaN : u < 0.15 ? 0.0 : u < 0.17 ? -0.0 : random.nextGaussian();
        final double v = random.nextDouble();
        row[1] = v < 0.3 ? 0.0 : v < 0.5 ? -0.0 : v < 0.6 ? TINY[random.nextInt(TINY.length)] :
            2 * random.nextGaussian();
        row[2] = random.nextInt(10) - 3;
        if (categorical)
        {
            row[3] = random.nextDouble() < 0.05 ? Double.NaN : random.nextInt(CATEGORY_EFFECT.length);
        }
        else
        {
            final double w = random.nextDouble();
            row[3] = w < 0.0025 ? Double.POSITIVE_INFINITY : w < 0.005 ? Double.NEGATIVE_INFINITY :
                2 * random.nextDouble() - 1;
        }
        row[4] = 10 * random.nextDouble();
        row[5] = random.nextGaussian();
    }

    private static double score(final double[] row, final boolean categorical)
    {
        final double f0 = Double.isNaN(row[0]) ? 0.7 : row[0];
        final double f1 = Math.abs(row[1]) <= KZ ? -0.5 : row[1];
        final double f3;
        if (categorical)
        {
            f3 = Double.isNaN(row[3]) ? 0.3 : CATEGORY_EFFECT[(int)row[3]];
        }
        else
        {
            f3 = Double.isInfinite(row[3]) ? Math.signum(row[3]) : Math.sin(3 * row[3]);
        }
        return 1.2 * f0 + 0.6 * f1 - 0.3 * row[2] + f3 + 0.25 * (row[4] - 5) + 0.1 * row[5];
    }

    private static double label(final Random random, final Label label, final double score)
    {
        switch (label)
        {
            case REGRESSION:
                return score + 0.3 * random.nextGaussian();
            case BINARY:
                return score + logistic(random) > 0 ? 1 : 0;
            case PROBABILITY:
                return 1 / (1 + Math.exp(-score));
            case CLASS4:
            {
                final double s = score + 0.5 * random.nextGaussian();
                return s < -1 ? 0 : s < 0 ? 1 : s < 1 ? 2 : 3;
            }
            case COUNT:
                return poisson(random, Math.exp(score / 3));
            case POSITIVE:
                return Math.exp(score / 3) * (0.5 + random.nextDouble());
            case TWEEDIE:
                return random.nextDouble() < 0.3 ? 0 : Math.exp(score / 3) * (0.5 + random.nextDouble());
            default:
                throw new IllegalStateException(label.name());
        }
    }

    private static double logistic(final Random random)
    {
        final double u = Math.max(1e-12, random.nextDouble());
        return Math.log(u / (1 - u));
    }

    private static int poisson(final Random random, final double mean)
    {
        final double limit = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        while (p > limit)
        {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    /**
     * Probe rows for a model: at least {@code count} rows, row-major.
     *
     * @param seed        random seed.
     * @param count       minimum row count.
     * @param ensemble    the imported model, whose thresholds and categories are probed.
     * @param categorical whether feature 3 is categorical.
     * @return rows x {@link #FEATURES} values.
     */
    static double[] probeRows(final long seed, final int count, final TreeEnsemble ensemble,
        final boolean categorical)
    {
        final Random random = new Random(seed);
        final List<double[]> atThresholds = thresholdValues(ensemble);
        final int rows = Math.max(count, 3 * atThresholds.size() + 16);
        final double[] x = new double[rows * FEATURES];
        final double[] row = new double[FEATURES];
        int r = 0;
        for (final double value : SPECIAL)
        {
            Arrays.fill(row, value);
            System.arraycopy(row, 0, x, r++ * FEATURES, FEATURES);
        }
        int next = 0;
        for (; r < rows; r++)
        {
            draw(random, categorical, row);
            final double kind = random.nextDouble();
            if (kind < 0.3)
            {
                final int replaced = 1 + random.nextInt(3);
                for (int k = 0; k < replaced; k++)
                {
                    special(random, categorical, row, random.nextInt(FEATURES));
                }
            }
            else if (kind < 0.7 && !atThresholds.isEmpty())
            {
                final double[] featureValue = atThresholds.get(next++ % atThresholds.size());
                row[(int)featureValue[0]] = featureValue[1];
                if (random.nextDouble() < 0.2)
                {
                    special(random, categorical, row, random.nextInt(FEATURES));
                }
            }
            System.arraycopy(row, 0, x, r * FEATURES, FEATURES);
        }
        return x;
    }

    private static void special(final Random random, final boolean categorical, final double[] row, final int f)
    {
        if (categorical && f == CATEGORY_FEATURE)
        {
            row[f] = SPECIAL_CATEGORY[random.nextInt(SPECIAL_CATEGORY.length)];
        }
        else
        {
            row[f] = SPECIAL[random.nextInt(SPECIAL.length)];
        }
    }

    /** (feature, value) pairs: every numeric threshold and its two neighbours; every category and its halves. */
    private static List<double[]> thresholdValues(final TreeEnsemble ensemble)
    {
        final List<double[]> values = new ArrayList<>();
        for (final Tree tree : ensemble.trees())
        {
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (tree.isLeaf(i))
                {
                    continue;
                }
                final double f = tree.feature(i);
                final int[] categories = tree.categories(i);
                if (categories == null)
                {
                    final double t = tree.threshold(i);
                    values.add(new double[]{f, t});
                    values.add(new double[]{f, Math.nextUp(t)});
                    values.add(new double[]{f, Math.nextDown(t)});
                    continue;
                }
                for (final int c : categories)
                {
                    values.add(new double[]{f, c});
                    values.add(new double[]{f, c + 0.5});
                    values.add(new double[]{f, c - 0.5});
                    values.add(new double[]{f, c + 1});
                }
            }
        }
        return values;
    }

    private static double[] concat(final double[] a, final double[] b)
    {
        final double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
