package io.decide.tools.gbdt.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.decide.format.gbdt.Precision;
import io.decide.tools.gbdt.ModelImportException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attributes of one tree-ensemble node, typed and checked as ONNX Runtime reads them: an attribute the
 * operator does not declare is refused (ORT's schema check rejects the graph), a real-valued attribute is read
 * from its FLOATS list or, from ai.onnx.ml opset 3, from its {@code *_as_tensor} twin, whose element type must be
 * the input's (ORT refuses a double tensor for float input and a float tensor for double input).
 */
final class NodeAttributes
{
    /** Attributes both operators declare (opset 1). */
    static final Set<String> COMMON = Set.of("nodes_falsenodeids", "nodes_featureids", "nodes_hitrates",
        "nodes_missing_value_tracks_true", "nodes_modes", "nodes_nodeids", "nodes_treeids", "nodes_truenodeids",
        "nodes_values", "post_transform", "base_values");
    /** TreeEnsembleRegressor's own attributes (opset 1). */
    static final Set<String> REGRESSOR = Set.of("aggregate_function", "n_targets", "target_ids", "target_nodeids",
        "target_treeids", "target_weights");
    /** TreeEnsembleClassifier's own attributes (opset 1). */
    static final Set<String> CLASSIFIER = Set.of("class_ids", "class_nodeids", "class_treeids", "class_weights",
        "classlabels_int64s", "classlabels_strings");
    /** Real-valued attributes that opset 3 also accepts as tensors, named without the suffix. */
    static final Set<String> TENSOR_TWINS = Set.of("base_values", "nodes_hitrates", "nodes_values", "target_weights",
        "class_weights");
    /** Suffix of the opset 3 tensor twins. */
    static final String AS_TENSOR = "_as_tensor";

    private final String source;
    private final Precision precision;
    private final Map<String, OnnxMl.AttributeProto> byName = new HashMap<>();

    /**
     * @param source    model file or description, for errors.
     * @param node      the tree-ensemble node.
     * @param own       the operator's own attribute names ({@link #REGRESSOR} or {@link #CLASSIFIER}).
     * @param precision FLOAT32 for float input, FLOAT64 for double input.
     * @param mlOpset   the model's ai.onnx.ml opset version.
     */
    NodeAttributes(
        final String source,
        final OnnxMl.NodeProto node,
        final Set<String> own,
        final Precision precision,
        final int mlOpset)
    {
        this.source = source;
        this.precision = precision;
        for (final OnnxMl.AttributeProto attribute : node.getAttributeList())
        {
            final String name = attribute.getName();
            final boolean twin = name.endsWith(AS_TENSOR) &&
                TENSOR_TWINS.contains(name.substring(0, name.length() - AS_TENSOR.length())) &&
                (COMMON.contains(name.substring(0, name.length() - AS_TENSOR.length())) ||
                own.contains(name.substring(0, name.length() - AS_TENSOR.length())));
            if (twin && mlOpset < 3)
            {
                throw new ModelImportException(source, where(name), "tensor attributes need ai.onnx.ml opset 3, the " +
                    "model declares opset " + mlOpset + " (ONNX Runtime refuses the graph)");
            }
            if (!twin && !COMMON.contains(name) && !own.contains(name))
            {
                throw new ModelImportException(source, where(name), "not an attribute of " + node.getOpType() +
                    " (ONNX Runtime refuses the graph)");
            }
            if (attribute.hasRefAttrName() && !attribute.getRefAttrName().isEmpty())
            {
                throw new ModelImportException(source, where(name), "refers to a function attribute (" +
                    attribute.getRefAttrName() + "); only plain graphs are supported");
            }
            if (byName.put(name, attribute) != null)
            {
                throw new ModelImportException(source, where(name), "given twice");
            }
        }
    }

    static String where(final String attribute)
    {
        return "attribute " + attribute;
    }

    /**
     * @param name attribute name.
     * @return whether the node has it.
     */
    boolean has(final String name)
    {
        return byName.containsKey(name);
    }

    /**
     * @param name INTS attribute.
     * @return its values, empty when absent.
     */
    long[] ints(final String name)
    {
        final OnnxMl.AttributeProto attribute = typed(name, OnnxMl.AttributeProto.AttributeType.INTS);
        if (attribute == null)
        {
            return new long[0];
        }
        final long[] values = new long[attribute.getIntsCount()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = attribute.getInts(i);
        }
        return values;
    }

    /**
     * @param name         INT attribute.
     * @param defaultValue value when absent.
     * @return its value.
     */
    long intValue(final String name, final long defaultValue)
    {
        final OnnxMl.AttributeProto attribute = typed(name, OnnxMl.AttributeProto.AttributeType.INT);
        return attribute == null ? defaultValue : attribute.getI();
    }

    /**
     * @param name         STRING attribute.
     * @param defaultValue value when absent.
     * @return its value.
     */
    String string(final String name, final String defaultValue)
    {
        final OnnxMl.AttributeProto attribute = typed(name, OnnxMl.AttributeProto.AttributeType.STRING);
        return attribute == null ? defaultValue : attribute.getS().toString(StandardCharsets.UTF_8);
    }

    /**
     * @param name STRINGS attribute.
     * @return its values, empty when absent.
     */
    String[] strings(final String name)
    {
        final OnnxMl.AttributeProto attribute = typed(name, OnnxMl.AttributeProto.AttributeType.STRINGS);
        if (attribute == null)
        {
            return new String[0];
        }
        final List<ByteString> list = attribute.getStringsList();
        final String[] values = new String[list.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = list.get(i).toString(StandardCharsets.UTF_8);
        }
        return values;
    }

    /**
     * A real-valued attribute from its FLOATS list or its tensor twin, as ONNX Runtime's threshold type holds it:
     * floats widened to double exactly; a tensor twin must have the input's element type.
     *
     * @param name attribute name without the {@code _as_tensor} suffix.
     * @return the values, or null when neither form is present.
     */
    double[] reals(final String name)
    {
        final OnnxMl.AttributeProto list = typed(name, OnnxMl.AttributeProto.AttributeType.FLOATS);
        final OnnxMl.AttributeProto tensor = typed(name + AS_TENSOR, OnnxMl.AttributeProto.AttributeType.TENSOR);
        if (list != null && tensor != null)
        {
            throw new ModelImportException(source, where(name), "given both as a list and as " + name + AS_TENSOR +
                " (ONNX Runtime refuses the node)");
        }
        if (list != null)
        {
            final double[] values = new double[list.getFloatsCount()];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = list.getFloats(i);
            }
            return values;
        }
        return tensor == null ? null : tensorValues(name + AS_TENSOR, tensor.getT());
    }

    private double[] tensorValues(final String name, final OnnxMl.TensorProto tensor)
    {
        final int expected = precision == Precision.FLOAT32 ? OnnxMl.TensorProto.DataType.FLOAT_VALUE :
            OnnxMl.TensorProto.DataType.DOUBLE_VALUE;
        if (tensor.getDataType() != expected)
        {
            throw new ModelImportException(source, where(name), "element type " + tensor.getDataType() + " but the " +
                "input is " + (precision == Precision.FLOAT32 ? "float: ONNX Runtime needs a float (1) tensor" :
                "double: ONNX Runtime needs a double (11) tensor"));
        }
        if (tensor.getDimsCount() != 1 || tensor.getDims(0) < 1 || tensor.getDims(0) > Integer.MAX_VALUE)
        {
            throw new ModelImportException(source, where(name), "must be a non-empty vector, dims are " +
                tensor.getDimsList() + " (ONNX Runtime refuses it)");
        }
        if (tensor.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL)
        {
            throw new ModelImportException(source, where(name), "external tensor data is not supported");
        }
        final int count = (int)tensor.getDims(0);
        final double[] values = new double[count];
        final boolean f32 = precision == Precision.FLOAT32;
        if (tensor.hasRawData())
        {
            final ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (raw.remaining() != count * (f32 ? Float.BYTES : Double.BYTES))
            {
                throw new ModelImportException(source, where(name), raw.remaining() + " raw bytes for " + count +
                    " elements");
            }
            for (int i = 0; i < count; i++)
            {
                values[i] = f32 ? raw.getFloat() : raw.getDouble();
            }
            return values;
        }
        final int stored = f32 ? tensor.getFloatDataCount() : tensor.getDoubleDataCount();
        if (stored != count)
        {
            throw new ModelImportException(source, where(name), stored + " elements for dims [" + count + "]");
        }
        for (int i = 0; i < count; i++)
        {
            values[i] = f32 ? tensor.getFloatData(i) : tensor.getDoubleData(i);
        }
        return values;
    }

    private OnnxMl.AttributeProto typed(final String name, final OnnxMl.AttributeProto.AttributeType type)
    {
        final OnnxMl.AttributeProto attribute = byName.get(name);
        if (attribute == null)
        {
            return null;
        }
        if (attribute.getType() != type && attribute.getType() != OnnxMl.AttributeProto.AttributeType.UNDEFINED)
        {
            throw new ModelImportException(source, where(name), "has type " + attribute.getType() + ", expected " +
                type);
        }
        return attribute;
    }
}
