package io.decide.engine.network;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an ONNX network (one float input {@code [1, n]} or {@code [batch, n]}, one or more float outputs
 * {@code [1, w]}) through ONNX Runtime, one row at a time, as the peer of {@link DenseNetworkEvaluator}: for models
 * the DENSE_NETWORK importer refuses, and to measure the native path against. Needs
 * {@code com.microsoft.onnxruntime:onnxruntime} on the class path (an optional dependency of engine-core).
 * <p>
 * The input tensor wraps one direct buffer that each call overwrites, and every output is pinned to a direct buffer
 * created once ({@code OrtSession.run(inputs, pinnedOutputs)}), so no tensor is created per call. ONNX Runtime's
 * Java binding still allocates per call (the result object, handle and name arrays it builds for the native call):
 * 592 bytes per call on the Java heap for a model with one input and four graph outputs, as measured by
 * policies-tools' {@code OnnxRuntimeNetworkAllocationTest} (JDK 17, ONNX Runtime 1.22). This is not a
 * zero-allocation path; {@link DenseNetworkEvaluator} is. Not thread-safe: one instance per thread (sessions may be shared by constructing several
 * instances over the same bytes). Sessions run with one intra-op thread.
 */
public final class OnnxRuntimeNetwork implements AutoCloseable
{
    private final OrtSession session;
    private final FloatBuffer input;
    private final OnnxTensor inputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> pinned;
    private final FloatBuffer[] outputs;
    private final int[] outputWidths;
    private final int inputSize;
    private final int outputCount;

    private OnnxRuntimeNetwork(final byte[] model, final String source) throws OrtException
    {
        final OrtEnvironment environment =
            OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "decide");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions())
        {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = environment.createSession(model, options);
        }
        try
        {
            final Map<String, NodeInfo> inputInfo = session.getInputInfo();
            if (inputInfo.size() != 1)
            {
                throw new IllegalArgumentException(source + ": " + inputInfo.size() + " graph inputs, expected 1");
            }
            final Map.Entry<String, NodeInfo> in = inputInfo.entrySet().iterator().next();
            inputSize = width(source, in.getKey(), in.getValue());
            input = ByteBuffer.allocateDirect(4 * inputSize).order(ByteOrder.nativeOrder()).asFloatBuffer();
            inputTensor = OnnxTensor.createTensor(environment, input, new long[]{1, inputSize});
            inputs = Map.of(in.getKey(), inputTensor);
            final Map<String, OnnxTensor> pins = new LinkedHashMap<>();
            final List<FloatBuffer> buffers = new ArrayList<>();
            final List<Integer> widths = new ArrayList<>();
            int total = 0;
            for (final Map.Entry<String, NodeInfo> out : session.getOutputInfo().entrySet())
            {
                final int w = width(source, out.getKey(), out.getValue());
                final FloatBuffer buffer = ByteBuffer.allocateDirect(4 * w).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
                pins.put(out.getKey(), OnnxTensor.createTensor(environment, buffer, new long[]{1, w}));
                buffers.add(buffer);
                widths.add(w);
                total += w;
            }
            pinned = pins;
            outputs = buffers.toArray(new FloatBuffer[0]);
            outputWidths = widths.stream().mapToInt(Integer::intValue).toArray();
            outputCount = total;
        }
        catch (final RuntimeException | OrtException ex)
        {
            session.close();
            throw ex;
        }
    }

    /**
     * Open an ONNX model file.
     *
     * @param file the {@code .onnx} file.
     * @return a network over one ONNX Runtime session.
     * @throws IllegalArgumentException when the file cannot be read, ONNX Runtime refuses it, or its inputs and
     *                                  outputs are not float tensors of shape {@code [1 or batch, width]}.
     */
    public static OnnxRuntimeNetwork open(final Path file)
    {
        try
        {
            return open(Files.readAllBytes(file), file.toString());
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalArgumentException(file + ": cannot read: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param model  serialized ONNX model.
     * @param source name for messages.
     * @return a network over one ONNX Runtime session.
     * @throws IllegalArgumentException when ONNX Runtime refuses the model or its shapes do not fit.
     */
    public static OnnxRuntimeNetwork open(final byte[] model, final String source)
    {
        try
        {
            return new OnnxRuntimeNetwork(model, source);
        }
        catch (final OrtException ex)
        {
            throw new IllegalArgumentException(source + ": ONNX Runtime refused the model: " + ex.getMessage(), ex);
        }
    }

    private static int width(final String source, final String name, final NodeInfo info)
    {
        if (!(info.getInfo() instanceof TensorInfo) ||
            ((TensorInfo)info.getInfo()).type != OnnxJavaType.FLOAT)
        {
            throw new IllegalArgumentException(source + ": '" + name + "' is " + info.getInfo() +
                ", expected a float tensor");
        }
        final long[] shape = ((TensorInfo)info.getInfo()).getShape();
        if (shape.length != 2 || shape[1] < 1 || shape[1] > Integer.MAX_VALUE / 4 || (shape[0] != 1 && shape[0] != -1))
        {
            throw new IllegalArgumentException(source + ": '" + name + "' has shape " +
                java.util.Arrays.toString(shape) + ", expected [1 or batch, width]");
        }
        return (int)shape[1];
    }

    /** @return input width n. */
    public int inputSize()
    {
        return inputSize;
    }

    /** @return the widths of all graph outputs added up: how many values {@code evaluate} writes. */
    public int outputCount()
    {
        return outputCount;
    }

    /**
     * Run one row.
     *
     * @param row at least {@link #inputSize()} values.
     * @param out receives the graph outputs, concatenated in graph order, from index 0.
     * @throws IllegalStateException when ONNX Runtime fails.
     */
    public void evaluate(final float[] row, final double[] out)
    {
        final FloatBuffer in = input;
        for (int i = 0; i < inputSize; i++)
        {
            in.put(i, row[i]);
        }
        run(out);
    }

    /**
     * Run one row, rounding it to float.
     *
     * @param row at least {@link #inputSize()} values.
     * @param out receives the graph outputs, concatenated in graph order, from index 0.
     * @throws IllegalStateException when ONNX Runtime fails.
     */
    public void evaluate(final double[] row, final double[] out)
    {
        final FloatBuffer in = input;
        for (int i = 0; i < inputSize; i++)
        {
            in.put(i, (float)row[i]);
        }
        run(out);
    }

    private void run(final double[] out)
    {
        try (OrtSession.Result ignored = session.run(inputs, pinned))
        {
            int o = 0;
            for (int k = 0; k < outputs.length; k++)
            {
                final FloatBuffer buffer = outputs[k];
                final int w = outputWidths[k];
                for (int j = 0; j < w; j++)
                {
                    out[o++] = buffer.get(j);
                }
            }
        }
        catch (final OrtException ex)
        {
            throw new IllegalStateException("ONNX Runtime failed: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            for (final OnnxTensor tensor : pinned.values())
            {
                tensor.close();
            }
            inputTensor.close();
            session.close();
        }
        catch (final OrtException ex)
        {
            throw new IllegalStateException("ONNX Runtime failed to close the session: " + ex.getMessage(), ex);
        }
    }
}
