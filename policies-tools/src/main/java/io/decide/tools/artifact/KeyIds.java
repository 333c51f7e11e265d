package io.decide.tools.artifact;

import io.decide.format.ArtifactLayout;
import io.decide.format.SectionType;
import io.decide.format.signature.ArtifactSignatures;
import io.decide.format.signature.SignatureDescriptor;
import org.agrona.DirectBuffer;

import java.security.PublicKey;

/** Signing-key ids (SHA-256 of the X.509 public key) as lowercase hex, the form every tool prints. */
public final class KeyIds
{
    private KeyIds()
    {
    }

    /**
     * @param key an Ed25519 public key.
     * @return its 64-character key id.
     */
    public static String of(final PublicKey key)
    {
        return hex(ArtifactSignatures.keyId(key));
    }

    /**
     * The key id recorded in an artifact's SIGNATURE section.
     *
     * @param buffer artifact bytes.
     * @param layout its validated layout.
     * @return the 64-character key id, or null when the artifact is not signed.
     */
    public static String ofArtifact(final DirectBuffer buffer, final ArtifactLayout layout)
    {
        final int index = layout.indexOf(SectionType.SIGNATURE, 0);
        if (index < 0)
        {
            return null;
        }
        final byte[] id = new byte[SignatureDescriptor.KEY_ID_LENGTH];
        buffer.getBytes(layout.sectionOffset(index) + SignatureDescriptor.KEY_ID_OFFSET, id);
        return hex(id);
    }

    /**
     * @param bytes any bytes.
     * @return lowercase hex, two characters per byte.
     */
    public static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
