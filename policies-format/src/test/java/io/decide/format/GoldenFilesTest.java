package io.decide.format;

import io.decide.format.schema.FeatureSchema;
import io.decide.format.schema.FeatureSchemaWriter;
import io.decide.format.schema.FeatureType;
import io.decide.format.schema.MissingValue;
import io.decide.format.signature.KeyFiles;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationReplay;
import io.decide.format.vectors.VerificationVectorsWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Golden files of every released format version: files written by the writer of that version, kept forever. Each
 * must still validate and read back field by field, and today's writer must still produce the same bytes for the
 * same recipe. Never disable or regenerate these; a new format version adds new files. (To create the files of a
 * new version once: {@code -Ddecide.golden.write=true}.)
 */
class GoldenFilesTest
{
    private static final Path DIR = Path.of("src/test/resources/golden/1.0");
    private static final long CREATED = 1_767_225_600_000L;

    private static ArtifactWriter recipe(final boolean signed) throws IOException
    {
        final FeatureSchemaWriter schema = new FeatureSchemaWriter()
            .numeric("age")
            .add("country", FeatureType.CATEGORICAL, MissingValue.SENTINEL, -1)
            .add("is_new_user", FeatureType.BOOLEAN, MissingValue.ZERO, 0)
            .add("fatigue_\u00e9t\u00e9", FeatureType.NUMERIC, MissingValue.NOT_ALLOWED, 0);
        final VerificationVectorsWriter vectors = new VerificationVectorsWriter();
        vectors.group(SectionType.FEATURE_SCHEMA, 0, 7, 2, 1, Tolerance.ULPS, 4)
            .add(new double[]{1.5, Double.NaN}, new double[]{-0.0})
            .add(new double[]{Double.POSITIVE_INFINITY, 3}, new double[]{Double.MIN_VALUE});
        final ArtifactWriter writer = new ArtifactWriter(signed ? "golden.signed" : "golden", 42)
            .createdMillis(CREATED)
            .addSection(SectionType.FEATURE_SCHEMA, 1, schema.toBytes())
            .metadata("{\"producer\":\"golden\",\"format\":\"1.0\",\"nested\":{\"list\":[1,2.5e-3,null,true]}}")
            .addSection(900, 3, new byte[]{1, 2, 3, 4, 5})
            .addSection(SectionType.VERIFICATION_VECTORS, 1, vectors.toBytes());
        if (signed)
        {
            final PrivateKey key = KeyFiles.readPrivate(DIR.resolve("golden-signer.pem"));
            writer.signWith(key, KeyFiles.readPublic(DIR.resolve("golden-signer.pub.pem")));
        }
        return writer;
    }

    @Test
    void unsignedGoldenFileReadsBack() throws IOException
    {
        check("golden.dpol", false);
    }

    @Test
    void signedGoldenFileReadsBackAndVerifies() throws IOException
    {
        check("golden-signed.dpol", true);
    }

    private static void check(final String fileName, final boolean signed) throws IOException
    {
        final Path file = DIR.resolve(fileName);
        final byte[] expected = recipe(signed).toBytes();
        final byte[] golden = ArtifactBytes.golden(file, expected);
        final PublicKey key = KeyFiles.readPublic(DIR.resolve("golden-signer.pub.pem"));
        final ArtifactValidator validator = signed ? new ArtifactValidator(List.of(key)) : new ArtifactValidator();
        final UnsafeBuffer buffer = new UnsafeBuffer(golden);
        final ArtifactLayout layout = validator.validate(fileName, buffer, golden.length);

        assertEquals(signed ? "golden.signed" : "golden", layout.name());
        assertEquals(42, layout.version());
        assertEquals(CREATED, layout.createdMillis());
        assertEquals(1, layout.major());
        assertEquals(0, layout.minor());
        assertEquals(signed, layout.signatureVerified());
        assertEquals(signed ? 5 : 4, layout.sectionCount());
        final FeatureSchema schema = FeatureSchema.read(buffer, layout.sectionOffset(0));
        assertEquals(4, schema.size());
        assertEquals(3, schema.indexOf("fatigue_\u00e9t\u00e9"));
        assertEquals(MissingValue.SENTINEL, schema.missing(1));
        assertEquals(-1.0, schema.sentinel(1));
        assertEquals(FeatureType.BOOLEAN, schema.type(2));
        assertTrue(Utf8.decodeStrict(buffer, layout.sectionOffset(1), layout.sectionLength(1))
            .contains("\"nested\":{\"list\":[1,2.5e-3,null,true]}"));
        assertEquals(900, layout.sectionType(2));
        assertEquals(3, layout.sectionVersion(2));
        final VerificationReplay.Result replay = VerificationReplay.replay(fileName, buffer, layout,
            (type, ordinal, index) -> (mode, in, out) ->
            {
                assertEquals(7, mode);
                out[0] = Double.isNaN(in[1]) ? -0.0 : Double.MIN_VALUE;
            });
        assertEquals(2, replay.vectorsChecked());

        assertArrayEquals(expected, golden, "today's writer must produce the released 1.0 bytes for the same recipe");
    }
}
