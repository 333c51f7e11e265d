package io.decide.engine.registry;

/**
 * A reader thread's read guard (epoch-based reclamation). Each thread that reads artifacts owns one, obtained
 * from {@link PolicyRegistry#newReader()}, and brackets every access:
 * <pre>{@code
 * try (PolicyReader.Scope scope = reader.enter())
 * {
 *     final LoadedArtifact artifact = slot.current();
 *     ... read artifact.buffer() ...
 * }
 * }</pre>
 * Entering publishes the registry's current epoch in this reader's padded slot with a volatile store, so a
 * writer that swaps an artifact and then scans the slots either sees this reader (and keeps the old mapping) or
 * is ordered before the reader's first read of the slot (and the reader sees the new artifact). Scopes are not
 * reentrant; a reader belongs to one thread at a time. Entering and leaving allocate nothing.
 */
public final class PolicyReader implements AutoCloseable
{
    /** Closing a scope leaves it; the scope object is reused, so try-with-resources allocates nothing. */
    public final class Scope implements AutoCloseable
    {
        private Scope()
        {
        }

        @Override
        public void close()
        {
            exit();
        }
    }

    private final PolicyRegistry registry;
    private final int index;
    private final Scope scope = new Scope();
    private boolean released;

    PolicyReader(final PolicyRegistry registry, final int index)
    {
        this.registry = registry;
        this.index = index;
    }

    /**
     * Enter a read scope: artifacts read from slots stay mapped until the scope closes.
     *
     * @return the scope, to close when done.
     */
    public Scope enter()
    {
        assert !released : "reader released";
        registry.enterReader(index);
        return scope;
    }

    /** Leave the read scope (same as closing the scope). */
    public void exit()
    {
        registry.exitReader(index);
    }

    /** Give the reader's slot back to the registry. The reader must not be inside a scope. */
    @Override
    public void close()
    {
        if (!released)
        {
            released = true;
            registry.releaseReader(index);
        }
    }
}
