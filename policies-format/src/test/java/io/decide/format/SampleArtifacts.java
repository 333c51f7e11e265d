package io.decide.format;

import io.decide.format.schema.FeatureSchemaDescriptor;
import io.decide.format.schema.FeatureSchemaWriter;
import io.decide.format.schema.FeatureType;
import io.decide.format.schema.MissingValue;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsDescriptor;
import io.decide.format.vectors.VerificationVectorsWriter;

import java.security.KeyPair;

/**
 * The artifacts the policies-format tests start from. {@link #full()} has, in table order: FEATURE_SCHEMA (0),
 * METADATA (1), an unknown section of type {@link #UNKNOWN_TYPE} (2) and VERIFICATION_VECTORS (3).
 */
public final class SampleArtifacts
{
    /** Name of the sample artifacts. */
    public static final String NAME = "sample.policy_v-1";
    /** Artifact version of the sample artifacts. */
    public static final long VERSION = 7;
    /** Creation time of the sample artifacts. */
    public static final long CREATED_MILLIS = 1_700_000_000_123L;
    /** A section type no validator knows. */
    public static final int UNKNOWN_TYPE = 900;
    /** Layout version of the unknown section. */
    public static final int UNKNOWN_VERSION = 77;
    /** Metadata JSON of the sample artifacts. */
    public static final String METADATA = "{\"solver\": \"lp_sorted\", \"rho\": 0.05, \"cohorts\": [1, 2, 3], " +
        "\"note\": \"caf\\u00e9 \u00e9t\u00e9\"}";

    private SampleArtifacts()
    {
    }

    /** @return the feature schema of the sample: one feature of each type, each missing-value kind. */
    public static FeatureSchemaWriter schema()
    {
        return new FeatureSchemaWriter()
            .add("ctr", FeatureType.NUMERIC, MissingValue.NAN, 0.0)
            .add("country", FeatureType.CATEGORICAL, MissingValue.ZERO, 0.0)
            .add("is_new_user", FeatureType.BOOLEAN, MissingValue.NOT_ALLOWED, 0.0)
            .add("pr\u00e9c\u00e9dent_\u4e2d\u6587", FeatureType.NUMERIC, MissingValue.SENTINEL, -1.5);
    }

    /** @return payload of the unknown section: 100 bytes, none zero. */
    public static byte[] unknownPayload()
    {
        final byte[] payload = new byte[100];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(1 + i * 7);
        }
        return payload;
    }

    /** @return a vectors section with one group of two vectors (2 in, 1 out) targeting FEATURE_SCHEMA #0. */
    public static byte[] vectors()
    {
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        writer.group(1, 0, 5, 2, 1, Tolerance.ULPS, 2)
            .add(new double[]{1, 2}, new double[]{3})
            .add(new double[]{-0.5, 4}, new double[]{3.5});
        return writer.toBytes();
    }

    /** @return a writer holding the four sections of the full sample. */
    public static ArtifactWriter fullWriter()
    {
        return new ArtifactWriter(NAME, VERSION)
            .createdMillis(CREATED_MILLIS)
            .addSection(SectionType.FEATURE_SCHEMA, FeatureSchemaDescriptor.VERSION, schema().toBytes())
            .metadata(METADATA)
            .addSection(UNKNOWN_TYPE, UNKNOWN_VERSION, unknownPayload())
            .addSection(SectionType.VERIFICATION_VECTORS, VerificationVectorsDescriptor.VERSION, vectors());
    }

    /** @return the full sample, unsigned. */
    public static byte[] full()
    {
        return fullWriter().toBytes();
    }

    /**
     * @param keys signing keys.
     * @return the full sample signed; the SIGNATURE section is table index 4.
     */
    public static byte[] signed(final KeyPair keys)
    {
        return fullWriter().signWith(keys.getPrivate(), keys.getPublic()).toBytes();
    }

    /**
     * An artifact holding one section.
     *
     * @param type    section type.
     * @param version section layout version.
     * @param bytes   content.
     * @return the artifact.
     */
    public static byte[] single(final int type, final int version, final byte[] bytes)
    {
        return new ArtifactWriter(NAME, VERSION).createdMillis(CREATED_MILLIS).addSection(type, version, bytes)
            .toBytes();
    }
}
