package io.decide.tools.gbdt;

import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rows that exercise a model's edges, for the verification vectors embedded at import: for every feature, its
 * thresholds and their neighbours one float and one double ulp away, NaN, ±0, ±inf, and the model's categories.
 * Deterministic for a given model and seed.
 */
public final class ProbeRows
{
    private ProbeRows()
    {
    }

    /**
     * @param ensemble the model.
     * @param count    number of rows.
     * @param seed     seed.
     * @return {@code count} rows of {@code featureCount} values.
     */
    public static double[][] of(final TreeEnsemble ensemble, final int count, final long seed)
    {
        final int features = ensemble.featureCount();
        final List<List<Double>> values = new ArrayList<>();
        for (int f = 0; f < features; f++)
        {
            values.add(new ArrayList<>(List.of(Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 1.0, -1.0)));
        }
        for (final Tree tree : ensemble.trees())
        {
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (tree.isLeaf(i))
                {
                    continue;
                }
                final List<Double> v = values.get(tree.feature(i));
                if (tree.categories(i) != null)
                {
                    for (final int c : tree.categories(i))
                    {
                        v.add((double)c);
                    }
                    continue;
                }
                final double t = tree.threshold(i);
                v.add(t);
                v.add(Math.nextUp(t));
                v.add(Math.nextDown(t));
                v.add((double)Math.nextUp((float)t));
                v.add((double)Math.nextDown((float)t));
            }
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final double[][] rows = new double[count][features];
        for (final double[] row : rows)
        {
            for (int f = 0; f < features; f++)
            {
                final List<Double> v = values.get(f);
                row[f] = v.get(random.nextInt(v.size()));
            }
        }
        return rows;
    }
}
