package io.decide.format.gbdt;

/** Which way a numeric split sends a value equal to its threshold. */
public enum SplitComparison
{
    /** Left when {@code x < threshold} (XGBoost, ONNX BRANCH_LT). */
    LESS_THAN,
    /** Left when {@code x <= threshold} (LightGBM, ONNX BRANCH_LEQ). */
    LESS_EQUAL
}
