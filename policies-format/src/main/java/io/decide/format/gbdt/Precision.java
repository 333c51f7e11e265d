package io.decide.format.gbdt;

/**
 * The arithmetic a library uses. FLOAT32 (XGBoost, ONNX float inputs): inputs are rounded to float before they are
 * compared, thresholds and leaves are floats, and contributions are summed in float, in tree order. FLOAT64
 * (LightGBM): everything in double. Every float operation is computed as a double operation rounded to float,
 * which is exact for +, -, * and / of floats.
 */
public enum Precision
{
    FLOAT32,
    FLOAT64
}
