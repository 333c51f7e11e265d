package io.decide.tools.gbdt.onnx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random ONNX tree ensembles and adversarial rows for them: trees of depth 3 to 8 with nodes listed root first
 * then in random order under random ids, random thresholds (some ±0, ±inf, NaN, subnormal), a chosen mix of split
 * modes and missing-value tracking, leaf weights spread over magnitudes so that summation order shows in float;
 * rows hit thresholds exactly, one ulp either side, and special values (NaN, ±0, ±inf, subnormals).
 */
final class RandomTreeModels
{
    /** How leaf weights are spread over the outputs. */
    enum Weights
    {
        /** Every leaf has a weight for every output (random-forest style). */
        ALL_OUTPUTS,
        /** Each tree feeds one output, round robin (XGBoost/LightGBM multiclass style). */
        ONE_OUTPUT_PER_TREE,
        /** Every leaf has a weight for output 0 only (binary one-column). */
        FIRST_OUTPUT,
        /** Every leaf has a weight for the last output only. */
        LAST_OUTPUT,
        /** Each leaf has weights for a random subset of the outputs, possibly none. */
        RANDOM_SUBSET
    }

    /**
     * What to generate.
     *
     * @param features      input width.
     * @param trees         number of trees.
     * @param minDepth      every path at least this deep.
     * @param maxDepth      no path deeper.
     * @param modes         split modes to draw from.
     * @param nanTrueRate   share of splits tracking NaN to true.
     * @param specialRate   share of thresholds that are ±0, ±inf, NaN or subnormal.
     * @param weights       how leaves feed outputs.
     * @param positive      draw only non-negative leaf weights.
     * @param doubleValues  thresholds and weights as arbitrary doubles (for double-tensor models), else floats.
     */
    record Shape(
        int features,
        int trees,
        int minDepth,
        int maxDepth,
        String[] modes,
        double nanTrueRate,
        double specialRate,
        Weights weights,
        boolean positive,
        boolean doubleValues)
    {
    }

    private static final double[] SPECIAL_THRESHOLDS = {0.0, -0.0, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE};
    private static final double[] SPECIAL_INPUTS = {Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MAX_VALUE,
        Float.MAX_VALUE, 1.0, -1.0};

    private final Random random;
    private final Shape shape;
    private final List<Set<Double>> thresholdsByFeature = new ArrayList<>();

    RandomTreeModels(final long seed, final Shape shape)
    {
        this.random = new Random(seed);
        this.shape = shape;
        for (int f = 0; f < shape.features(); f++)
        {
            thresholdsByFeature.add(new HashSet<>());
        }
    }

    /**
     * Add the random trees to a model (tree ids are distinct and in random order).
     *
     * @param model   an empty model of the right output count.
     * @return the model.
     */
    OnnxTreeModel fill(final OnnxTreeModel model)
    {
        final int outputs = model.outputs();
        final List<Long> treeIds = new ArrayList<>();
        for (long t = 0; t < shape.trees(); t++)
        {
            treeIds.add(t * 7 + 3);
        }
        java.util.Collections.shuffle(treeIds, random);
        for (int t = 0; t < shape.trees(); t++)
        {
            addTree(model, treeIds.get(t), t, outputs);
        }
        return model;
    }

    private void addTree(final OnnxTreeModel model, final long treeId, final int index, final int outputs)
    {
        // Grow the shape: children per node, -1 for leaves.
        final List<int[]> children = new ArrayList<>();
        final List<Integer> depth = new ArrayList<>();
        children.add(null);
        depth.add(0);
        final int target = shape.minDepth() + random.nextInt(shape.maxDepth() - shape.minDepth() + 1);
        for (int i = 0; i < children.size(); i++)
        {
            final int d = depth.get(i);
            final boolean split = d < shape.minDepth() || (d < target && random.nextDouble() < 0.75) ||
                (i == 0);
            if (split && d < shape.maxDepth())
            {
                final int left = children.size();
                children.add(null);
                depth.add(d + 1);
                children.add(null);
                depth.add(d + 1);
                children.set(i, new int[]{left, left + 1});
            }
        }
        final int n = children.size();
        // Random node ids (a permutation of 0..n-1: ORT wants ids below the total node count).
        final int[] ids = permutation(n);
        // Listing order: root first, then random.
        final int[] order = permutation(n);
        for (int k = 0; k < n; k++)
        {
            if (order[k] == 0)
            {
                order[k] = order[0];
                order[0] = 0;
                break;
            }
        }
        for (int k = 0; k < n; k++)
        {
            final int i = order[k];
            if (children.get(i) == null)
            {
                model.leaf(treeId, ids[i]);
                for (int o = 0; o < outputs; o++)
                {
                    final boolean feeds;
                    switch (shape.weights())
                    {
                        case ALL_OUTPUTS:
                            feeds = true;
                            break;
                        case ONE_OUTPUT_PER_TREE:
                            feeds = o == index % outputs;
                            break;
                        case FIRST_OUTPUT:
                            feeds = o == 0;
                            break;
                        case LAST_OUTPUT:
                            feeds = o == outputs - 1;
                            break;
                        case RANDOM_SUBSET:
                            feeds = random.nextInt(3) == 0;
                            break;
                        default:
                            throw new IllegalStateException();
                    }
                    if (feeds)
                    {
                        model.weight(treeId, ids[i], o, weight());
                    }
                }
                continue;
            }
            final int feature = random.nextInt(shape.features());
            final double threshold = threshold(feature);
            final String mode = shape.modes()[random.nextInt(shape.modes().length)];
            final int[] c = children.get(i);
            final boolean swap = random.nextBoolean();
            model.split(treeId, ids[i], mode, feature, threshold, ids[swap ? c[1] : c[0]], ids[swap ? c[0] : c[1]],
                random.nextDouble() < shape.nanTrueRate());
        }
    }

    private int[] permutation(final int n)
    {
        final int[] p = new int[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    private double threshold(final int feature)
    {
        final double t;
        if (random.nextDouble() < shape.specialRate())
        {
            t = SPECIAL_THRESHOLDS[random.nextInt(SPECIAL_THRESHOLDS.length)];
        }
        else if (random.nextDouble() < 0.2 && !thresholdsByFeature.get(feature).isEmpty())
        {
            // Reuse a threshold of the same feature: paths where equal thresholds meet.
            final Double[] known = thresholdsByFeature.get(feature).toArray(new Double[0]);
            t = known[random.nextInt(known.length)];
        }
        else if (random.nextDouble() < 0.2)
        {
            t = random.nextInt(21) - 10;
        }
        else
        {
            final double v = random.nextGaussian() * 10;
            t = shape.doubleValues() ? v : (float)v;
        }
        if (!Double.isNaN(t))
        {
            thresholdsByFeature.get(feature).add(t);
        }
        return t;
    }

    private double weight()
    {
        final double magnitude = Math.pow(10, random.nextInt(7) - 3);
        double w = random.nextGaussian() * magnitude;
        if (shape.positive())
        {
            w = Math.abs(w);
        }
        return shape.doubleValues() ? w : (float)w;
    }

    /**
     * Rows for the model generated so far.
     *
     * @param count number of rows.
     * @param floats round every value to float (float-input models).
     * @return rows.
     */
    double[][] rows(final int count, final boolean floats)
    {
        final double[][] pools = new double[shape.features()][];
        for (int f = 0; f < shape.features(); f++)
        {
            final List<Double> pool = new ArrayList<>();
            for (final double t : thresholdsByFeature.get(f))
            {
                pool.add(t);
                if (floats || !shape.doubleValues())
                {
                    pool.add((double)Math.nextUp((float)t));
                    pool.add((double)Math.nextDown((float)t));
                }
                if (!floats)
                {
                    pool.add(Math.nextUp(t));
                    pool.add(Math.nextDown(t));
                }
            }
            pools[f] = pool.stream().mapToDouble(Double::doubleValue).toArray();
        }
        final double[][] rows = new double[count][shape.features()];
        for (final double[] row : rows)
        {
            for (int f = 0; f < row.length; f++)
            {
                final double u = random.nextDouble();
                double v;
                if (u < 0.45 && pools[f].length > 0)
                {
                    v = pools[f][random.nextInt(pools[f].length)];
                }
                else if (u < 0.55)
                {
                    v = SPECIAL_INPUTS[random.nextInt(SPECIAL_INPUTS.length)];
                }
                else
                {
                    v = random.nextGaussian() * 12;
                }
                row[f] = floats ? (double)(float)v : v;
            }
        }
        return rows;
    }
}
