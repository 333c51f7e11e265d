package io.decide.format;

import org.agrona.DirectBuffer;

/**
 * Checks the layout of one known section type completely, so readers of that section need no checks later.
 * The bytes are already known to lie inside the file and to match their CRC.
 */
@FunctionalInterface
public interface SectionValidator
{
    /**
     * Validate a section; refuse through {@link SectionContext#fail(int, String)}.
     *
     * @param buffer         the artifact.
     * @param offset         file offset of the section.
     * @param length         section length.
     * @param sectionVersion layout version from the section table.
     * @param context        where the section sits and how to fail.
     */
    void validate(DirectBuffer buffer, int offset, int length, int sectionVersion, SectionContext context);
}
