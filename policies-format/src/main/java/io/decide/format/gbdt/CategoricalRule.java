package io.decide.format.gbdt;

/** How a categorical split routes a value, per library. The ordinal is the on-disk code. */
public enum CategoricalRule
{
    /**
     * XGBoost ({@code common::Decision}, checked against XGBoost 3.0.4): NaN goes the default direction; a value
     * below 0 or at least {@code 2^24} ({@link TreeEnsemble#XGBOOST_CATEGORY_LIMIT}) goes left; any other value is
     * truncated toward zero ({@code (int) x}, so 2.7 is category 2 and -0.0 is category 0) and goes right when that
     * category is in the node's set, else left. Infinities go left.
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
