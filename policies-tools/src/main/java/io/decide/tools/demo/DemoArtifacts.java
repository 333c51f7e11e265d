package io.decide.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.schema.FeatureSchemaWriter;
import io.decide.format.schema.FeatureType;
import io.decide.format.schema.MissingValue;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VectorEvaluator;
import io.decide.format.vectors.VerificationVectorsWriter;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The demo's artifact {@value #NAME}: a FEATURE_SCHEMA, METADATA with provenance, a payload section of the
 * unknown type {@value #PAYLOAD_TYPE} holding {@value #PAYLOAD_LONGS} little-endian longs that all equal the
 * artifact version (so a reader that sees two versions at once sees a torn read), and VERIFICATION_VECTORS that
 * replay a few payload slots through {@link #payloadEvaluator} at load.
 */
public final class DemoArtifacts
{
    /** Artifact name. */
    public static final String NAME = "demo";
    /** Section type of the payload: outside the reserved ids, so the validator checks only bounds and CRC. */
    public static final int PAYLOAD_TYPE = 1000;
    /** Layout version of the payload section. */
    public static final int PAYLOAD_VERSION = 1;
    /** Longs in the payload (32 KiB). */
    public static final int PAYLOAD_LONGS = 4096;
    /** Payload slots the verification vectors check. */
    private static final int[] CHECKED_SLOTS = {0, 1, PAYLOAD_LONGS / 2, PAYLOAD_LONGS - 1};

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair signer;

    /**
     * @param signer the key pair that signs every artifact published with {@code signed = true}.
     */
    public DemoArtifacts(final KeyPair signer)
    {
        this.signer = signer;
    }

    /** @return the signing key pair. */
    public KeyPair signer()
    {
        return signer;
    }

    /**
     * @param version artifact version.
     * @return the conventional file name, {@code demo-vN.dpol}.
     */
    public static String fileName(final long version)
    {
        return NAME + "-v" + version + ".dpol";
    }

    /**
     * Load options for a registry serving the demo: signatures by {@code trusted} required, payload evaluator
     * registered for verification replay.
     *
     * @param trusted the only trusted key.
     * @return options.
     */
    public static LoadOptions loadOptions(final PublicKey trusted)
    {
        return LoadOptions.defaults()
            .withTrustedKeys(List.of(trusted))
            .withEvaluators(PAYLOAD_TYPE, DemoArtifacts::payloadEvaluator);
    }

    /**
     * Evaluator for verification vectors aimed at the payload: input 0 is a slot index, output 0 the long in that
     * slot (NaN for an index outside the payload, which fails the vector).
     *
     * @param artifact     the artifact being loaded.
     * @param sectionIndex table index of its payload section.
     * @return the evaluator.
     */
    public static VectorEvaluator payloadEvaluator(final LoadedArtifact artifact, final int sectionIndex)
    {
        final DirectBuffer buffer = artifact.buffer();
        final int offset = artifact.layout().sectionOffset(sectionIndex);
        final int slots = artifact.layout().sectionLength(sectionIndex) / Long.BYTES;
        return (mode, input, output) ->
        {
            final double slot = input[0];
            output[0] = slot >= 0 && slot < slots && slot == Math.rint(slot) ?
                buffer.getLong(offset + Long.BYTES * (int)slot, LITTLE_ENDIAN) : Double.NaN;
        };
    }

    /**
     * The bytes of version {@code version} with the standard payload.
     *
     * @param version artifact version.
     * @param signed  whether to sign with {@link #signer()}.
     * @return artifact bytes.
     */
    public byte[] bytes(final long version, final boolean signed)
    {
        final long[] payload = new long[PAYLOAD_LONGS];
        Arrays.fill(payload, version);
        return bytes(version, signed, payload);
    }

    /**
     * The bytes of an artifact with a given payload; the verification vectors expect the version in the checked
     * slots, so a payload that differs there is refused at load.
     *
     * @param version artifact version.
     * @param signed  whether to sign with {@link #signer()}.
     * @param payload the longs of the payload section.
     * @return artifact bytes.
     */
    public byte[] bytes(final long version, final boolean signed, final long[] payload)
    {
        final ByteBuffer longs = ByteBuffer.allocate(payload.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (final long value : payload)
        {
            longs.putLong(value);
        }
        final VerificationVectorsWriter vectors = new VerificationVectorsWriter();
        final VerificationVectorsWriter.Group group =
            vectors.group(PAYLOAD_TYPE, 0, 0, 1, 1, Tolerance.EXACT, 0.0);
        for (final int slot : CHECKED_SLOTS)
        {
            group.add(new double[]{slot}, new double[]{version});
        }
        final long createdMillis = System.currentTimeMillis();
        final ArtifactWriter writer = new ArtifactWriter(NAME, version)
            .createdMillis(createdMillis)
            .addSection(SectionType.FEATURE_SCHEMA, 1, featureSchema())
            .metadata(metadata(version, createdMillis, payload.length))
            .addSection(PAYLOAD_TYPE, PAYLOAD_VERSION, longs.array())
            .addSection(SectionType.VERIFICATION_VECTORS, 1, vectors.toBytes());
        if (signed)
        {
            writer.signWith(signer.getPrivate(), signer.getPublic());
        }
        return writer.toBytes();
    }

    /**
     * Write version {@code version} into {@code directory} atomically.
     *
     * @param directory policy directory.
     * @param version   artifact version.
     * @param signed    whether to sign it.
     * @return the file.
     * @throws IOException on write failure.
     */
    public Path publish(final Path directory, final long version, final boolean signed) throws IOException
    {
        return ArtifactWriter.writeAtomically(directory.resolve(fileName(version)), bytes(version, signed));
    }

    private static byte[] featureSchema()
    {
        return new FeatureSchemaWriter()
            .numeric("user_age")
            .add("country", FeatureType.CATEGORICAL, MissingValue.SENTINEL, -1.0)
            .add("is_subscriber", FeatureType.BOOLEAN, MissingValue.ZERO, 0.0)
            .add("session_depth", FeatureType.NUMERIC, MissingValue.NOT_ALLOWED, 0.0)
            .toBytes();
    }

    private static String metadata(final long version, final long createdMillis, final int payloadLongs)
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("description", "decide demo artifact: a payload of longs equal to the artifact version");
        final ObjectNode provenance = root.putObject("provenance");
        provenance.put("producer", "decide demo");
        provenance.put("generator", DemoArtifacts.class.getName());
        provenance.put("created", Instant.ofEpochMilli(createdMillis).toString());
        provenance.put("source", "synthetic");
        final ObjectNode payload = root.putObject("payload");
        payload.put("section_type", PAYLOAD_TYPE);
        payload.put("longs", payloadLongs);
        payload.put("value", version);
        return root.toString();
    }
}
