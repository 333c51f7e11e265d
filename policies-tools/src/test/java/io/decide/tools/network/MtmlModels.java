package io.decide.tools.network;

import java.util.SplittableRandom;

import static io.decide.tools.network.OnnxModelBuilder.intAttribute;

/**
 * Random multi-task multi-label ONNX models: shared ReLU layers, then one head per task (sigmoid or identity),
 * written in one of several graph styles that the importer must all understand.
 */
public final class MtmlModels
{
    /** How the graph spells the layers and heads. */
    public enum Style
    {
        /** Gemm (transB = 1, weights [w, k]) per layer; one head Gemm and one graph output per task. */
        GEMM_SEPARATE_OUTPUTS,
        /** MatMul + Add per layer; heads joined by Concat into one graph output. */
        MATMUL_ADD_CONCAT,
        /** One fused head Gemm (transB = 0) for all tasks, Split into tasks, an activation each, one output each. */
        FUSED_SPLIT,
        /** One fused sigmoid head layer, Slice per task into separate graph outputs. */
        FUSED_SLICE
    }

    final int inputSize;
    final int[] trunk;
    final int heads;
    final boolean[] sigmoid;
    public final byte[] onnx;
    final int outputCount;

    private final SplittableRandom random;

    public MtmlModels(final long seed, final int inputSize, final int[] trunk, final int heads, final Style style)
    {
        this.random = new SplittableRandom(seed);
        this.inputSize = inputSize;
        this.trunk = trunk.clone();
        this.heads = heads;
        this.sigmoid = new boolean[heads];
        for (int h = 0; h < heads; h++)
        {
            sigmoid[h] = style == Style.FUSED_SLICE || random.nextBoolean();
        }
        final OnnxModelBuilder b = new OnnxModelBuilder("x", inputSize);
        String value = "x";
        int width = inputSize;
        for (int t = 0; t < trunk.length; t++)
        {
            value = dense(b, style == Style.MATMUL_ADD_CONCAT ? Style.MATMUL_ADD_CONCAT : Style.GEMM_SEPARATE_OUTPUTS,
                "t" + t, value, width, trunk[t]);
            b.node("Relu", new String[]{value}, new String[]{"t" + t + "_relu"});
            value = "t" + t + "_relu";
            width = trunk[t];
        }
        switch (style)
        {
            case GEMM_SEPARATE_OUTPUTS:
            case MATMUL_ADD_CONCAT:
            {
                final String[] outs = new String[heads];
                for (int h = 0; h < heads; h++)
                {
                    final String logit = dense(b, style, "h" + h, value, width, 1);
                    outs[h] = activation(b, logit, sigmoid[h], "h" + h);
                }
                if (style == Style.GEMM_SEPARATE_OUTPUTS)
                {
                    for (int h = 0; h < heads; h++)
                    {
                        b.output(outs[h], 1);
                    }
                }
                else
                {
                    b.node("Concat", outs, new String[]{"scores"}, intAttribute("axis", 1));
                    b.output("scores", heads);
                }
                break;
            }
            case FUSED_SPLIT:
            {
                final float[] w = weights(width, heads);
                b.initializer("hw", w, width, heads);
                b.initializer("hb", bias(heads), heads);
                b.node("Gemm", new String[]{value, "hw", "hb"}, new String[]{"logits"});
                final String[] parts = new String[heads];
                final long[] sizes = new long[heads];
                for (int h = 0; h < heads; h++)
                {
                    parts[h] = "part" + h;
                    sizes[h] = 1;
                }
                b.int64s("sizes", sizes);
                b.node("Split", new String[]{"logits", "sizes"}, parts, intAttribute("axis", 1));
                for (int h = 0; h < heads; h++)
                {
                    b.output(activation(b, parts[h], sigmoid[h], "h" + h), 1);
                }
                break;
            }
            case FUSED_SLICE:
            {
                final String logits = dense(b, Style.GEMM_SEPARATE_OUTPUTS, "heads", value, width, heads);
                b.node("Sigmoid", new String[]{logits}, new String[]{"probs"});
                int start = 0;
                int task = 0;
                while (start < heads)
                {
                    final int count = Math.min(heads - start, 1 + task % 2);
                    b.int64s("s" + task, start).int64s("e" + task, start + count).int64s("a" + task, 1);
                    b.node("Slice", new String[]{"probs", "s" + task, "e" + task, "a" + task},
                        new String[]{"task" + task});
                    b.output("task" + task, count);
                    start += count;
                    task++;
                }
                break;
            }
            default:
                throw new IllegalStateException(style.name());
        }
        this.onnx = b.toBytes();
        this.outputCount = heads;
    }

    private String dense(
        final OnnxModelBuilder b, final Style style, final String name, final String in, final int k, final int w)
    {
        final float[] weights = weights(k, w);
        final float[] bias = bias(w);
        if (style == Style.MATMUL_ADD_CONCAT)
        {
            b.initializer(name + "_W", weights, k, w).initializer(name + "_b", bias, w);
            b.node("MatMul", new String[]{in, name + "_W"}, new String[]{name + "_mm"});
            b.node("Add", new String[]{name + "_mm", name + "_b"}, new String[]{name + "_lin"});
            return name + "_lin";
        }
        final float[] transposed = new float[k * w];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < w; j++)
            {
                transposed[j * k + i] = weights[i * w + j];
            }
        }
        b.initializer(name + "_W", transposed, w, k).initializer(name + "_b", bias, w);
        b.node("Gemm", new String[]{in, name + "_W", name + "_b"}, new String[]{name + "_lin"},
            intAttribute("transB", 1));
        return name + "_lin";
    }

    private static String activation(final OnnxModelBuilder b, final String in, final boolean sigmoid, final String h)
    {
        if (sigmoid)
        {
            b.node("Sigmoid", new String[]{in}, new String[]{h + "_p"});
        }
        else
        {
            b.node("Identity", new String[]{in}, new String[]{h + "_p"});
        }
        return h + "_p";
    }

    private float[] weights(final int k, final int w)
    {
        final float[] weights = new float[k * w];
        final double scale = Math.sqrt(6.0 / (k + w));
        for (int p = 0; p < weights.length; p++)
        {
            weights[p] = (float)((2 * random.nextDouble() - 1) * scale);
        }
        return weights;
    }

    private float[] bias(final int w)
    {
        final float[] bias = new float[w];
        for (int j = 0; j < w; j++)
        {
            bias[j] = (float)(random.nextDouble() - 0.5) * 0.2f;
        }
        return bias;
    }
}
