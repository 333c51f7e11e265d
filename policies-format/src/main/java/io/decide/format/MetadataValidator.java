package io.decide.format;

import org.agrona.DirectBuffer;

/**
 * METADATA section (layout version 1): the whole section is one UTF-8 JSON object (RFC 8259), no BOM, nesting
 * at most {@link #MAX_DEPTH} deep. Tools write it with Jackson; this validator checks syntax without a JSON
 * library so {@code policies-format} depends on Agrona alone.
 */
public final class MetadataValidator implements SectionValidator
{
    /** Deepest nesting of objects and arrays accepted. */
    public static final int MAX_DEPTH = 64;

    @Override
    public void validate(
        final DirectBuffer buffer, final int offset, final int length, final int sectionVersion,
        final SectionContext context)
    {
        final String text = Utf8.decodeStrict(buffer, offset, length);
        if (text == null)
        {
            throw context.fail(0, "metadata is not valid UTF-8");
        }
        final String error = JsonSyntax.checkObject(text, MAX_DEPTH);
        if (error != null)
        {
            throw context.fail(0, "metadata is not a JSON object: " + error);
        }
    }
}
