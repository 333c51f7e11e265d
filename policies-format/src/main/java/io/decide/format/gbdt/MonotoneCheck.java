package io.decide.format.gbdt;

import java.util.ArrayList;
import java.util.List;

/**
 * A sufficient per-tree check of declared monotone constraints: a tree is monotone increasing in feature f when,
 * at every split on f, no leaf below the left child exceeds any leaf below the right child (decreasing: the
 * reverse). This is what XGBoost's and LightGBM's constrained training guarantee; since tree weights must be
 * non-negative, a sum of such trees is monotone too. Missing values have no order and are not checked; a
 * categorical split on a monotone feature is a violation.
 */
public final class MonotoneCheck
{
    /**
     * One split that breaks a declared constraint.
     *
     * @param tree    tree index.
     * @param node    split node.
     * @param feature feature index.
     * @param detail  what was found.
     */
    public record Violation(int tree, int node, int feature, String detail)
    {
        @Override
        public String toString()
        {
            return "tree " + tree + " node " + node + " (feature " + feature + "): " + detail;
        }
    }

    private MonotoneCheck()
    {
    }

    /**
     * Check every tree against the ensemble's declared constraints.
     *
     * @param ensemble the model.
     * @return violations, empty when every constraint provably holds.
     */
    public static List<Violation> check(final TreeEnsemble ensemble)
    {
        final int[] monotone = ensemble.monotone();
        final List<Violation> violations = new ArrayList<>();
        boolean any = false;
        for (final int m : monotone)
        {
            any |= m != 0;
        }
        if (!any)
        {
            return violations;
        }
        final Tree[] trees = ensemble.trees();
        for (int t = 0; t < trees.length; t++)
        {
            final Tree tree = trees[t];
            if (tree.weight() < 0)
            {
                violations.add(new Violation(t, 0, -1, "negative tree weight " + tree.weight() + " reverses order"));
                continue;
            }
            final int n = tree.nodeCount();
            final double[] min = new double[n];
            final double[] max = new double[n];
            bounds(tree, 0, min, max);
            for (int i = 0; i < n; i++)
            {
                if (tree.isLeaf(i) || monotone[tree.feature(i)] == 0)
                {
                    continue;
                }
                final int direction = monotone[tree.feature(i)];
                if (tree.categories(i) != null)
                {
                    violations.add(new Violation(t, i, tree.feature(i), "categorical split on a monotone feature"));
                    continue;
                }
                final int low = tree.left(i);
                final int high = tree.right(i);
                if (direction > 0 && max[low] > min[high])
                {
                    violations.add(new Violation(t, i, tree.feature(i), "increasing declared, but left subtree " +
                        "reaches " + max[low] + " > right subtree minimum " + min[high]));
                }
                else if (direction < 0 && min[low] < max[high])
                {
                    violations.add(new Violation(t, i, tree.feature(i), "decreasing declared, but left subtree " +
                        "reaches " + min[low] + " < right subtree maximum " + max[high]));
                }
            }
        }
        return violations;
    }

    private static void bounds(final Tree tree, final int node, final double[] min, final double[] max)
    {
        if (tree.isLeaf(node))
        {
            min[node] = tree.leafValue(node);
            max[node] = tree.leafValue(node);
            return;
        }
        bounds(tree, tree.left(node), min, max);
        bounds(tree, tree.right(node), min, max);
        min[node] = Math.min(min[tree.left(node)], min[tree.right(node)]);
        max[node] = Math.max(max[tree.left(node)], max[tree.right(node)]);
    }
}
