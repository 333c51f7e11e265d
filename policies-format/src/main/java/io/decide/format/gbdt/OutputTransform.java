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
    ARGMAX,
    /**
     * ONNX Runtime's LOGISTIC, per output, in float whatever the {@link Precision}: with {@code x = (float) margin},
     * {@code v = 1f / (1f + expf(-|x|))} and the output is {@code x < 0 ? 1f - v : v}, every operation rounded to
     * float and {@code expf} correctly rounded ({@code (float) StrictMath.exp(y)}). For negative margins this keeps
     * ORT's cancellation: the output's absolute accuracy is that of {@code v}, not of the true sigmoid
     * (ORT's {@code ComputeLogistic}, {@code onnxruntime/core/providers/cpu/ml/ml_common.h}).
     */
    ONNX_LOGISTIC,
    /**
     * ONNX Runtime's SOFTMAX across the outputs, in float whatever the {@link Precision}: {@code m} is the largest
     * {@code (float) margin} (starting from {@code -Float.MAX_VALUE}), {@code e[g] = expf((float) margin[g] - m)},
     * {@code s} is the float sum of {@code e} in output order and the output is {@code e[g] / s}, every operation
     * rounded to float and {@code expf} as for {@link #ONNX_LOGISTIC} (ORT's {@code ComputeSoftmax}).
     */
    ONNX_SOFTMAX
}
