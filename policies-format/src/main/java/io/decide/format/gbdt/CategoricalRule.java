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
     * LightGBM: NaN or a negative value goes right; otherwise {@code (int) x} in the node's set goes left, else right.
     */
    LIGHTGBM
}
