package io.decide.format.gbdt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CategoricalRule#XGBOOST} routes values as XGBoost 3.0.4's predictor does (observed with xgboost4j on a
 * one-split model whose right set is {3, 5}; policies-tools' XGBoost fidelity tests check it on trained models).
 */
class XgboostCategoricalRuleTest
{
    private static final double LEFT = -1.0;
    private static final double RIGHT = 1.0;

    private static TreeEnsemble stump(final boolean defaultLeft)
    {
        final Tree tree = new Tree(0, 1.0,
            new int[]{1, -1, -1},
            new int[]{2, -1, -1},
            new int[3],
            new double[3],
            new boolean[]{defaultLeft, false, false},
            new MissingRule[3],
            new int[][]{{3, 5}, null, null},
            new double[]{0, LEFT, RIGHT});
        return TreeEnsemble.builder()
            .featureCount(1)
            .precision(Precision.FLOAT32)
            .comparison(SplitComparison.LESS_THAN)
            .categoricalRule(CategoricalRule.XGBOOST)
            .addTree(tree)
            .build();
    }

    private static double route(final TreeEnsemble model, final double x)
    {
        final double[] out = new double[1];
        model.predictRaw(new double[]{x}, out);
        return out[0];
    }

    @Test
    void categoriesInTheSetGoRightAfterTruncation()
    {
        final TreeEnsemble model = stump(true);
        assertEquals(RIGHT, route(model, 3.0));
        assertEquals(RIGHT, route(model, 5.0));
        assertEquals(RIGHT, route(model, 3.5), "non-integers are truncated: 3.5 is category 3");
        assertEquals(RIGHT, route(model, 3.999));
        assertEquals(LEFT, route(model, 5.99999999), "rounded to float 6.0 first, then truncated");
    }

    @Test
    void everythingElseGoesLeft()
    {
        final TreeEnsemble model = stump(false);
        for (final double x : new double[]{0, -0.0, 1, 2.9999998, 4, 6, 100, 16777215, 16777216, 1e30,
            Double.POSITIVE_INFINITY, -0.5, -1, -3, -1e-30, Double.NEGATIVE_INFINITY})
        {
            assertEquals(LEFT, route(model, x), "x = " + x);
        }
    }

    @Test
    void nanGoesTheDefaultWay()
    {
        assertEquals(LEFT, route(stump(true), Double.NaN));
        assertEquals(RIGHT, route(stump(false), Double.NaN));
    }
}
