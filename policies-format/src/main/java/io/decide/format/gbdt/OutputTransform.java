package io.decide.format.gbdt;

/** What turns raw margins into the outputs a library reports. The ordinal is the on-disk code. */
public enum OutputTransform
{
    /** Outputs are the margins. */
    IDENTITY,
    /** {@code 1 / (1 + exp(-scale * margin))} per output (binary logistic, LightGBM multiclassova). */
    SIGMOID,
    /** Softmax across the outputs (multi:softprob, LightGBM multiclass). */
    SOFTMAX,
    /** {@code exp(margin)} per output (poisson, gamma, tweedie). */
    EXP,
    /** One output: the index of the largest margin, first on ties (XGBoost multi:softmax). */
    ARGMAX
}
