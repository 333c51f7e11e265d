package io.decide.format.gbdt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CategoricalRule#LIGHTGBM} as LightGBM 4.3's {@code Tree::CategoricalDecision} routes values (checked
 * against the library by policies-tools' LightGbmTextImporterTest): the category is {@code (int) x} truncated
 * toward zero; NaN, {@code x <= -1} and {@code x >= 2^31} go right.
 */
class LightGbmCategoricalRuleTest
{
    private static final double LEFT = 1.0;
    private static final double RIGHT = 2.0;

    private static TreeEnsemble categories(final int... set)
    {
        final Tree tree = new Tree(0, 1.0, new int[]{1, -1, -1}, new int[]{2, -1, -1}, new int[]{0, 0, 0},
            new double[3], new boolean[3], new MissingRule[3], new int[][]{set, null, null},
            new double[]{0, LEFT, RIGHT});
        return TreeEnsemble.builder().featureCount(1).categoricalRule(CategoricalRule.LIGHTGBM).addTree(tree).build();
    }

    private static double route(final TreeEnsemble ensemble, final double x)
    {
        final double[] out = new double[1];
        ensemble.predictRaw(new double[]{x}, out);
        return out[0];
    }

    @Test
    void truncatesTowardZeroAndSendsTheRestRight()
    {
        final TreeEnsemble ensemble = categories(0, 3, 33);
        final double[] left = {0.0, -0.0, 1e-36, -1e-36, 0.5, 0.999, -0.5, -0.999, 3.0, 3.7, 33.0, 33.99};
        final double[] right = {Double.NaN, -1.0, -1.5, 1.0, 4.0, 32.0, 34.0, 2147483647.0, 2147483648.0, 1e10,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -2147483648.0, Double.MAX_VALUE};
        for (final double x : left)
        {
            assertEquals(LEFT, route(ensemble, x), "category of " + x);
        }
        for (final double x : right)
        {
            assertEquals(RIGHT, route(ensemble, x), "category of " + x);
        }
    }

    @Test
    void valuesFromTwoToTheThirtyOneGoRightEvenWhenTheLargestIntIsInTheSet()
    {
        final TreeEnsemble ensemble = categories(Integer.MAX_VALUE);
        assertEquals(LEFT, route(ensemble, 2147483647.5));
        assertEquals(RIGHT, route(ensemble, 2147483648.0));
        assertEquals(RIGHT, route(ensemble, Double.POSITIVE_INFINITY));
    }
}
