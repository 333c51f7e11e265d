package io.decide.testsupport;

import io.decide.format.gbdt.CategoricalRule;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.OutputTransform;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Random tree ensembles exercising every semantic detail of {@link TreeEnsemble} (both precisions and comparisons,
 * every missing rule, categorical splits under both rules, DART weights, averaging, base scores before and after,
 * every transform), and rows that hit the edges: NaN, ±0, ±inf, tiny values, and values exactly at and one ulp
 * around thresholds. Seeded, so failures reproduce.
 */
public final class RandomEnsembles
{
    private RandomEnsembles()
    {
    }

    /**
     * Shape of a generated ensemble.
     *
     * @param features     number of features.
     * @param outputs      number of outputs.
     * @param trees        number of trees.
     * @param maxDepth     deepest tree.
     * @param categorical  whether categorical splits may appear.
     * @param exotic       whether ZERO_DEFAULT / NAN_AS_ZERO rules, DART weights, averaging and after-tree base
     *                     scores may appear.
     */
    public record Shape(int features, int outputs, int trees, int maxDepth, boolean categorical, boolean exotic)
    {
    }

    /**
     * A random ensemble.
     *
     * @param random source of randomness.
     * @param shape  its shape.
     * @return the ensemble.
     */
    public static TreeEnsemble ensemble(final Random random, final Shape shape)
    {
        final Precision precision = random.nextBoolean() ? Precision.FLOAT32 : Precision.FLOAT64;
        final boolean f32 = precision == Precision.FLOAT32;
        final TreeEnsemble.Builder builder = TreeEnsemble.builder()
            .featureCount(shape.features())
            .outputCount(shape.outputs())
            .precision(precision)
            .comparison(random.nextBoolean() ? SplitComparison.LESS_THAN : SplitComparison.LESS_EQUAL)
            .categoricalRule(random.nextBoolean() ? CategoricalRule.XGBOOST : CategoricalRule.LIGHTGBM);
        final double[] base = new double[shape.outputs()];
        for (int g = 0; g < base.length; g++)
        {
            base[g] = round(random.nextGaussian(), f32);
        }
        builder.baseScores(base);
        if (shape.exotic())
        {
            builder.baseScoreAfterTrees(random.nextBoolean());
            builder.averageDivisor(random.nextInt(3) == 0 ? shape.trees() : 0);
        }
        final OutputTransform[] transforms = OutputTransform.values();
        final OutputTransform transform = transforms[random.nextInt(transforms.length)];
        builder.transform(transform);
        if (transform == OutputTransform.SIGMOID)
        {
            builder.sigmoidScale(random.nextBoolean() ? 1.0 : 0.5 + random.nextDouble());
        }
        for (int t = 0; t < shape.trees(); t++)
        {
            final double weight = shape.exotic() && random.nextInt(4) == 0 ? round(random.nextDouble() * 2, f32) : 1.0;
            builder.addTree(tree(random, shape, t % shape.outputs(), weight, f32));
        }
        return builder.build();
    }

    /**
     * A random tree.
     *
     * @param random randomness.
     * @param shape  ensemble shape.
     * @param group  output group.
     * @param weight tree weight.
     * @param f32    whether values must be floats.
     * @return the tree.
     */
    public static Tree tree(final Random random, final Shape shape, final int group, final double weight,
        final boolean f32)
    {
        final List<int[]> children = new ArrayList<>();
        final List<Integer> features = new ArrayList<>();
        final List<Double> thresholds = new ArrayList<>();
        final List<Boolean> defaultLeft = new ArrayList<>();
        final List<MissingRule> missing = new ArrayList<>();
        final List<int[]> categories = new ArrayList<>();
        final List<Double> leaves = new ArrayList<>();
        grow(random, shape, f32, 0, children, features, thresholds, defaultLeft, missing, categories, leaves);
        final int n = children.size();
        final int[] left = new int[n];
        final int[] right = new int[n];
        final int[] feature = new int[n];
        final double[] threshold = new double[n];
        final boolean[] dl = new boolean[n];
        final MissingRule[] rules = new MissingRule[n];
        final int[][] cats = new int[n][];
        final double[] leaf = new double[n];
        for (int i = 0; i < n; i++)
        {
            left[i] = children.get(i)[0];
            right[i] = children.get(i)[1];
            feature[i] = features.get(i);
            threshold[i] = thresholds.get(i);
            dl[i] = defaultLeft.get(i);
            rules[i] = missing.get(i);
            cats[i] = categories.get(i);
            leaf[i] = leaves.get(i);
        }
        return new Tree(group, weight, left, right, feature, threshold, dl, rules, cats, leaf);
    }

    private static int grow(
        final Random random, final Shape shape, final boolean f32, final int depth, final List<int[]> children,
        final List<Integer> features, final List<Double> thresholds, final List<Boolean> defaultLeft,
        final List<MissingRule> missing, final List<int[]> categories, final List<Double> leaves)
    {
        final int node = children.size();
        children.add(new int[]{-1, -1});
        final boolean leaf = depth >= shape.maxDepth() || (depth > 0 && random.nextInt(5) == 0);
        if (leaf)
        {
            features.add(0);
            thresholds.add(0.0);
            defaultLeft.add(false);
            missing.add(null);
            categories.add(null);
            leaves.add(round(random.nextGaussian(), f32));
            return node;
        }
        features.add(random.nextInt(shape.features()));
        defaultLeft.add(random.nextBoolean());
        leaves.add(0.0);
        if (shape.categorical() && random.nextInt(6) == 0)
        {
            final TreeSet<Integer> set = new TreeSet<>();
            final int size = 1 + random.nextInt(5);
            while (set.size() < size)
            {
                set.add(random.nextInt(random.nextInt(10) == 0 ? 200 : 12));
            }
            categories.add(set.stream().mapToInt(Integer::intValue).toArray());
            thresholds.add(0.0);
            missing.add(null);
        }
        else
        {
            categories.add(null);
            thresholds.add(threshold(random, f32));
            final int r = random.nextInt(shape.exotic() ? 6 : 1);
            missing.add(r == 4 ? MissingRule.ZERO_DEFAULT : r == 5 ? MissingRule.NAN_AS_ZERO : MissingRule.NAN_DEFAULT);
        }
        final int left = grow(random, shape, f32, depth + 1, children, features, thresholds, defaultLeft, missing,
            categories, leaves);
        final int right = grow(random, shape, f32, depth + 1, children, features, thresholds, defaultLeft, missing,
            categories, leaves);
        children.get(node)[0] = left;
        children.get(node)[1] = right;
        return node;
    }

    private static double threshold(final Random random, final boolean f32)
    {
        switch (random.nextInt(12))
        {
            case 0: return 0.0;
            case 1: return -0.0;
            case 2: return Double.POSITIVE_INFINITY;
            case 3: return Double.NEGATIVE_INFINITY;
            case 4: return round(1e-35 * (random.nextBoolean() ? 1 : -1), f32);
            case 5: return round(random.nextInt(8), f32);
            default: return round(random.nextGaussian() * 3, f32);
        }
    }

    private static double round(final double value, final boolean f32)
    {
        return f32 ? (double)(float)value : value;
    }

    /**
     * Rows that probe an ensemble's edges: for each numeric threshold, values at it and one ulp (float and double)
     * either side; plus NaN, ±0, ±inf, ±1e-35 and its neighbours, category values in and out of range, negative
     * and fractional categories, and random values.
     *
     * @param random   randomness.
     * @param ensemble the model.
     * @param count    number of rows.
     * @return rows, each {@code featureCount} wide.
     */
    public static double[][] rows(final Random random, final TreeEnsemble ensemble, final int count)
    {
        final List<Double> interesting = new ArrayList<>(List.of(
            Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-35, -1e-35,
            (double)1e-35f, -(double)1e-35f, Math.nextUp((double)1e-35f), Math.nextDown((double)1e-35f), 1e-36, -1e-36,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1.5, 2.0, -1.0, 199.0, 3e9,
            (double)Float.MAX_VALUE, Math.nextUp((double)Float.MAX_VALUE)));
        for (final Tree tree : ensemble.trees())
        {
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (!tree.isLeaf(i))
                {
                    if (tree.categories(i) != null)
                    {
                        for (final int c : tree.categories(i))
                        {
                            interesting.add((double)c);
                            interesting.add(c + 0.5);
                        }
                        continue;
                    }
                    final double t = tree.threshold(i);
                    interesting.add(t);
                    interesting.add(Math.nextUp(t));
                    interesting.add(Math.nextDown(t));
                    interesting.add((double)Math.nextUp((float)t));
                    interesting.add((double)Math.nextDown((float)t));
                }
            }
        }
        final double[][] rows = new double[count][ensemble.featureCount()];
        for (final double[] row : rows)
        {
            for (int f = 0; f < row.length; f++)
            {
                row[f] = random.nextInt(4) == 0 ? random.nextGaussian() * 4 :
                    interesting.get(random.nextInt(interesting.size()));
            }
        }
        return rows;
    }
}
