package io.decide.tools.network;

import ai.onnx.proto.OnnxMl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds small ONNX models node by node with the ONNX protobuf classes: one float input {@code [N, n]}, float
 * initializers, default-domain nodes, float outputs {@code [N, w]}. Used to write MLPs for the importer's tests and
 * the benchmarks; it checks nothing (ONNX Runtime and the importer do).
 */
public final class OnnxModelBuilder
{
    /** Default-domain opset the models declare. */
    public static final int OPSET = 17;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("mlp");
    private int nodeCount;

    /**
     * @param inputName  graph input name.
     * @param inputWidth its width n (shape {@code [N, n]}).
     */
    public OnnxModelBuilder(final String inputName, final int inputWidth)
    {
        graph.addInput(tensor(inputName, inputWidth));
    }

    /**
     * Add a float initializer, stored as raw little-endian bytes.
     *
     * @param name   its name.
     * @param values the values, row-major.
     * @param dims   its shape.
     * @return this.
     */
    public OnnxModelBuilder initializer(final String name, final float[] values, final long... dims)
    {
        final ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (final float v : values)
        {
            raw.putFloat(v);
        }
        final OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
            .setRawData(com.google.protobuf.ByteString.copyFrom(raw.array()));
        for (final long d : dims)
        {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return this;
    }

    /**
     * Add an int64 initializer (Split sizes, Slice starts/ends/axes).
     *
     * @param name   its name.
     * @param values the values (a 1-D tensor).
     * @return this.
     */
    public OnnxModelBuilder int64s(final String name, final long... values)
    {
        final OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (final long v : values)
        {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return this;
    }

    /**
     * Add a node.
     *
     * @param op         default-domain operator type.
     * @param inputs     input value names ("" for an absent optional input).
     * @param outputs    output value names.
     * @param attributes attributes ({@link #intAttribute}, {@link #floatAttribute}, {@link #intsAttribute}).
     * @return this.
     */
    public OnnxModelBuilder node(
        final String op, final String[] inputs, final String[] outputs, final OnnxMl.AttributeProto... attributes)
    {
        final OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(op)
            .setName(op + "_" + nodeCount++);
        for (final String in : inputs)
        {
            node.addInput(in);
        }
        for (final String out : outputs)
        {
            node.addOutput(out);
        }
        for (final OnnxMl.AttributeProto a : attributes)
        {
            node.addAttribute(a);
        }
        graph.addNode(node);
        return this;
    }

    /**
     * @param name  graph output name (a value some node produces).
     * @param width its width w (shape {@code [N, w]}).
     * @return this.
     */
    public OnnxModelBuilder output(final String name, final int width)
    {
        graph.addOutput(tensor(name, width));
        return this;
    }

    /** @return the serialized {@code ModelProto}. */
    public byte[] toBytes()
    {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("decide")
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(graph).build().toByteArray();
    }

    /**
     * @param name  attribute name.
     * @param value integer value.
     * @return the attribute.
     */
    public static OnnxMl.AttributeProto intAttribute(final String name, final long value)
    {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
            .setI(value).build();
    }

    /**
     * @param name  attribute name.
     * @param value float value.
     * @return the attribute.
     */
    public static OnnxMl.AttributeProto floatAttribute(final String name, final float value)
    {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
            .setF(value).build();
    }

    /**
     * @param name   attribute name.
     * @param values integer values.
     * @return the attribute.
     */
    public static OnnxMl.AttributeProto intsAttribute(final String name, final long... values)
    {
        final OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
            .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (final long v : values)
        {
            a.addInts(v);
        }
        return a.build();
    }

    private static OnnxMl.ValueInfoProto tensor(final String name, final int width)
    {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .setShape(OnnxMl.TensorShapeProto.newBuilder()
                    .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                    .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))))).build();
    }
}
