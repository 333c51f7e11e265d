package io.decide.tools.network;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import io.decide.format.network.DenseNetworkDescriptor;
import io.decide.format.network.DenseNetworkWriter;
import io.decide.tools.gbdt.ModelImportException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.decide.format.network.DenseNetworkDescriptor.*;

/**
 * Imports an ONNX multi-layer perceptron into a DENSE_NETWORK section. The graph has one float input
 * {@code [N or 1, n]} and one or more float outputs {@code [N or 1, w]}; its nodes (default domain, in the graph's
 * topological order) may be:
 * <ul>
 * <li>{@code Gemm} (transA 0, transB 0 or 1, any alpha and beta; B and the optional C initializers) and
 * {@code MatMul} (B an initializer {@code [k, w]}): a dense layer. Its input is the graph input, a layer's output,
 * or a slice of one (the layer then reads the whole source with zero weights outside the slice, which adds exact
 * zeros);</li>
 * <li>{@code Add} of an initializer to the output of a MatMul (or a Gemm without C) that nothing else reads: the
 * layer's bias;</li>
 * <li>{@code Relu}, {@code Sigmoid}, {@code Tanh} on the output of a layer that nothing else reads and whose
 * activation is still identity: the layer's activation. {@code Identity}: the same value under a new name;</li>
 * <li>{@code Split}, {@code Slice} (axis 1, step 1) and {@code Concat} (axis 1) of layer outputs. Splitting the
 * output of a layer that nothing else reads and that has no activation yet splits the layer itself, so each part
 * can take its own activation (a fused head layer followed by per-head sigmoids); otherwise they select units,
 * which become graph outputs or layer inputs.</li>
 * </ul>
 * Anything else (another operator, another domain, a residual {@code Add}, an activation on the graph input or on a
 * layer that is read before it, shapes that do not match) is refused with a {@link ModelImportException} naming the
 * node and operator. Each graph output becomes one or more heads, in graph order. Alpha and beta other than 1 are
 * folded into the stored weights (one more float rounding than ONNX Runtime does).
 */
public final class OnnxMlpImporter
{
    /** The operators the importer understands. */
    public static final String SUPPORTED = "Gemm, MatMul, Add (bias), Relu, Sigmoid, Tanh, Identity, Split, Slice, Concat";

    private final String source;
    private final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private final List<Layer> layers = new ArrayList<>();
    private int inputSize;

    private static final class Layer
    {
        int source;
        int inputWidth;
        int outputWidth;
        int activation = IDENTITY;
        boolean biasSet;
        boolean frozen;
        int refs;
        float[] weights;
        float[] bias;
        String origin;
    }

    private record Part(int layer, int start, int count)
    {
    }

    /** A value in the graph: the graph input, or units of layer outputs (one part for a whole layer). */
    private record Value(boolean input, List<Part> parts)
    {
        int width(final List<Layer> layers, final int inputSize)
        {
            if (input)
            {
                return inputSize;
            }
            int w = 0;
            for (final Part p : parts)
            {
                w += p.count;
            }
            return w;
        }

        boolean wholeLayer(final List<Layer> layers)
        {
            return !input && parts.size() == 1 && parts.get(0).start == 0 &&
                parts.get(0).count == layers.get(parts.get(0).layer).outputWidth;
        }
    }

    private OnnxMlpImporter(final String source)
    {
        this.source = source;
    }

    /**
     * Import a model file.
     *
     * @param file an {@code .onnx} file.
     * @return the network.
     * @throws ModelImportException when the file cannot be read or holds something the section cannot express.
     */
    public static ImportedNetwork read(final Path file)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new ModelImportException(file.toString(), "file", "cannot read: " + ex.getMessage(), ex);
        }
        return read(bytes, file.toString());
    }

    /**
     * Import a serialized model.
     *
     * @param bytes      a serialized ONNX {@code ModelProto}.
     * @param sourceName file name for messages.
     * @return the network.
     * @throws ModelImportException when the bytes hold something the section cannot express.
     */
    public static ImportedNetwork read(final byte[] bytes, final String sourceName)
    {
        final OnnxMl.ModelProto model;
        try
        {
            model = OnnxMl.ModelProto.parseFrom(bytes);
        }
        catch (final InvalidProtocolBufferException ex)
        {
            throw new ModelImportException(sourceName, "file", "not an ONNX ModelProto: " + ex.getMessage(), ex);
        }
        return new OnnxMlpImporter(sourceName).convert(model);
    }

    private ModelImportException refuse(final String where, final String reason)
    {
        return new ModelImportException(source, where, reason);
    }

    private static String where(final OnnxMl.NodeProto node)
    {
        return "node '" + node.getName() + "' (" + node.getOpType() + ")";
    }

    private ImportedNetwork convert(final OnnxMl.ModelProto model)
    {
        final OnnxMl.GraphProto graph = model.getGraph();
        for (final OnnxMl.TensorProto t : graph.getInitializerList())
        {
            initializers.put(t.getName(), t);
        }
        final List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
        for (final OnnxMl.ValueInfoProto in : graph.getInputList())
        {
            if (!initializers.containsKey(in.getName()))
            {
                inputs.add(in);
            }
        }
        if (inputs.size() != 1)
        {
            throw refuse("graph", inputs.size() + " graph inputs, expected 1 float input [N, n]");
        }
        final OnnxMl.ValueInfoProto input = inputs.get(0);
        inputSize = width(input, "graph input '" + input.getName() + "'");
        if (inputSize > MAX_INPUT_SIZE)
        {
            throw refuse("graph input '" + input.getName() + "'", "width " + inputSize + " above " + MAX_INPUT_SIZE);
        }
        for (final OnnxMl.NodeProto node : graph.getNodeList())
        {
            for (final String in : node.getInputList())
            {
                uses.merge(in, 1, Integer::sum);
            }
        }
        for (final OnnxMl.ValueInfoProto out : graph.getOutputList())
        {
            uses.merge(out.getName(), 1, Integer::sum);
        }
        values.put(input.getName(), new Value(true, List.of()));
        for (final OnnxMl.NodeProto node : graph.getNodeList())
        {
            if (!node.getDomain().isEmpty() && !"ai.onnx".equals(node.getDomain()))
            {
                throw refuse(where(node), "operator domain '" + node.getDomain() + "' is not supported; " +
                    "supported: " + SUPPORTED + " in the default domain");
            }
            switch (node.getOpType())
            {
                case "Gemm": gemm(node); break;
                case "MatMul": matMul(node); break;
                case "Add": add(node); break;
                case "Relu": activation(node, RELU); break;
                case "Sigmoid": activation(node, SIGMOID); break;
                case "Tanh": activation(node, TANH); break;
                case "Identity": identity(node); break;
                case "Split": split(node); break;
                case "Slice": slice(node); break;
                case "Concat": concat(node); break;
                default:
                    throw refuse(where(node), "operator " + node.getOpType() + " is not supported; supported: " +
                        SUPPORTED);
            }
        }
        if (graph.getOutputCount() == 0)
        {
            throw refuse("graph", "no graph outputs");
        }
        final List<String> outputNames = new ArrayList<>();
        final int[] outputWidths = new int[graph.getOutputCount()];
        final List<Part> heads = new ArrayList<>();
        for (int o = 0; o < graph.getOutputCount(); o++)
        {
            final OnnxMl.ValueInfoProto out = graph.getOutput(o);
            final String what = "graph output '" + out.getName() + "'";
            final int declared = width(out, what);
            final Value value = values.get(out.getName());
            if (value == null)
            {
                throw refuse(what, "no node produces it");
            }
            if (value.input)
            {
                throw refuse(what, "is the graph input itself; expected the output of a dense layer");
            }
            final int actual = value.width(layers, inputSize);
            if (declared != actual)
            {
                throw refuse(what, "shape mismatch: declared width " + declared + ", the graph computes " + actual);
            }
            heads.addAll(value.parts);
            outputNames.add(out.getName());
            outputWidths[o] = actual;
        }
        return new ImportedNetwork(source, input.getName(), inputSize, List.copyOf(outputNames), outputWidths,
            describe(), write(heads));
    }

    private byte[] write(final List<Part> heads)
    {
        final DenseNetworkWriter writer = new DenseNetworkWriter(inputSize);
        try
        {
            for (final Layer l : layers)
            {
                writer.addLayer(l.source, l.outputWidth, l.activation, l.weights, l.bias);
            }
            for (final Part head : heads)
            {
                writer.addHead(head.layer, head.start, head.count);
            }
            return writer.toBytes();
        }
        catch (final IllegalArgumentException ex)
        {
            throw refuse("network", ex.getMessage());
        }
    }

    private List<String> describe()
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++)
        {
            final Layer l = layers.get(i);
            lines.add(i + ": " + (l.source < 0 ? "input" : "layer " + l.source) + " (" + l.inputWidth + ") -> " +
                l.outputWidth + " " + DenseNetworkDescriptor.activationName(l.activation) + " (" + l.origin + ")");
        }
        return lines;
    }

    private Value value(final OnnxMl.NodeProto node, final int index)
    {
        if (index >= node.getInputCount() || node.getInput(index).isEmpty())
        {
            throw refuse(where(node), "input " + index + " is missing");
        }
        final String name = node.getInput(index);
        final Value value = values.get(name);
        if (value == null)
        {
            throw refuse(where(node), "input '" + name + "' is " + (initializers.containsKey(name) ?
                "an initializer where a computed value is expected" : "not computed before this node"));
        }
        return value;
    }

    private void define(final OnnxMl.NodeProto node, final String name, final Value value)
    {
        if (values.containsKey(name) || initializers.containsKey(name))
        {
            throw refuse(where(node), "output '" + name + "' is defined twice");
        }
        values.put(name, value);
        final int n = uses.getOrDefault(name, 0);
        for (final Part p : value.parts)
        {
            layers.get(p.layer).refs += n;
        }
    }

    private void consume(final Value value)
    {
        for (final Part p : value.parts)
        {
            layers.get(p.layer).refs--;
        }
    }

    private void outputs(final OnnxMl.NodeProto node, final int expected)
    {
        if (node.getOutputCount() != expected)
        {
            throw refuse(where(node), node.getOutputCount() + " outputs, expected " + expected);
        }
    }

    /** The layer behind a value whose layer can still change (bias, activation, split): only this node reads it. */
    private Layer open(final Value value)
    {
        if (!value.wholeLayer(layers))
        {
            return null;
        }
        final Layer l = layers.get(value.parts.get(0).layer);
        return !l.frozen && l.refs == 1 ? l : null;
    }

    private void gemm(final OnnxMl.NodeProto node)
    {
        outputs(node, 1);
        if (node.getInputCount() < 2 || node.getInputCount() > 3)
        {
            throw refuse(where(node), node.getInputCount() + " inputs, expected 2 or 3");
        }
        float alpha = 1;
        float beta = 1;
        boolean transB = false;
        for (final OnnxMl.AttributeProto a : node.getAttributeList())
        {
            switch (a.getName())
            {
                case "alpha": alpha = a.getF(); break;
                case "beta": beta = a.getF(); break;
                case "transA":
                    if (a.getI() != 0)
                    {
                        throw refuse(where(node), "transA = " + a.getI() + " is not supported (the input is a row)");
                    }
                    break;
                case "transB": transB = a.getI() != 0; break;
                default: throw refuse(where(node), "unknown attribute '" + a.getName() + "'");
            }
        }
        final Value x = value(node, 0);
        final OnnxMl.TensorProto b = initializer(node, 1);
        final long[] dims = dims(b);
        if (dims.length != 2)
        {
            throw refuse(where(node), "B '" + b.getName() + "' has rank " + dims.length + ", expected 2");
        }
        final int k = (int)(transB ? dims[1] : dims[0]);
        final int w = (int)(transB ? dims[0] : dims[1]);
        final float[] raw = floats(node, b);
        final float[] weights = new float[k * w];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < w; j++)
            {
                final float v = transB ? raw[j * k + i] : raw[i * w + j];
                weights[i * w + j] = alpha == 1 ? v : alpha * v;
            }
        }
        final Layer layer = dense(node, x, k, w, weights);
        if (node.getInputCount() == 3 && !node.getInput(2).isEmpty())
        {
            final float[] bias = bias(node, initializer(node, 2), w);
            for (int j = 0; j < w; j++)
            {
                layer.bias[j] = beta == 1 ? bias[j] : beta * bias[j];
            }
            layer.biasSet = true;
        }
    }

    private void matMul(final OnnxMl.NodeProto node)
    {
        outputs(node, 1);
        if (node.getInputCount() != 2)
        {
            throw refuse(where(node), node.getInputCount() + " inputs, expected 2");
        }
        final Value x = value(node, 0);
        final OnnxMl.TensorProto b = initializer(node, 1);
        final long[] dims = dims(b);
        if (dims.length != 2)
        {
            throw refuse(where(node), "B '" + b.getName() + "' has rank " + dims.length + ", expected 2 [k, w]");
        }
        dense(node, x, (int)dims[0], (int)dims[1], floats(node, b));
    }

    private Layer dense(final OnnxMl.NodeProto node, final Value x, final int k, final int w, final float[] weights)
    {
        final int width = x.width(layers, inputSize);
        if (k != width)
        {
            throw refuse(where(node), "shape mismatch: the weights take " + k + " inputs, input '" + node.getInput(0) +
                "' has width " + width);
        }
        if (w < 1 || w > MAX_WIDTH)
        {
            throw refuse(where(node), "output width " + w + ", expected 1.." + MAX_WIDTH);
        }
        final Layer layer = new Layer();
        layer.origin = node.getOpType() + " '" + node.getName() + "'";
        layer.outputWidth = w;
        layer.bias = new float[w];
        if (x.input)
        {
            layer.source = SOURCE_INPUT;
            layer.inputWidth = k;
            layer.weights = weights;
        }
        else if (x.parts.size() == 1)
        {
            final Part p = x.parts.get(0);
            final Layer from = layers.get(p.layer);
            from.frozen = true;
            layer.source = p.layer;
            layer.inputWidth = from.outputWidth;
            if (p.start == 0 && p.count == from.outputWidth)
            {
                layer.weights = weights;
            }
            else
            {
                layer.weights = new float[from.outputWidth * w];
                System.arraycopy(weights, 0, layer.weights, p.start * w, k * w);
            }
        }
        else
        {
            throw refuse(where(node), "input '" + node.getInput(0) + "' joins " + x.parts.size() +
                " layers (Concat); a dense layer reads the input or one layer");
        }
        consume(x);
        layers.add(layer);
        define(node, node.getOutput(0), new Value(false, List.of(new Part(layers.size() - 1, 0, w))));
        return layer;
    }

    private void add(final OnnxMl.NodeProto node)
    {
        outputs(node, 1);
        if (node.getInputCount() != 2)
        {
            throw refuse(where(node), node.getInputCount() + " inputs, expected 2");
        }
        final int constant = initializers.containsKey(node.getInput(1)) ? 1 :
            initializers.containsKey(node.getInput(0)) ? 0 : -1;
        if (constant < 0)
        {
            throw refuse(where(node), "adds two computed values; only a bias (an initializer) added to the output " +
                "of MatMul or Gemm is supported");
        }
        final Value x = value(node, 1 - constant);
        final Layer layer = open(x);
        if (layer == null || layer.biasSet || layer.activation != IDENTITY)
        {
            throw refuse(where(node), "adds a bias to '" + node.getInput(1 - constant) + "', which is not the " +
                "output of a MatMul or Gemm without bias and activation that only this node reads");
        }
        layer.bias = bias(node, initializers.get(node.getInput(constant)), layer.outputWidth);
        layer.biasSet = true;
        consume(x);
        define(node, node.getOutput(0), x);
    }

    private void activation(final OnnxMl.NodeProto node, final int activation)
    {
        outputs(node, 1);
        if (node.getInputCount() != 1)
        {
            throw refuse(where(node), node.getInputCount() + " inputs, expected 1");
        }
        final Value x = value(node, 0);
        final Layer layer = x.input ? null : open(x);
        if (layer == null || layer.activation != IDENTITY)
        {
            throw refuse(where(node), "input '" + node.getInput(0) + "' is not the output of a dense layer " +
                "without activation that only this node reads (activations go right after Gemm, MatMul + Add, " +
                "or a Split of such a layer)");
        }
        layer.activation = activation;
        consume(x);
        define(node, node.getOutput(0), x);
    }

    private void identity(final OnnxMl.NodeProto node)
    {
        outputs(node, 1);
        final Value x = value(node, 0);
        consume(x);
        define(node, node.getOutput(0), x);
    }

    private void axis(final OnnxMl.NodeProto node, final long axis)
    {
        if (axis != 1 && axis != -1)
        {
            throw refuse(where(node), "axis " + axis + ", expected 1 (the feature axis)");
        }
    }

    private void split(final OnnxMl.NodeProto node)
    {
        final Value x = value(node, 0);
        if (x.input)
        {
            throw refuse(where(node), "splits the graph input; expected a layer output");
        }
        long axis = 0;
        long[] sizes = null;
        for (final OnnxMl.AttributeProto a : node.getAttributeList())
        {
            switch (a.getName())
            {
                case "axis": axis = a.getI(); break;
                case "split": sizes = a.getIntsList().stream().mapToLong(Long::longValue).toArray(); break;
                case "num_outputs": break;
                default: throw refuse(where(node), "unknown attribute '" + a.getName() + "'");
            }
        }
        axis(node, axis);
        if (node.getInputCount() > 1 && !node.getInput(1).isEmpty())
        {
            sizes = int64s(node, initializer(node, 1));
        }
        final int width = x.width(layers, inputSize);
        final int parts = node.getOutputCount();
        if (sizes == null)
        {
            final int chunk = (width + parts - 1) / parts;
            sizes = new long[parts];
            for (int i = 0; i < parts; i++)
            {
                sizes[i] = Math.max(0, Math.min(chunk, width - (long)chunk * i));
            }
        }
        long total = 0;
        for (final long s : sizes)
        {
            if (s < 1)
            {
                throw refuse(where(node), "split size " + s + ", expected >= 1");
            }
            total += s;
        }
        if (sizes.length != parts || total != width)
        {
            throw refuse(where(node), "shape mismatch: split sizes " + java.util.Arrays.toString(sizes) + " for " +
                parts + " outputs of a width-" + width + " value");
        }
        final Layer layer = open(x);
        if (layer != null && layer.activation == IDENTITY)
        {
            splitLayer(node, x.parts.get(0).layer, sizes);
            return;
        }
        consume(x);
        int start = 0;
        for (int i = 0; i < parts; i++)
        {
            define(node, node.getOutput(i), select(x, start, (int)sizes[i]));
            start += (int)sizes[i];
        }
    }

    /** Split a layer nobody else reads into one layer per part (part 0 keeps its index), so parts can differ. */
    private void splitLayer(final OnnxMl.NodeProto node, final int index, final long[] sizes)
    {
        final Layer whole = layers.get(index);
        int start = 0;
        for (int i = 0; i < sizes.length; i++)
        {
            final int w = (int)sizes[i];
            final Layer part = new Layer();
            part.source = whole.source;
            part.inputWidth = whole.inputWidth;
            part.outputWidth = w;
            part.biasSet = whole.biasSet;
            part.origin = whole.origin + " part " + i + " of " + node.getOpType() + " '" + node.getName() + "'";
            part.weights = new float[whole.inputWidth * w];
            for (int r = 0; r < whole.inputWidth; r++)
            {
                System.arraycopy(whole.weights, r * whole.outputWidth + start, part.weights, r * w, w);
            }
            part.bias = java.util.Arrays.copyOfRange(whole.bias, start, start + w);
            final int at;
            if (i == 0)
            {
                layers.set(index, part);
                at = index;
            }
            else
            {
                layers.add(part);
                at = layers.size() - 1;
            }
            define(node, node.getOutput(i), new Value(false, List.of(new Part(at, 0, w))));
            start += w;
        }
    }

    private void slice(final OnnxMl.NodeProto node)
    {
        outputs(node, 1);
        final Value x = value(node, 0);
        if (x.input)
        {
            throw refuse(where(node), "slices the graph input; expected a layer output");
        }
        long[] starts = null;
        long[] ends = null;
        long[] axes = {1};
        long[] steps = {1};
        for (final OnnxMl.AttributeProto a : node.getAttributeList())
        {
            final long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            switch (a.getName())
            {
                case "starts": starts = v; break;
                case "ends": ends = v; break;
                case "axes": axes = v; break;
                default: throw refuse(where(node), "unknown attribute '" + a.getName() + "'");
            }
        }
        if (node.getInputCount() >= 3)
        {
            starts = int64s(node, initializer(node, 1));
            ends = int64s(node, initializer(node, 2));
            if (node.getInputCount() >= 4 && !node.getInput(3).isEmpty())
            {
                axes = int64s(node, initializer(node, 3));
            }
            if (node.getInputCount() >= 5 && !node.getInput(4).isEmpty())
            {
                steps = int64s(node, initializer(node, 4));
            }
        }
        if (starts == null || ends == null || starts.length != 1 || ends.length != 1 || axes.length != 1 ||
            steps.length != 1)
        {
            throw refuse(where(node), "expected one start, end, axis and step (a slice of the feature axis)");
        }
        axis(node, axes[0]);
        if (steps[0] != 1)
        {
            throw refuse(where(node), "step " + steps[0] + ", expected 1");
        }
        final int width = x.width(layers, inputSize);
        final long start = clamp(starts[0], width);
        final long end = clamp(ends[0], width);
        if (end <= start)
        {
            throw refuse(where(node), "empty slice [" + starts[0] + ", " + ends[0] + ") of a width-" + width +
                " value");
        }
        final Layer layer = open(x);
        if (layer != null && layer.activation == IDENTITY && start == 0 && end == width)
        {
            consume(x);
            define(node, node.getOutput(0), x);
            return;
        }
        consume(x);
        define(node, node.getOutput(0), select(x, (int)start, (int)(end - start)));
    }

    private static long clamp(final long index, final int width)
    {
        final long i = index < 0 ? index + width : index;
        return Math.max(0, Math.min(width, i));
    }

    private void concat(final OnnxMl.NodeProto node)
    {
        outputs(node, 1);
        long axis = 0;
        for (final OnnxMl.AttributeProto a : node.getAttributeList())
        {
            if (!"axis".equals(a.getName()))
            {
                throw refuse(where(node), "unknown attribute '" + a.getName() + "'");
            }
            axis = a.getI();
        }
        axis(node, axis);
        final List<Part> parts = new ArrayList<>();
        final List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < node.getInputCount(); i++)
        {
            final Value x = value(node, i);
            if (x.input)
            {
                throw refuse(where(node), "joins the graph input; expected layer outputs");
            }
            parts.addAll(x.parts);
            inputs.add(x);
        }
        for (final Value x : inputs)
        {
            consume(x);
        }
        define(node, node.getOutput(0), new Value(false, List.copyOf(parts)));
    }

    /** Units {@code [start, start + count)} of a value. */
    private static Value select(final Value x, final int start, final int count)
    {
        final List<Part> out = new ArrayList<>();
        int at = 0;
        for (final Part p : x.parts)
        {
            final int from = Math.max(start, at);
            final int to = Math.min(start + count, at + p.count);
            if (from < to)
            {
                out.add(new Part(p.layer, p.start + from - at, to - from));
            }
            at += p.count;
        }
        return new Value(false, List.copyOf(out));
    }

    private OnnxMl.TensorProto initializer(final OnnxMl.NodeProto node, final int index)
    {
        final String name = node.getInput(index);
        final OnnxMl.TensorProto t = initializers.get(name);
        if (t == null)
        {
            throw refuse(where(node), "input " + index + " '" + name + "' is not an initializer (constant weights " +
                "are expected there)");
        }
        return t;
    }

    private float[] bias(final OnnxMl.NodeProto node, final OnnxMl.TensorProto t, final int w)
    {
        final float[] raw = floats(node, t);
        final long[] dims = dims(t);
        final float[] bias = new float[w];
        if (raw.length == 1 && (dims.length == 0 || dims[dims.length - 1] == 1))
        {
            java.util.Arrays.fill(bias, raw[0]);
            return bias;
        }
        if (raw.length == w && (dims.length == 1 || (dims.length == 2 && dims[0] == 1)))
        {
            return raw;
        }
        throw refuse(where(node), "shape mismatch: bias '" + t.getName() + "' has shape " +
            java.util.Arrays.toString(dims) + ", expected [" + w + "], [1, " + w + "] or a scalar");
    }

    private static long[] dims(final OnnxMl.TensorProto t)
    {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    private float[] floats(final OnnxMl.NodeProto node, final OnnxMl.TensorProto t)
    {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE)
        {
            throw refuse(where(node), "initializer '" + t.getName() + "' has data type " + t.getDataType() +
                ", expected FLOAT (1)");
        }
        long count = 1;
        for (final long d : dims(t))
        {
            count *= d;
        }
        final float[] values;
        if (!t.getRawData().isEmpty())
        {
            final ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            values = new float[raw.remaining() / 4];
            raw.asFloatBuffer().get(values);
        }
        else
        {
            values = new float[t.getFloatDataCount()];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = t.getFloatData(i);
            }
        }
        if (values.length != count)
        {
            throw refuse(where(node), "initializer '" + t.getName() + "' holds " + values.length + " values, its " +
                "shape " + java.util.Arrays.toString(dims(t)) + " needs " + count);
        }
        for (int i = 0; i < values.length; i++)
        {
            if (!Float.isFinite(values[i]))
            {
                throw refuse(where(node), "initializer '" + t.getName() + "' value " + i + " is " + values[i] +
                    ", expected finite");
            }
        }
        return values;
    }

    private long[] int64s(final OnnxMl.NodeProto node, final OnnxMl.TensorProto t)
    {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.INT64_VALUE)
        {
            throw refuse(where(node), "initializer '" + t.getName() + "' has data type " + t.getDataType() +
                ", expected INT64 (7)");
        }
        if (!t.getRawData().isEmpty())
        {
            final ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            final long[] values = new long[raw.remaining() / 8];
            raw.asLongBuffer().get(values);
            return values;
        }
        return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }

    private int width(final OnnxMl.ValueInfoProto info, final String what)
    {
        if (!info.getType().hasTensorType() ||
            info.getType().getTensorType().getElemType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE)
        {
            throw refuse(what, "is not a float tensor");
        }
        final OnnxMl.TensorShapeProto shape = info.getType().getTensorType().getShape();
        if (shape.getDimCount() != 2 || !shape.getDim(1).hasDimValue() || shape.getDim(1).getDimValue() < 1 ||
            shape.getDim(1).getDimValue() > Integer.MAX_VALUE ||
            (shape.getDim(0).hasDimValue() && shape.getDim(0).getDimValue() != 1))
        {
            throw refuse(what, "shape " + shape.getDimList().stream().map(d -> d.hasDimValue() ?
                String.valueOf(d.getDimValue()) : d.getDimParam()).toList() + ", expected [N or 1, width]");
        }
        return (int)shape.getDim(1).getDimValue();
    }
}
