package io.decide.format.signature;

/**
 * Layout of a SIGNATURE section (layout version 1). It is the last section and ends the file.
 * <pre>
 *  +-------------------------------+-------------------------------+
 *  |     Algorithm (u16) 1=Ed25519 |       Reserved (u16) = 0      |  0
 *  +-------------------------------+-------------------------------+
 *  |                  Signature Length (u32) = 64                  |  4
 *  +---------------------------------------------------------------+
 *  |   Key Id: SHA-256 of the signer's X.509 public key (32 bytes) |  8
 *  +---------------------------------------------------------------+
 *  |                  Signature bytes (64 bytes)                   | 40
 *  +---------------------------------------------------------------+ 104
 * </pre>
 * The signed message is the SHA-256 digest of the file bytes before the signature section, read with two
 * 4-byte fields as zero: the header's file CRC and the signature's own section-table CRC (both are computed
 * after signing). Everything else before the section, including its table entry, is covered.
 * See {@link ArtifactSignatures}.
 */
public final class SignatureDescriptor
{
    public static final int VERSION = 1;
    public static final int ALGORITHM_ED25519 = 1;

    public static final int ALGORITHM_OFFSET = 0;
    public static final int RESERVED_OFFSET = 2;
    public static final int SIGNATURE_LENGTH_OFFSET = 4;
    public static final int KEY_ID_OFFSET = 8;
    public static final int KEY_ID_LENGTH = 32;
    public static final int SIGNATURE_OFFSET = 40;
    public static final int ED25519_SIGNATURE_LENGTH = 64;
    public static final int SECTION_LENGTH = SIGNATURE_OFFSET + ED25519_SIGNATURE_LENGTH;

    private SignatureDescriptor()
    {
    }
}
