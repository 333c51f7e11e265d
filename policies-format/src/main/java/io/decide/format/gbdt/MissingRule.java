package io.decide.format.gbdt;

/** How a numeric split treats a missing input. The ordinal is the on-disk code. */
public enum MissingRule
{
    /** NaN goes the node's default direction; everything else is compared (XGBoost, LightGBM missing_type NaN). */
    NAN_DEFAULT,
    /**
     * LightGBM missing_type Zero: NaN counts as 0, and a value with
     * {@code |x| <= }{@link TreeEnsemble#ZERO_THRESHOLD} ({@code 1e-35f}, 1.0000000180025095e-35 as a double) goes the
     * default direction.
     */
    ZERO_DEFAULT,
    /** LightGBM missing_type None: NaN is replaced by 0 and compared; there is no default direction. */
    NAN_AS_ZERO
}
