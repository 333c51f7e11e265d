package io.decide.tools.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.decide.engine.network.DenseNetworkContext;
import io.decide.engine.network.DenseNetworkEvaluator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.network.DenseNetworkDescriptor;
import io.decide.format.schema.FeatureSchemaWriter;
import io.decide.format.schema.FeatureType;
import io.decide.format.schema.MissingValue;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Builds the artifact for an imported network: FEATURE_SCHEMA ({@code f0..f(n-1)}), METADATA (source, graph input
 * and output names and widths, the layers), DENSE_NETWORK, and VERIFICATION_VECTORS whose expected outputs are the
 * section's own semantics ({@link DenseNetworkEvaluator}) on seeded random rows, compared EXACT at every load.
 */
public final class NetworkArtifact
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkArtifact()
    {
    }

    /**
     * @param name    artifact name.
     * @param version artifact version.
     * @param network the imported network.
     * @param vectors verification rows to embed (0: none).
     * @return a writer holding the sections; the caller may sign it, then writes it.
     */
    public static ArtifactWriter writer(
        final String name, final long version, final ImportedNetwork network, final int vectors)
    {
        final FeatureSchemaWriter schema = new FeatureSchemaWriter();
        for (int f = 0; f < network.inputSize(); f++)
        {
            schema.add("f" + f, FeatureType.NUMERIC, MissingValue.NAN, 0);
        }
        final ArtifactWriter writer = new ArtifactWriter(name, version)
            .addSection(SectionType.FEATURE_SCHEMA, 1, schema.toBytes())
            .metadata(metadata(network))
            .addSection(SectionType.DENSE_NETWORK, DenseNetworkDescriptor.VERSION, network.section());
        if (vectors > 0)
        {
            writer.addSection(SectionType.VERIFICATION_VECTORS, 1, vectors(network, vectors));
        }
        return writer;
    }

    private static byte[] vectors(final ImportedNetwork network, final int count)
    {
        final DenseNetworkEvaluator evaluator = DenseNetworkEvaluator.read(new UnsafeBuffer(network.section()), 0);
        final DenseNetworkContext context = evaluator.newContext();
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        final VerificationVectorsWriter.Group group = writer.group(SectionType.DENSE_NETWORK, 0,
            DenseNetworkEvaluator.MODE_OUTPUTS, network.inputSize(), evaluator.outputCount(), Tolerance.EXACT, 0);
        final SplittableRandom random = new SplittableRandom(0x5EEDL);
        for (int v = 0; v < count; v++)
        {
            final double[] row = new double[network.inputSize()];
            for (int i = 0; i < row.length; i++)
            {
                row[i] = (float)(random.nextGaussian() * (v % 4 == 0 ? 4 : 1));
            }
            final double[] out = new double[evaluator.outputCount()];
            evaluator.evaluate(row, out, context);
            group.add(row, out);
        }
        return writer.toBytes();
    }

    private static String metadata(final ImportedNetwork network)
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("kind", "dense-network");
        root.put("source", network.source());
        root.put("importedAt", Instant.now().toString());
        root.put("input", network.inputName());
        root.put("inputSize", network.inputSize());
        final ArrayNode outputs = root.putArray("outputs");
        int first = 0;
        for (int o = 0; o < network.outputNames().size(); o++)
        {
            final ObjectNode out = outputs.addObject();
            out.put("name", network.outputNames().get(o));
            out.put("first", first);
            out.put("width", network.outputWidths()[o]);
            first += network.outputWidths()[o];
        }
        final ArrayNode layers = root.putArray("layers");
        network.layers().forEach(layers::add);
        return root.toString();
    }
}
