package io.decide.tools.gbdt.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;

import java.util.Map;

/**
 * One ONNX Runtime session over a model, reused for every batch. Sessions run with one intra-op thread unless told
 * otherwise: with more, ORT splits the trees across threads and merges partial sums, which changes the float
 * rounding of the tree sum (see {@code OnnxRuntimeSemanticsTest#multiThreadedSessionsSumTreesInAnotherOrder}).
 */
final class OrtModel implements AutoCloseable
{
    private static final OrtEnvironment ENV =
        OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "decide-onnx-tests");

    private final OrtSession session;
    private final String inputName;

    OrtModel(final byte[] model)
    {
        this(model, 1);
    }

    OrtModel(final byte[] model, final int threads)
    {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions())
        {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            this.session = ENV.createSession(model, options);
            this.inputName = session.getInputNames().iterator().next();
        }
        catch (final OrtException ex)
        {
            throw new IllegalStateException("ONNX Runtime refused the model: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param rows   input rows (float).
     * @param output graph output name.
     * @return that output, one row per input row.
     */
    float[][] run(final float[][] rows, final String output)
    {
        try (OnnxTensor input = OnnxTensor.createTensor(ENV, rows))
        {
            return run(input, output);
        }
        catch (final OrtException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param rows   input rows (double).
     * @param output graph output name.
     * @return that output, one row per input row.
     */
    float[][] run(final double[][] rows, final String output)
    {
        try (OnnxTensor input = OnnxTensor.createTensor(ENV, rows))
        {
            return run(input, output);
        }
        catch (final OrtException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private float[][] run(final OnnxTensor input, final String output) throws OrtException
    {
        try (OrtSession.Result result = session.run(Map.of(inputName, input), java.util.Set.of(output)))
        {
            final OnnxValue value = result.get(output).orElseThrow();
            final Object array = value.getValue();
            if (array instanceof float[][])
            {
                return (float[][])array;
            }
            throw new IllegalStateException("output " + output + " is " + value.getInfo());
        }
    }

    @Override
    public void close()
    {
        try
        {
            session.close();
        }
        catch (final OrtException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
