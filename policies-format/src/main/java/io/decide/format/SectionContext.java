package io.decide.format;

/**
 * What a {@link SectionValidator} knows about the section it checks and the artifact around it. Failing through
 * {@link #fail(int, String)} produces a message naming the file, the section and the absolute offset.
 */
public final class SectionContext
{
    private final String source;
    private final ArtifactLayout layout;
    private final int index;

    SectionContext(final String source, final ArtifactLayout layout, final int index)
    {
        this.source = source;
        this.layout = layout;
        this.index = index;
    }

    /** @return the layout of the whole artifact, for cross-references. */
    public ArtifactLayout layout()
    {
        return layout;
    }

    /** @return the section's index in the section table. */
    public int sectionIndex()
    {
        return index;
    }

    /** @return "TYPE #ordinal", as used in messages. */
    public String label()
    {
        return layout.label(index);
    }

    /**
     * Keep what validating the section built, for readers of the layout ({@link ArtifactLayout#decoded(int)}).
     *
     * @param value the decoded section.
     */
    public void decoded(final Object value)
    {
        layout.decoded(index, value);
    }

    /**
     * Refuse the artifact.
     *
     * @param relativeOffset offset inside the section where the problem is.
     * @param reason         what was found and what was expected.
     * @return never returns; declared so callers can write {@code throw ctx.fail(...)}.
     */
    public ArtifactFormatException fail(final int relativeOffset, final String reason)
    {
        throw new ArtifactFormatException(source, label(), layout.sectionOffset(index) + relativeOffset, reason);
    }
}
