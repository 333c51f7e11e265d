package io.decide.format.signature;

import io.decide.format.ArtifactDescriptor;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SampleArtifacts;
import io.decide.format.SectionTableDescriptor;
import io.decide.format.SectionType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;

import static io.decide.format.ArtifactBytes.*;
import static io.decide.format.signature.SignatureDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * SIGNATURE sections: structure ({@link SignatureValidator}), verification against configured keys
 * ({@link ArtifactValidator}), the digest definition of {@link SignatureDescriptor}, and key files. Tampering
 * tests recompute every CRC, so the signature is what refuses.
 */
final class SignatureTest
{
    private static final KeyPair A = KeyFiles.generate();
    private static final KeyPair B = KeyFiles.generate();
    private static final byte[] SIGNED = SampleArtifacts.signed(A);
    private static final int SIGNATURE_INDEX = 4;
    private static final int AT = sectionOffset(SIGNED, SIGNATURE_INDEX);
    private static final String LABEL = "SIGNATURE #0";

    private static ArtifactValidator trusting(final KeyPair... keys)
    {
        return new ArtifactValidator(Arrays.stream(keys).map(KeyPair::getPublic).toList());
    }

    private static ArtifactLayout validateWith(final ArtifactValidator validator, final byte[] bytes)
    {
        return validator.validate(SOURCE, new UnsafeBuffer(bytes), bytes.length);
    }

    @Test
    void signedArtifactsVerifyWithTheirKey()
    {
        assertEquals(SectionType.SIGNATURE, sectionType(SIGNED, SIGNATURE_INDEX));
        assertEquals(SIGNED.length, AT + SECTION_LENGTH, "the signature ends the file");
        final ArtifactValidator validator = trusting(A);
        assertTrue(validator.requiresSignature());
        final ArtifactLayout layout = validateWith(validator, SIGNED);
        assertTrue(layout.signed());
        assertTrue(layout.signatureVerified());
        assertTrue(validateWith(trusting(B, A), SIGNED).signatureVerified(), "the key is chosen by its id");
    }

    @Test
    void withoutKeysSignaturesAreCheckedForShapeOnly()
    {
        final ArtifactValidator validator = new ArtifactValidator();
        assertFalse(validator.requiresSignature());
        final ArtifactLayout signed = validateWith(validator, SIGNED);
        assertTrue(signed.signed());
        assertFalse(signed.signatureVerified());
        final ArtifactLayout unsigned = validateWith(validator, SampleArtifacts.full());
        assertFalse(unsigned.signed());
        assertFalse(unsigned.signatureVerified());
        // Without a key even a forged signature passes: only its structure is checked.
        validateWith(validator, mutated(SIGNED, b -> b[AT + SIGNATURE_OFFSET] ^= 1));
    }

    @Test
    void unsignedArtifactsAreRefusedWhenAKeyIsConfigured()
    {
        assertRefused(trusting(A), SampleArtifacts.full(), "file", -1,
            "artifact is not signed, and a public key is configured so a valid signature is required");
    }

    @Test
    void aSignatureByAnotherKeyIsRefused()
    {
        assertRefused(trusting(B), SIGNED, LABEL, AT + KEY_ID_OFFSET,
            "signed by key " + hex(ArtifactSignatures.keyId(A.getPublic())).substring(0, 16) +
            "..., which is not a configured public key");
    }

    @Test
    void aChangedByteAnywhereIsRefusedEvenWithConsistentCrcs()
    {
        final ArtifactValidator shape = new ArtifactValidator();
        final ArtifactValidator keyed = trusting(A);
        final int signatureEntryCrc = entryOffset(SIGNED, SIGNATURE_INDEX) + SectionTableDescriptor.CRC_OFFSET;
        int structurallyValid = 0;
        for (int at = 0; at < SIGNED.length; at++)
        {
            final int fileCrc = ArtifactDescriptor.FILE_CRC_OFFSET;
            final boolean crcField = (at >= fileCrc && at < fileCrc + 4) ||
                (at >= signatureEntryCrc && at < signatureEntryCrc + 4);
            final boolean keyId = at >= AT + KEY_ID_OFFSET && at < AT + SIGNATURE_OFFSET;
            if (crcField || keyId)
            {
                continue;
            }
            final int position = at;
            final byte[] tampered = mutated(SIGNED, b -> b[position] ^= 0x04);
            if (Arrays.equals(SIGNED, tampered))
            {
                continue; // a section CRC field: recomputing the CRCs undid the change
            }
            try
            {
                validateWith(shape, tampered);
            }
            catch (final RuntimeException structurallyInvalid)
            {
                continue;
            }
            structurallyValid++;
            try
            {
                validateWith(keyed, tampered);
                fail("byte " + position + " of " + SIGNED.length + " (signature section at " + AT +
                    ") changed and the signature still verifies");
            }
            catch (final io.decide.format.ArtifactFormatException expected)
            {
                // checked precisely below
            }
            final int signatureType = entryOffset(SIGNED, SIGNATURE_INDEX) + SectionTableDescriptor.TYPE_OFFSET;
            if (position == signatureType || position == signatureType + 1)
            {
                assertRefused(keyed, tampered, "file", -1, "artifact is not signed");
            }
            else
            {
                assertRefused(keyed, tampered, LABEL, AT + SIGNATURE_OFFSET,
                    "Ed25519 signature does not verify: the artifact was changed after signing or signed differently");
            }
        }
        assertTrue(structurallyValid > 300, "most single-byte changes should pass the structural checks, got " +
            structurallyValid);
    }

    @Test
    void namedTamperingIsRefused()
    {
        final String reason = "signature does not verify";
        final int unknown = sectionOffset(SIGNED, 2);
        assertRefused(trusting(A), mutated(SIGNED, b -> b[unknown + 10] = 0), LABEL, AT + SIGNATURE_OFFSET, reason);
        assertRefused(trusting(A), mutated(SIGNED, b -> putLong(b, ArtifactDescriptor.CREATED_MILLIS_OFFSET, 0)),
            LABEL, AT + SIGNATURE_OFFSET, reason);
        assertRefused(trusting(A), mutated(SIGNED, b -> putLong(b, ArtifactDescriptor.ARTIFACT_VERSION_OFFSET, 8)),
            LABEL, AT + SIGNATURE_OFFSET, reason);
        assertRefused(trusting(A), mutated(SIGNED, b -> putShort(b, ArtifactDescriptor.MINOR_OFFSET, 1)),
            LABEL, AT + SIGNATURE_OFFSET, reason);
        assertRefused(trusting(A), mutated(SIGNED,
            b -> putShort(b, entryOffset(b, 2) + SectionTableDescriptor.SECTION_VERSION_OFFSET, 78)),
            LABEL, AT + SIGNATURE_OFFSET, reason);
        assertRefused(trusting(A), mutated(SIGNED, b -> b[AT + SIGNATURE_OFFSET + 63] ^= (byte)0x80),
            LABEL, AT + SIGNATURE_OFFSET, reason);
    }

    @Test
    void aKeyIdSwappedToAnotherTrustedKeyIsRefused()
    {
        final byte[] swapped = mutated(SIGNED, b -> System.arraycopy(ArtifactSignatures.keyId(B.getPublic()), 0, b,
            AT + KEY_ID_OFFSET, KEY_ID_LENGTH));
        assertRefused(trusting(A, B), swapped, LABEL, AT + SIGNATURE_OFFSET, "signature does not verify");
        assertRefused(trusting(A), swapped, LABEL, AT + KEY_ID_OFFSET, "not a configured public key");
    }

    @Test
    void anArtifactReSignedByAnotherKeyVerifiesOnlyWithThatKey()
    {
        final byte[] byB = SampleArtifacts.signed(B);
        assertEquals(SIGNED.length, byB.length);
        validateWith(trusting(B), byB);
        assertRefused(trusting(A), byB, LABEL, AT + KEY_ID_OFFSET, "not a configured public key");
    }

    @Test
    void theDigestIsSha256OfEverythingBeforeTheSectionWithTwoCrcFieldsZeroed() throws Exception
    {
        final byte[] message = Arrays.copyOf(SIGNED, AT);
        Arrays.fill(message, ArtifactDescriptor.FILE_CRC_OFFSET, ArtifactDescriptor.FILE_CRC_OFFSET + 4, (byte)0);
        final int entryCrc = entryOffset(SIGNED, SIGNATURE_INDEX) + SectionTableDescriptor.CRC_OFFSET;
        Arrays.fill(message, entryCrc, entryCrc + 4, (byte)0);
        final byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
        assertArrayEquals(digest, ArtifactSignatures.digest(new UnsafeBuffer(SIGNED), tableOffset(SIGNED),
            SIGNATURE_INDEX, AT));

        final Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(A.getPublic());
        verifier.update(digest);
        assertTrue(verifier.verify(Arrays.copyOfRange(SIGNED, AT + SIGNATURE_OFFSET, AT + SECTION_LENGTH)));

        assertEquals(ALGORITHM_ED25519, getShort(SIGNED, AT + ALGORITHM_OFFSET));
        assertEquals(0, getShort(SIGNED, AT + RESERVED_OFFSET));
        assertEquals(ED25519_SIGNATURE_LENGTH, getInt(SIGNED, AT + SIGNATURE_LENGTH_OFFSET));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(A.getPublic().getEncoded()),
            Arrays.copyOfRange(SIGNED, AT + KEY_ID_OFFSET, AT + SIGNATURE_OFFSET));
        assertArrayEquals(SIGNED, SampleArtifacts.signed(A), "Ed25519 signing is deterministic");
    }

    @Test
    void signAndVerifyAgree()
    {
        final byte[] digest = new byte[32];
        digest[0] = 1;
        final byte[] signature = ArtifactSignatures.sign(A.getPrivate(), digest);
        assertEquals(ED25519_SIGNATURE_LENGTH, signature.length);
        assertTrue(ArtifactSignatures.verify(A.getPublic(), digest, signature));
        assertFalse(ArtifactSignatures.verify(B.getPublic(), digest, signature));
        digest[0] = 2;
        assertFalse(ArtifactSignatures.verify(A.getPublic(), digest, signature));
        assertFalse(ArtifactSignatures.verify(A.getPublic(), digest, new byte[3]));
    }

    @Test
    void refusesAnUnknownAlgorithmOrBadStructure()
    {
        for (final ArtifactValidator validator : List.of(new ArtifactValidator(), trusting(A)))
        {
            assertRefused(validator, mutated(SIGNED, b -> putShort(b, AT + ALGORITHM_OFFSET, 2)), LABEL,
                AT + ALGORITHM_OFFSET, "unknown signature algorithm 2, expected 1 (Ed25519)");
            assertRefused(validator, mutated(SIGNED, b -> b[AT + RESERVED_OFFSET + 1] = 1), LABEL,
                AT + RESERVED_OFFSET, "reserved field must be 0");
            assertRefused(validator, mutated(SIGNED, b -> putInt(b, AT + SIGNATURE_LENGTH_OFFSET, 63)), LABEL,
                AT + SIGNATURE_LENGTH_OFFSET, "signature length 63, expected 64");
        }
    }

    /** A section that is a well-formed signature body of {@code length} bytes, for relabelling as SIGNATURE. */
    private static byte[] signatureBody(final int length)
    {
        final byte[] body = new byte[length];
        putShort(body, ALGORITHM_OFFSET, ALGORITHM_ED25519);
        putInt(body, SIGNATURE_LENGTH_OFFSET, ED25519_SIGNATURE_LENGTH);
        return body;
    }

    private static byte[] relabelled(final byte[] bytes, final int index)
    {
        return mutated(bytes, b -> putShort(b, entryOffset(b, index) + SectionTableDescriptor.TYPE_OFFSET,
            SectionType.SIGNATURE));
    }

    @Test
    void refusesASignatureSectionOfTheWrongLength()
    {
        final byte[] bytes = relabelled(new ArtifactWriter("sig", 1).addSection(950, 1, signatureBody(112))
            .toBytes(), 0);
        assertRefused(bytes, LABEL, sectionOffset(bytes, 0), "section is 112 bytes, expected 104");
    }

    @Test
    void refusesASignatureThatDoesNotEndTheFile()
    {
        final byte[] bytes = relabelled(new ArtifactWriter("sig", 1).addSection(950, 1, signatureBody(SECTION_LENGTH))
            .addSection(951, 1, new byte[]{1, 2, 3}).toBytes(), 0);
        final byte[] last = relabelled(new ArtifactWriter("sig", 1).addSection(950, 1, signatureBody(SECTION_LENGTH))
            .toBytes(), 0);
        assertTrue(validateWith(new ArtifactValidator(), last).signed(), "the same body at the end is well formed");
        final int follow = bytes.length - sectionOffset(bytes, 0) - SECTION_LENGTH;
        assertRefused(bytes, LABEL, sectionOffset(bytes, 0), "signature must be the last bytes of the file, but " +
            follow + " bytes follow it");
    }

    @Test
    void refusesTwoSignatureSectionsAndUnknownSignatureVersions()
    {
        // Table entry 0 describes the real signature at the end of the file, entry 1 a second one before it.
        final byte[] written = new ArtifactWriter("sig", 1).addSection(950, 1, signatureBody(SECTION_LENGTH))
            .signWith(A.getPrivate(), A.getPublic()).toBytes();
        final byte[] two = mutated(written, b ->
        {
            final byte[] first = Arrays.copyOfRange(b, entryOffset(b, 0), entryOffset(b, 1));
            System.arraycopy(b, entryOffset(b, 1), b, entryOffset(b, 0), SectionTableDescriptor.ENTRY_LENGTH);
            System.arraycopy(first, 0, b, entryOffset(b, 1), SectionTableDescriptor.ENTRY_LENGTH);
            putShort(b, entryOffset(b, 1) + SectionTableDescriptor.TYPE_OFFSET, SectionType.SIGNATURE);
        });
        assertEquals(written.length - SECTION_LENGTH, sectionOffset(two, 0));
        assertRefused(two, "SIGNATURE #1", sectionOffset(two, 1), "more than 1 SIGNATURE section(s)");

        final byte[] version2 = mutated(SIGNED,
            b -> putShort(b, entryOffset(b, SIGNATURE_INDEX) + SectionTableDescriptor.SECTION_VERSION_OFFSET, 2));
        assertRefused(version2, LABEL, AT, "section layout version 2 is not supported, this reader understands 1..1");
    }

    @Test
    void writerRefusesSignatureSectionsAddedByHand()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new ArtifactWriter("x", 1).addSection(SectionType.SIGNATURE, 1, new byte[SECTION_LENGTH]));
    }

    @Test
    void keyFilesRoundTripThroughPem(@TempDir final Path dir) throws IOException
    {
        final Path prefix = dir.resolve("signer");
        KeyFiles.write(A, prefix);
        final Path privateFile = dir.resolve("signer.pem");
        final Path publicFile = dir.resolve("signer.pub.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)));
        assertTrue(Files.readString(publicFile).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        final PublicKey publicKey = KeyFiles.readPublic(publicFile);
        final PrivateKey privateKey = KeyFiles.readPrivate(privateFile);
        assertArrayEquals(A.getPublic().getEncoded(), publicKey.getEncoded());
        final byte[] bytes = SampleArtifacts.fullWriter().signWith(privateKey, publicKey).toBytes();
        assertArrayEquals(SIGNED, bytes);
        assertTrue(validateWith(new ArtifactValidator(List.of(publicKey)), bytes).signatureVerified());

        KeyFiles.write(B, prefix);
        assertArrayEquals(B.getPublic().getEncoded(), KeyFiles.readPublic(publicFile).getEncoded());
    }

    @Test
    void keyFilesNameTheFileTheyCannotRead(@TempDir final Path dir) throws IOException
    {
        final Path notPem = Files.writeString(dir.resolve("bad.pem"), "hello");
        assertTrue(assertThrows(IOException.class, () -> KeyFiles.readPublic(notPem)).getMessage()
            .contains(notPem.toString()));
        final Path badBase64 = Files.writeString(dir.resolve("b64.pem"),
            "-----BEGIN PUBLIC KEY-----\nA\n-----END PUBLIC KEY-----\n");
        assertTrue(assertThrows(IOException.class, () -> KeyFiles.readPublic(badBase64)).getMessage()
            .contains("not base64"));
        KeyFiles.write(A, dir.resolve("k"));
        final Path privateAsPublic = dir.resolve("k.pem");
        assertThrows(IOException.class, () -> KeyFiles.readPublic(privateAsPublic));
        final Path rsaLike = Files.writeString(dir.resolve("rsa.pem"),
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertTrue(assertThrows(IOException.class, () -> KeyFiles.readPublic(rsaLike)).getMessage()
            .contains("not an Ed25519 public key"));
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : bytes)
        {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
