package io.decide.format.signature;

import io.decide.format.SectionContext;
import io.decide.format.SectionValidator;
import org.agrona.DirectBuffer;

import static io.decide.format.signature.SignatureDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Checks the structure of a SIGNATURE section and that it ends the file; whether the signature verifies is
 * decided by {@link ArtifactSignatures} when a key is configured.
 */
public final class SignatureValidator implements SectionValidator
{
    @Override
    public void validate(
        final DirectBuffer buffer, final int offset, final int length, final int sectionVersion,
        final SectionContext context)
    {
        if (length != SECTION_LENGTH)
        {
            throw context.fail(0, "section is " + length + " bytes, expected " + SECTION_LENGTH);
        }
        if (offset + length != context.layout().fileLength())
        {
            throw context.fail(0, "signature must be the last bytes of the file, but " +
                (context.layout().fileLength() - offset - length) + " bytes follow it");
        }
        final int algorithm = buffer.getShort(offset + ALGORITHM_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
        if (algorithm != ALGORITHM_ED25519)
        {
            throw context.fail(ALGORITHM_OFFSET, "unknown signature algorithm " + algorithm + ", expected 1 (Ed25519)");
        }
        if (buffer.getShort(offset + RESERVED_OFFSET, LITTLE_ENDIAN) != 0)
        {
            throw context.fail(RESERVED_OFFSET, "reserved field must be 0");
        }
        final int signatureLength = buffer.getInt(offset + SIGNATURE_LENGTH_OFFSET, LITTLE_ENDIAN);
        if (signatureLength != ED25519_SIGNATURE_LENGTH)
        {
            throw context.fail(SIGNATURE_LENGTH_OFFSET,
                "signature length " + signatureLength + ", expected " + ED25519_SIGNATURE_LENGTH);
        }
    }
}
