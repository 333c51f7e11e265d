package io.decide.engine.registry;

/**
 * The serving version of one artifact name. Resolve a slot once ({@link PolicyRegistry#slot(String)}) and read
 * {@link #current()} inside a {@link PolicyReader} scope on every decision.
 */
public final class PolicySlot
{
    private final String name;
    private volatile LoadedArtifact current;

    PolicySlot(final String name)
    {
        this.name = name;
    }

    /** @return the artifact name this slot serves. */
    public String name()
    {
        return name;
    }

    /**
     * The serving artifact. Call only between {@link PolicyReader#enter()} and the scope's close, and do not keep
     * the reference past it: the registry may unmap a replaced artifact as soon as no open scope can hold it.
     *
     * @return the serving artifact, or null when no valid version has been loaded.
     */
    public LoadedArtifact current()
    {
        return current;
    }

    void set(final LoadedArtifact artifact)
    {
        current = artifact;
    }
}
