package io.decide.tools.gbdt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtDescriptor;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.MonotoneCheck;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.schema.FeatureSchemaWriter;
import io.decide.format.schema.FeatureType;
import io.decide.format.schema.MissingValue;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsWriter;

import java.time.Instant;
import java.util.List;

/**
 * Builds the artifact for an imported model: FEATURE_SCHEMA (the model's feature names, or f0..fN), METADATA
 * (provenance, shape, declared monotone constraints and the result of their check), GBDT_ENSEMBLE, and
 * VERIFICATION_VECTORS computed by the reference semantics on probe rows (raw margins exact, transformed
 * outputs within 4 ulps), which the engine replays at every load.
 */
public final class GbdtArtifact
{
    /** Engine mode of raw-margin vectors (GbdtEvaluator.MODE_RAW). */
    public static final int MODE_RAW = 0;
    /** Engine mode of transformed-output vectors (GbdtEvaluator.MODE_TRANSFORMED). */
    public static final int MODE_TRANSFORMED = 1;
    /** Tolerance of transformed vectors, in ulps. */
    public static final double TRANSFORMED_ULPS = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private GbdtArtifact()
    {
    }

    /**
     * @param ensemble the model.
     * @return feature names: the model's, or f0..f(n-1).
     */
    public static String[] featureNames(final TreeEnsemble ensemble)
    {
        final String[] names = ensemble.featureNames();
        if (names != null)
        {
            return names;
        }
        final String[] generated = new String[ensemble.featureCount()];
        for (int f = 0; f < generated.length; f++)
        {
            generated[f] = "f" + f;
        }
        return generated;
    }

    /**
     * An artifact writer holding the model.
     *
     * @param name       artifact name.
     * @param version    artifact version.
     * @param ensemble   the model.
     * @param source     where it came from (file name), for METADATA.
     * @param vectors    number of probe rows to embed as verification vectors (0 for none).
     * @param violations result of the monotone check, recorded in METADATA.
     * @return the writer (sign it or write it).
     */
    public static ArtifactWriter writer(
        final String name, final long version, final TreeEnsemble ensemble, final String source, final int vectors,
        final List<MonotoneCheck.Violation> violations)
    {
        final String[] names = featureNames(ensemble);
        final boolean[] categorical = new boolean[ensemble.featureCount()];
        for (final Tree tree : ensemble.trees())
        {
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                if (!tree.isLeaf(i) && tree.categories(i) != null)
                {
                    categorical[tree.feature(i)] = true;
                }
            }
        }
        final FeatureSchemaWriter schema = new FeatureSchemaWriter();
        for (int f = 0; f < names.length; f++)
        {
            schema.add(names[f], categorical[f] ? FeatureType.CATEGORICAL : FeatureType.NUMERIC, MissingValue.NAN, 0);
        }
        final ArtifactWriter writer = new ArtifactWriter(name, version)
            .addSection(SectionType.FEATURE_SCHEMA, 1, schema.toBytes())
            .metadata(metadata(ensemble, source, names, violations))
            .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, GbdtSectionWriter.toBytes(ensemble));
        if (vectors > 0)
        {
            writer.addSection(SectionType.VERIFICATION_VECTORS, 1, vectors(ensemble, vectors));
        }
        return writer;
    }

    private static byte[] vectors(final TreeEnsemble ensemble, final int count)
    {
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        final VerificationVectorsWriter.Group raw = writer.group(SectionType.GBDT_ENSEMBLE, 0, MODE_RAW,
            ensemble.featureCount(), ensemble.outputCount(), Tolerance.EXACT, 0);
        final VerificationVectorsWriter.Group transformed = writer.group(SectionType.GBDT_ENSEMBLE, 0,
            MODE_TRANSFORMED, ensemble.featureCount(), ensemble.transformedCount(), Tolerance.ULPS, TRANSFORMED_ULPS);
        for (final double[] row : ProbeRows.rows(ensemble, count, 0x5EEDL))
        {
            final double[] margins = new double[ensemble.outputCount()];
            ensemble.predictRaw(row, margins);
            raw.add(row, margins);
            final double[] outputs = new double[ensemble.transformedCount()];
            ensemble.predict(row, outputs);
            transformed.add(row, outputs);
        }
        return writer.toBytes();
    }

    private static String metadata(
        final TreeEnsemble ensemble, final String source, final String[] names,
        final List<MonotoneCheck.Violation> violations)
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("kind", "gbdt");
        root.put("source", source);
        root.put("importedAt", Instant.now().toString());
        final ObjectNode info = root.putObject("model");
        ensemble.info().forEach(info::put);
        root.put("trees", ensemble.trees().length);
        root.put("maxDepth", ensemble.maxDepth());
        root.put("features", ensemble.featureCount());
        root.put("outputs", ensemble.outputCount());
        root.put("precision", ensemble.precision().name());
        root.put("comparison", ensemble.comparison().name());
        root.put("transform", ensemble.transform().name());
        final ObjectNode monotone = root.putObject("monotone");
        final ObjectNode declared = monotone.putObject("declared");
        final int[] directions = ensemble.monotone();
        for (int f = 0; f < directions.length; f++)
        {
            if (directions[f] != 0)
            {
                declared.put(names[f], directions[f]);
            }
        }
        final ArrayNode found = monotone.putArray("violations");
        for (final MonotoneCheck.Violation v : violations)
        {
            found.add(v.toString());
        }
        monotone.put("verified", violations.isEmpty());
        return root.toString();
    }
}
