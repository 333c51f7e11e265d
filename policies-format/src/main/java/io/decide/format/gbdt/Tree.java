package io.decide.format.gbdt;

import java.util.Arrays;

/**
 * One regression tree of a {@link TreeEnsemble}, as parallel node arrays with node 0 the root. A node is a leaf
 * when {@code left[i] < 0}; otherwise it splits on {@code feature[i]}: numerically on {@code threshold[i]} (with
 * {@code missing[i]} and {@code defaultLeft[i]} for missing values) when {@code categories[i]} is null, or on the
 * category set {@code categories[i]} (sorted, distinct, non-negative). The constructor checks the arrays form one
 * tree reachable from the root; {@link TreeEnsemble} checks them against the ensemble.
 */
public final class Tree
{
    private final int group;
    private final double weight;
    private final int[] left;
    private final int[] right;
    private final int[] feature;
    private final double[] threshold;
    private final boolean[] defaultLeft;
    private final MissingRule[] missing;
    private final int[][] categories;
    private final double[] leafValue;
    private final int depth;

    /**
     * Create a tree; arrays are copied.
     *
     * @param group       output group (class or target) the tree adds to.
     * @param weight      multiplier of its leaf values (DART weight; 1 otherwise).
     * @param left        left child per node, -1 for leaves.
     * @param right       right child per node, -1 for leaves.
     * @param feature     split feature per node (ignored for leaves).
     * @param threshold   numeric split threshold per node.
     * @param defaultLeft where a missing value goes, per node.
     * @param missing     missing-value rule per numeric node (null entries for leaves and categorical nodes).
     * @param categories  category set per categorical node, null for numeric nodes and leaves.
     * @param leafValue   value per leaf (ignored for splits).
     */
    public Tree(
        final int group,
        final double weight,
        final int[] left,
        final int[] right,
        final int[] feature,
        final double[] threshold,
        final boolean[] defaultLeft,
        final MissingRule[] missing,
        final int[][] categories,
        final double[] leafValue)
    {
        this(group, weight, left, right, feature, threshold, defaultLeft, missing, categories, leafValue, true);
    }

    /**
     * A tree over arrays the caller hands over and will not touch again (the section reader's freshly decoded
     * arrays): checked like any tree, but not copied.
     *
     * @param group       output group.
     * @param weight      leaf multiplier.
     * @param left        left children.
     * @param right       right children.
     * @param feature     split features.
     * @param threshold   thresholds.
     * @param defaultLeft default directions.
     * @param missing     missing-value rules.
     * @param categories  category sets.
     * @param leafValue   leaf values.
     * @return the tree.
     */
    static Tree adopt(
        final int group, final double weight, final int[] left, final int[] right, final int[] feature,
        final double[] threshold, final boolean[] defaultLeft, final MissingRule[] missing, final int[][] categories,
        final double[] leafValue)
    {
        return new Tree(group, weight, left, right, feature, threshold, defaultLeft, missing, categories, leafValue,
            false);
    }

    private Tree(
        final int group,
        final double weight,
        final int[] left,
        final int[] right,
        final int[] feature,
        final double[] threshold,
        final boolean[] defaultLeft,
        final MissingRule[] missing,
        final int[][] categories,
        final double[] leafValue,
        final boolean copy)
    {
        final int n = left.length;
        if (n == 0 || right.length != n || feature.length != n || threshold.length != n || defaultLeft.length != n ||
            missing.length != n || categories.length != n || leafValue.length != n)
        {
            throw new IllegalArgumentException("tree node arrays must all have the same, non-zero length");
        }
        if (group < 0 || !Double.isFinite(weight))
        {
            throw new IllegalArgumentException("tree group " + group + " / weight " + weight + " invalid");
        }
        this.group = group;
        this.weight = weight;
        this.left = copy ? left.clone() : left;
        this.right = copy ? right.clone() : right;
        this.feature = copy ? feature.clone() : feature;
        this.threshold = copy ? threshold.clone() : threshold;
        this.defaultLeft = copy ? defaultLeft.clone() : defaultLeft;
        this.missing = copy ? missing.clone() : missing;
        this.leafValue = copy ? leafValue.clone() : leafValue;
        if (copy)
        {
            this.categories = new int[n][];
            for (int i = 0; i < n; i++)
            {
                this.categories[i] = categories[i] == null ? null : categories[i].clone();
            }
        }
        else
        {
            this.categories = categories;
        }
        this.depth = checkShape();
    }

    private int checkShape()
    {
        final int n = left.length;
        final int[] depthOf = new int[n];
        Arrays.fill(depthOf, -1);
        depthOf[0] = 0;
        int maxDepth = 0;
        final int[] stack = new int[n];
        int top = 0;
        stack[top++] = 0;
        int visited = 0;
        while (top > 0)
        {
            final int node = stack[--top];
            visited++;
            if (left[node] < 0)
            {
                if (right[node] >= 0)
                {
                    throw new IllegalArgumentException("node " + node + " has a right child but no left child");
                }
                if (!Double.isFinite(leafValue[node]))
                {
                    throw new IllegalArgumentException("leaf " + node + " has non-finite value " + leafValue[node]);
                }
                continue;
            }
            if (feature[node] < 0)
            {
                throw new IllegalArgumentException("node " + node + " splits on negative feature " + feature[node]);
            }
            if (categories[node] == null)
            {
                if (missing[node] == null)
                {
                    throw new IllegalArgumentException("numeric node " + node + " has no missing-value rule");
                }
                if (Double.isNaN(threshold[node]))
                {
                    throw new IllegalArgumentException("node " + node + " has a NaN threshold");
                }
            }
            else
            {
                final int[] cats = categories[node];
                for (int c = 0; c < cats.length; c++)
                {
                    if (cats[c] < 0 || (c > 0 && cats[c] <= cats[c - 1]))
                    {
                        throw new IllegalArgumentException("node " + node + ": categories must be sorted, distinct " +
                            "and non-negative: " + Arrays.toString(cats));
                    }
                }
            }
            for (int side = 0; side < 2; side++)
            {
                final int child = side == 0 ? left[node] : right[node];
                if (child <= 0 || child >= n)
                {
                    throw new IllegalArgumentException("node " + node + " has child " + child + " outside 1.." + (n - 1));
                }
                if (depthOf[child] >= 0)
                {
                    throw new IllegalArgumentException("node " + child + " is reached twice (not a tree)");
                }
                depthOf[child] = depthOf[node] + 1;
                maxDepth = Math.max(maxDepth, depthOf[child]);
                stack[top++] = child;
            }
        }
        if (visited != n)
        {
            throw new IllegalArgumentException((n - visited) + " node(s) are not reachable from the root");
        }
        return maxDepth;
    }

    /** @return output group. */
    public int group()
    {
        return group;
    }

    /** @return leaf multiplier. */
    public double weight()
    {
        return weight;
    }

    /** @return number of nodes. */
    public int nodeCount()
    {
        return left.length;
    }

    /** @return length of the longest root-to-leaf path in edges (0 for a single leaf). */
    public int depth()
    {
        return depth;
    }

    /**
     * @param node node index.
     * @return whether it is a leaf.
     */
    public boolean isLeaf(final int node)
    {
        return left[node] < 0;
    }

    /**
     * @param node node index.
     * @return left child.
     */
    public int left(final int node)
    {
        return left[node];
    }

    /**
     * @param node node index.
     * @return right child.
     */
    public int right(final int node)
    {
        return right[node];
    }

    /**
     * @param node node index.
     * @return split feature.
     */
    public int feature(final int node)
    {
        return feature[node];
    }

    /**
     * @param node node index.
     * @return numeric threshold.
     */
    public double threshold(final int node)
    {
        return threshold[node];
    }

    /**
     * @param node node index.
     * @return whether missing values go left.
     */
    public boolean defaultLeft(final int node)
    {
        return defaultLeft[node];
    }

    /**
     * @param node node index.
     * @return missing-value rule of a numeric node.
     */
    public MissingRule missing(final int node)
    {
        return missing[node];
    }

    /**
     * @param node node index.
     * @return category set of a categorical node (do not modify), or null.
     */
    public int[] categories(final int node)
    {
        return categories[node];
    }

    /**
     * @param node node index.
     * @return leaf value.
     */
    public double leafValue(final int node)
    {
        return leafValue[node];
    }
}
