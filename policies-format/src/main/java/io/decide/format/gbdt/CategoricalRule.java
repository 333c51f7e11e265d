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
     * LightGBM: NaN or a negative value goes right; otherwise {@code (int) x} in the node's set goes left, else right.
     */
    LIGHTGBM
}
