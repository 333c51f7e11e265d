package io.decide.format.signature;

import io.decide.format.ArtifactDescriptor;
import io.decide.format.Checksums;
import io.decide.format.SectionTableDescriptor;
import org.agrona.DirectBuffer;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Ed25519 signing and verification of artifacts (JDK built-in provider). The message signed is the artifact
 * digest defined in {@link SignatureDescriptor}.
 */
public final class ArtifactSignatures
{
    /** JCA name of the algorithm. */
    public static final String ALGORITHM = "Ed25519";

    private ArtifactSignatures()
    {
    }

    /**
     * Key id: SHA-256 of the key's X.509 SubjectPublicKeyInfo encoding.
     *
     * @param key public key.
     * @return 32 bytes.
     */
    public static byte[] keyId(final PublicKey key)
    {
        return sha256().digest(key.getEncoded());
    }

    /**
     * The artifact digest that the signature covers.
     *
     * @param buffer           artifact bytes.
     * @param tableOffset      section table offset.
     * @param signatureIndex   table index of the SIGNATURE section.
     * @param signatureOffset  file offset of the SIGNATURE section.
     * @return SHA-256 digest.
     */
    public static byte[] digest(
        final DirectBuffer buffer, final int tableOffset, final int signatureIndex, final int signatureOffset)
    {
        final MessageDigest md = sha256();
        final int crcHole = ArtifactDescriptor.FILE_CRC_OFFSET;
        final int entryHole = SectionTableDescriptor.entryOffset(tableOffset, signatureIndex) +
            SectionTableDescriptor.CRC_OFFSET;
        final byte[] zeros = new byte[4];
        Checksums.digest(md, buffer, 0, crcHole);
        md.update(zeros);
        Checksums.digest(md, buffer, crcHole + 4, entryHole - crcHole - 4);
        md.update(zeros);
        Checksums.digest(md, buffer, entryHole + 4, signatureOffset - entryHole - 4);
        return md.digest();
    }

    /**
     * Sign a digest.
     *
     * @param key    Ed25519 private key.
     * @param digest artifact digest.
     * @return 64-byte signature.
     */
    public static byte[] sign(final PrivateKey key, final byte[] digest)
    {
        try
        {
            final Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(digest);
            return signature.sign();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("cannot sign with " + key.getAlgorithm() + " key: " + ex.getMessage(), ex);
        }
    }

    /**
     * Verify a signature.
     *
     * @param key       Ed25519 public key.
     * @param digest    artifact digest.
     * @param signature signature bytes.
     * @return whether it verifies.
     */
    public static boolean verify(final PublicKey key, final byte[] digest, final byte[] signature)
    {
        try
        {
            final Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(digest);
            return verifier.verify(signature);
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 missing from this JDK", ex);
        }
    }
}
