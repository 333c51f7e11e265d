package io.decide.format.gbdt;

/** How a categorical split routes a value, per library. The ordinal is the on-disk code. */
public enum CategoricalRule
{
    /**
     * XGBoost: NaN goes the default direction; a category in the node's set goes right; any other value (not in the
     * set, negative, or beyond the set's range) goes left.
     */
    XGBOOST,
    /**
     * LightGBM ({@code Tree::CategoricalDecision}): the category is {@code (int) x}, truncated toward zero, so
     * {@code -1 < x < 0} is category 0 and 3.7 is category 3; it goes left when it is in the node's set. Right: NaN,
     * {@code x <= -1}, and {@code x >= 2^31} or infinite (its int conversion gives INT_MIN on x86-64). There is no
     * default direction.
     */
    LIGHTGBM
}
