package io.decide.format;

/**
 * What the validator enforces for one known section type: how many may appear, which layout versions this
 * reader understands, and the validator for its layout ({@code null}: reserved id, bytes checked by CRC only).
 *
 * @param type       section type id.
 * @param maxCount   most sections of this type in one artifact.
 * @param maxVersion highest section layout version understood; versions 1..maxVersion are accepted.
 * @param validator  layout validator, or null for a reserved type whose layout is not defined yet.
 */
public record SectionRule(int type, int maxCount, int maxVersion, SectionValidator validator)
{
}
