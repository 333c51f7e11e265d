package io.decide.format.scalars;

import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;

/** A one-split, one-output GBDT for cross-reference tests. */
final class Stumps
{
    private Stumps()
    {
    }

    static TreeEnsemble stump(final int features, final int splitFeature)
    {
        final Tree tree = new Tree(0, 1.0, new int[]{1, -1, -1}, new int[]{2, -1, -1}, new int[]{splitFeature, 0, 0},
            new double[]{2.5, 0, 0}, new boolean[]{true, false, false},
            new MissingRule[]{MissingRule.NAN_DEFAULT, null, null}, new int[3][], new double[]{0, 1.0, 3.0});
        return TreeEnsemble.builder().featureCount(features).baseScores(0.0).addTree(tree).build();
    }
}
