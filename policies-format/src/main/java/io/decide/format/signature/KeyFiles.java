package io.decide.format.signature;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys as PEM files: public keys as X.509 {@code PUBLIC KEY}, private keys as PKCS#8 {@code PRIVATE KEY}
 * (the same encodings {@code openssl genpkey -algorithm ed25519} writes).
 */
public final class KeyFiles
{
    private static final String PUBLIC = "PUBLIC KEY";
    private static final String PRIVATE = "PRIVATE KEY";

    private KeyFiles()
    {
    }

    /** @return a fresh Ed25519 key pair. */
    public static KeyPair generate()
    {
        try
        {
            return KeyPairGenerator.getInstance(ArtifactSignatures.ALGORITHM).generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("Ed25519 missing from this JDK", ex);
        }
    }

    /**
     * Read a PEM public key.
     *
     * @param file PEM file.
     * @return the key.
     * @throws IOException when the file cannot be read or is not an Ed25519 public key (message names the file).
     */
    public static PublicKey readPublic(final Path file) throws IOException
    {
        try
        {
            return KeyFactory.getInstance(ArtifactSignatures.ALGORITHM)
                .generatePublic(new X509EncodedKeySpec(pem(file, PUBLIC)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(file + ": not an Ed25519 public key: " + ex.getMessage(), ex);
        }
    }

    /**
     * Read a PEM private key.
     *
     * @param file PEM file.
     * @return the key.
     * @throws IOException when the file cannot be read or is not an Ed25519 private key.
     */
    public static PrivateKey readPrivate(final Path file) throws IOException
    {
        try
        {
            return KeyFactory.getInstance(ArtifactSignatures.ALGORITHM)
                .generatePrivate(new PKCS8EncodedKeySpec(pem(file, PRIVATE)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(file + ": not an Ed25519 private key: " + ex.getMessage(), ex);
        }
    }

    /**
     * Write a key pair: {@code prefix.pub.pem} (mode 0644) and {@code prefix.pem} (mode 0600).
     *
     * @param pair   keys.
     * @param prefix path prefix.
     * @throws IOException on write failure.
     */
    public static void write(final KeyPair pair, final Path prefix) throws IOException
    {
        final Path privateFile = prefix.resolveSibling(prefix.getFileName() + ".pem");
        final Path publicFile = prefix.resolveSibling(prefix.getFileName() + ".pub.pem");
        if (publicFile.toAbsolutePath().getParent() != null)
        {
            Files.createDirectories(publicFile.toAbsolutePath().getParent());
        }
        Files.writeString(publicFile, toPem(PUBLIC, pair.getPublic().getEncoded()));
        Files.deleteIfExists(privateFile);
        Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateFile, toPem(PRIVATE, pair.getPrivate().getEncoded()));
    }

    private static String toPem(final String label, final byte[] der)
    {
        return "-----BEGIN " + label + "-----\n" +
            Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) +
            "\n-----END " + label + "-----\n";
    }

    private static byte[] pem(final Path file, final String label) throws IOException
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (final CharacterCodingException ex)
        {
            throw new IOException(file + ": not a PEM text file (non-ASCII bytes)", ex);
        }
        final String begin = "-----BEGIN " + label + "-----";
        final String end = "-----END " + label + "-----";
        final int from = text.indexOf(begin);
        final int to = text.indexOf(end);
        if (from < 0 || to < from)
        {
            throw new IOException(file + ": expected a PEM block '" + begin + "'");
        }
        try
        {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": PEM body is not base64: " + ex.getMessage(), ex);
        }
    }
}
