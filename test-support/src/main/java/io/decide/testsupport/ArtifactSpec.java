package io.decide.testsupport;

import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.schema.FeatureSchemaDescriptor;
import io.decide.format.schema.FeatureSchemaWriter;
import io.decide.format.schema.FeatureType;
import io.decide.format.schema.MissingValue;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsDescriptor;
import io.decide.format.vectors.VerificationVectorsWriter;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A valid artifact described field by field, so a round-trip test can compare what a reader got with what was
 * written. {@link #toBytes()} writes the sections in this table order: FEATURE_SCHEMA (when {@code features} is
 * not null), METADATA (when {@code metadataJson} is not null), the unknown sections in list order,
 * VERIFICATION_VECTORS (when {@code vectorGroups} is not empty), then SIGNATURE (when {@code signingKeys} is not
 * null); {@link #sectionTypes()} lists that order. Arrays are shared, not copied: do not change them, and note
 * that {@code equals} compares them by identity.
 *
 * @param name            artifact name, 1..64 characters of [A-Za-z0-9._-].
 * @param version         artifact version, >= 1.
 * @param createdMillis   creation time, >= 0.
 * @param features        the FEATURE_SCHEMA in feature-index order, or null for no FEATURE_SCHEMA section.
 * @param metadataJson    the METADATA JSON object, or null for no METADATA section.
 * @param unknownSections sections of types the built-in validator does not know.
 * @param vectorGroups    verification vector groups, all in one VERIFICATION_VECTORS section; empty for none.
 * @param signingKeys     Ed25519 keys to sign with, or null for an unsigned artifact.
 */
public record ArtifactSpec(
    String name,
    long version,
    long createdMillis,
    List<Feature> features,
    String metadataJson,
    List<Section> unknownSections,
    List<VectorGroup> vectorGroups,
    KeyPair signingKeys)
{
    /**
     * One feature of the schema.
     *
     * @param name     unique name (any valid UTF-8, 1..1024 bytes).
     * @param type     value type.
     * @param missing  missing-value convention.
     * @param sentinel the sentinel when {@code missing} is SENTINEL (finite), else 0.0 (what is stored).
     */
    public record Feature(String name, FeatureType type, MissingValue missing, double sentinel)
    {
    }

    /**
     * A section of a type no built-in rule covers; the validator checks only its bounds and CRC.
     *
     * @param type    section type id.
     * @param version section layout version, 0..65535.
     * @param bytes   content.
     */
    public record Section(int type, int version, byte[] bytes)
    {
        @Override
        public String toString()
        {
            return "Section{type=" + type + ", version=" + version + ", " + bytes.length + " bytes}";
        }
    }

    /**
     * One group of verification vectors.
     *
     * @param targetType     type of the section the vectors exercise.
     * @param targetOrdinal  which section of that type.
     * @param mode           evaluator output selector.
     * @param inputWidth     values per input.
     * @param outputWidth    values per output.
     * @param tolerance      comparison kind.
     * @param toleranceValue bound for the kind.
     * @param inputs         inputs, {@code inputWidth} values each.
     * @param expected       expected outputs, {@code outputWidth} values each, one per input.
     */
    public record VectorGroup(
        int targetType,
        int targetOrdinal,
        int mode,
        int inputWidth,
        int outputWidth,
        Tolerance tolerance,
        double toleranceValue,
        double[][] inputs,
        double[][] expected)
    {
        @Override
        public String toString()
        {
            return "VectorGroup{target=" + SectionType.name(targetType) + " #" + targetOrdinal + ", mode=" + mode +
                ", " + inputWidth + "->" + outputWidth + ", " + tolerance + " " + toleranceValue + ", " +
                inputs.length + " vectors}";
        }
    }

    /**
     * Check the parts that cannot be null and freeze the lists.
     *
     * @param name            artifact name.
     * @param version         artifact version.
     * @param createdMillis   creation time.
     * @param features        features or null.
     * @param metadataJson    metadata or null.
     * @param unknownSections unknown sections.
     * @param vectorGroups    vector groups.
     * @param signingKeys     keys or null.
     */
    public ArtifactSpec
    {
        Objects.requireNonNull(name, "name");
        features = features == null ? null : List.copyOf(features);
        unknownSections = List.copyOf(unknownSections);
        vectorGroups = List.copyOf(vectorGroups);
    }

    /** @return whether the artifact is signed. */
    public boolean signed()
    {
        return signingKeys != null;
    }

    /** @return section type ids in table order, as {@link #toBytes()} lays them out. */
    public int[] sectionTypes()
    {
        final List<Integer> types = new ArrayList<>();
        if (features != null)
        {
            types.add(SectionType.FEATURE_SCHEMA);
        }
        if (metadataJson != null)
        {
            types.add(SectionType.METADATA);
        }
        for (final Section section : unknownSections)
        {
            types.add(section.type());
        }
        if (!vectorGroups.isEmpty())
        {
            types.add(SectionType.VERIFICATION_VECTORS);
        }
        if (signingKeys != null)
        {
            types.add(SectionType.SIGNATURE);
        }
        return types.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the FEATURE_SCHEMA section content; an empty schema when {@code features} is null. */
    public byte[] featureSchemaBytes()
    {
        final FeatureSchemaWriter writer = new FeatureSchemaWriter();
        if (features != null)
        {
            for (final Feature feature : features)
            {
                writer.add(feature.name(), feature.type(), feature.missing(), feature.sentinel());
            }
        }
        return writer.toBytes();
    }

    /** @return the VERIFICATION_VECTORS section content. */
    public byte[] vectorBytes()
    {
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        for (final VectorGroup g : vectorGroups)
        {
            final VerificationVectorsWriter.Group group = writer.group(g.targetType(), g.targetOrdinal(), g.mode(),
                g.inputWidth(), g.outputWidth(), g.tolerance(), g.toleranceValue());
            for (int v = 0; v < g.inputs().length; v++)
            {
                group.add(g.inputs()[v], g.expected()[v]);
            }
        }
        return writer.toBytes();
    }

    /** @return a writer holding this artifact. */
    public ArtifactWriter writer()
    {
        final ArtifactWriter writer = new ArtifactWriter(name, version).createdMillis(createdMillis);
        if (features != null)
        {
            writer.addSection(SectionType.FEATURE_SCHEMA, FeatureSchemaDescriptor.VERSION, featureSchemaBytes());
        }
        if (metadataJson != null)
        {
            writer.metadata(metadataJson);
        }
        for (final Section section : unknownSections)
        {
            writer.addSection(section.type(), section.version(), section.bytes());
        }
        if (!vectorGroups.isEmpty())
        {
            writer.addSection(SectionType.VERIFICATION_VECTORS, VerificationVectorsDescriptor.VERSION, vectorBytes());
        }
        if (signingKeys != null)
        {
            writer.signWith(signingKeys.getPrivate(), signingKeys.getPublic());
        }
        return writer;
    }

    /** @return the artifact's bytes, written by {@link ArtifactWriter}; the same bytes on every call. */
    public byte[] toBytes()
    {
        return writer().toBytes();
    }

    @Override
    public String toString()
    {
        return "ArtifactSpec{name=" + name + ", version=" + version + ", createdMillis=" + createdMillis +
            ", features=" + features + ", metadataJson=" + metadataJson + ", unknownSections=" + unknownSections +
            ", vectorGroups=" + vectorGroups + ", signed=" + signed() + '}';
    }
}
