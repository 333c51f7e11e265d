package io.decide.format.network;

/**
 * Layout of a DENSE_NETWORK section (section layout version 1). Offsets are relative to the section start; all
 * numbers little-endian; weights and biases are IEEE 754 binary32 (ONNX models are float32).
 * <pre>
 *  Header (32 bytes)
 *  +---------------------------------------------------------------+
 *  |                     Input Size n (u32)                        |  0
 *  +---------------------------------------------------------------+
 *  |                     Layer Count L (u32)                       |  4
 *  +---------------------------------------------------------------+
 *  |                      Head Count H (u32)                       |  8
 *  +---------------------------------------------------------------+
 *  |       Output Count m (u32) = sum of the heads' counts         |  12
 *  +---------------------------------------------------------------+
 *  |                        Flags (u32) = 0                        |  16
 *  +---------------------------------------------------------------+
 *  |                       Reserved (u32) = 0                      |  20
 *  +---------------------------------------------------------------+
 *  |                       Reserved (u64) = 0                      |  24
 *  +---------------------------------------------------------------+
 *
 *  Layer table: L x 24 bytes, at 32
 *  +---------------------------------------------------------------+
 *  |  Source (i32): -1 = the network input, else an earlier layer  |  0
 *  +---------------------------------------------------------------+
 *  |         Input Width k (u32) = width of the source             |  4
 *  +---------------------------------------------------------------+
 *  |                    Output Width w (u32)                       |  8
 *  +---------------+-----------------------------------------------+
 *  | Activation u8 |            Reserved (3 bytes) = 0             |  12
 *  +---------------+-----------------------------------------------+
 *  |  Parameters Offset (u32) from the section start, 8-aligned    |  16
 *  +---------------------------------------------------------------+
 *  |                       Reserved (u32) = 0                      |  20
 *  +---------------------------------------------------------------+
 *
 *  Head table: H x 16 bytes, at 32 + 24L
 *  +---------------------------------------------------------------+
 *  |                         Layer (u32)                           |  0
 *  +---------------------------------------------------------------+
 *  |            Start (u32): first unit of that layer              |  4
 *  +---------------------------------------------------------------+
 *  |            Count (u32): units, start + count <= w             |  8
 *  +---------------------------------------------------------------+
 *  |                       Reserved (u32) = 0                      |  12
 *  +---------------------------------------------------------------+
 *  (header and tables are 32 + 24L + 16H bytes, always a multiple of 8: no padding)
 *
 *  Parameters of each layer, in layer order, back to back, each 8-aligned
 *  +---------------------------------------------------------------+
 *  |  Weights: k x w f32, row-major [input unit][output unit]      |  0
 *  +---------------------------------------------------------------+
 *  |  Bias: w f32                                                  |  4kw
 *  +---------------------------------------------------------------+
 *  |  zero padding to a multiple of 8                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Semantics.</b> The input row is rounded to float. Layer {@code l} reads the output of its source
 * ({@code x}, k floats) and computes, for each output unit {@code j}, in float (every product and sum rounded to
 * float, no fused multiply-add): {@code a = bias[j]}, then {@code a = a + x[i] * W[i][j]} for {@code i = 0..k-1} in
 * that order, then {@code y[j] = act(a)}: identity; relu {@code Math.max(a, 0f)} (NaN stays NaN, -0 becomes +0); sigmoid
 * {@code (float) (1 / (1 + exp(-(double) a)))}; tanh {@code (float) tanh((double) a)}. The network's outputs are the
 * heads' slices {@code y_layer[start .. start + count)} concatenated in head order, widened to double. Writer:
 * {@link DenseNetworkWriter}; validator: {@link DenseNetworkValidator}; reader: {@link DenseNetworkFlyweight}.
 */
public final class DenseNetworkDescriptor
{
    public static final int VERSION = 1;

    public static final int INPUT_SIZE_OFFSET = 0;
    public static final int LAYER_COUNT_OFFSET = 4;
    public static final int HEAD_COUNT_OFFSET = 8;
    public static final int OUTPUT_COUNT_OFFSET = 12;
    public static final int FLAGS_OFFSET = 16;
    public static final int RESERVED32_OFFSET = 20;
    public static final int RESERVED64_OFFSET = 24;
    public static final int HEADER_LENGTH = 32;

    public static final int LAYER_SOURCE_OFFSET = 0;
    public static final int LAYER_INPUT_WIDTH_OFFSET = 4;
    public static final int LAYER_OUTPUT_WIDTH_OFFSET = 8;
    public static final int LAYER_ACTIVATION_OFFSET = 12;
    public static final int LAYER_RESERVED24_OFFSET = 13;
    public static final int LAYER_PARAMETERS_OFFSET = 16;
    public static final int LAYER_RESERVED32_OFFSET = 20;
    public static final int LAYER_ENTRY_LENGTH = 24;

    public static final int HEAD_LAYER_OFFSET = 0;
    public static final int HEAD_START_OFFSET = 4;
    public static final int HEAD_COUNT_FIELD_OFFSET = 8;
    public static final int HEAD_RESERVED_OFFSET = 12;
    public static final int HEAD_ENTRY_LENGTH = 16;

    /** Layer source meaning "the network input". */
    public static final int SOURCE_INPUT = -1;

    /** Activation: {@code y = a}. */
    public static final int IDENTITY = 0;
    /** Activation: {@code y = max(a, 0)}. */
    public static final int RELU = 1;
    /** Activation: {@code y = 1 / (1 + exp(-a))}. */
    public static final int SIGMOID = 2;
    /** Activation: {@code y = tanh(a)}. */
    public static final int TANH = 3;

    /** Largest input size. */
    public static final int MAX_INPUT_SIZE = 1 << 20;
    /** Most layers. */
    public static final int MAX_LAYERS = 4096;
    /** Widest layer. */
    public static final int MAX_WIDTH = 1 << 16;
    /** Most heads. */
    public static final int MAX_HEADS = 4096;
    /** Most network outputs. */
    public static final int MAX_OUTPUTS = 1 << 16;

    private DenseNetworkDescriptor()
    {
    }

    /**
     * @param layer layer index.
     * @return offset of its table entry.
     */
    public static int layerEntryOffset(final int layer)
    {
        return HEADER_LENGTH + LAYER_ENTRY_LENGTH * layer;
    }

    /**
     * @param layerCount L.
     * @param head       head index.
     * @return offset of its table entry.
     */
    public static int headEntryOffset(final int layerCount, final int head)
    {
        return HEADER_LENGTH + LAYER_ENTRY_LENGTH * layerCount + HEAD_ENTRY_LENGTH * head;
    }

    /**
     * @param layerCount L.
     * @param headCount  H.
     * @return end of the head table (a multiple of 8): where the first layer's parameters start.
     */
    public static long tablesEnd(final long layerCount, final long headCount)
    {
        return HEADER_LENGTH + LAYER_ENTRY_LENGTH * layerCount + HEAD_ENTRY_LENGTH * headCount;
    }

    /**
     * @param inputWidth  k.
     * @param outputWidth w.
     * @return bytes of the layer's weights, bias and padding.
     */
    public static long parametersLength(final long inputWidth, final long outputWidth)
    {
        return (4 * (inputWidth * outputWidth + outputWidth) + 7) & ~7L;
    }

    /**
     * @param activation activation code.
     * @return its name ({@code identity}, {@code relu}, {@code sigmoid}, {@code tanh}), or {@code unknown(code)}.
     */
    public static String activationName(final int activation)
    {
        switch (activation)
        {
            case IDENTITY: return "identity";
            case RELU: return "relu";
            case SIGMOID: return "sigmoid";
            case TANH: return "tanh";
            default: return "unknown(" + activation + ")";
        }
    }
}
