package io.decide.tools.artifact;

import io.decide.format.ArtifactDescriptor;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactHeaderFlyweight;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;

/**
 * Re-writes a valid artifact signed: same name, version, creation time, and the same sections (type, layout
 * version, bytes) in the same order, minus any existing SIGNATURE, then a new signature. The result is validated
 * with the public key before it is returned, so a caller never publishes an artifact that would not load.
 */
public final class ArtifactSigner
{
    private ArtifactSigner()
    {
    }

    /**
     * Sign an artifact.
     *
     * @param file       the validated artifact.
     * @param privateKey Ed25519 private key.
     * @param publicKey  its public key (recorded as the key id, and used to check the result).
     * @return the signed artifact's bytes.
     * @throws ArtifactFormatException when the artifact uses a newer header than this writer produces, so
     *                                 re-writing it would drop fields this tool does not know.
     */
    public static byte[] sign(final ArtifactFile file, final PrivateKey privateKey, final PublicKey publicKey)
    {
        final String source = file.path().toString();
        final ArtifactLayout layout = file.layout();
        final long headerLength = new ArtifactHeaderFlyweight().wrap(file.buffer()).headerLength();
        if (layout.minor() > ArtifactDescriptor.MINOR_VERSION || headerLength != ArtifactDescriptor.HEADER_LENGTH)
        {
            throw new ArtifactFormatException(source, "header", ArtifactDescriptor.MINOR_OFFSET, "format " +
                layout.major() + "." + layout.minor() + " with a " + headerLength + "-byte header is newer than " +
                "this tool writes (" + ArtifactDescriptor.MAJOR_VERSION + "." + ArtifactDescriptor.MINOR_VERSION +
                ", " + ArtifactDescriptor.HEADER_LENGTH + " bytes); re-signing it would drop header fields");
        }
        final ArtifactWriter writer = new ArtifactWriter(layout.name(), layout.version())
            .createdMillis(layout.createdMillis());
        for (int i = 0; i < layout.sectionCount(); i++)
        {
            if (layout.sectionType(i) != SectionType.SIGNATURE)
            {
                writer.addSection(layout.sectionType(i), layout.sectionVersion(i), file.sectionBytes(i));
            }
        }
        final byte[] signed = writer.signWith(privateKey, publicKey).toBytes();
        final ArtifactLayout check = new ArtifactValidator(List.of(publicKey))
            .validate(source + " (signed copy)", new UnsafeBuffer(signed), signed.length);
        if (!check.signatureVerified())
        {
            throw new IllegalStateException(source + ": the signed copy did not verify with the given public key");
        }
        return signed;
    }
}
