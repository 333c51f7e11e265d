package io.decide.engine.registry;

import io.decide.format.ArtifactLayout;
import io.decide.format.SectionType;
import io.decide.format.schema.FeatureSchema;
import io.decide.format.vectors.VerificationReplay;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * One artifact, mapped read-only and validated. Everything a decision needs is resolved here at load, so the
 * decision reads the buffer at known offsets with no checks. Obtained from a {@link PolicySlot} inside a
 * {@link PolicyReader} scope, and valid only until that scope exits: the registry may unmap it afterwards.
 */
public final class LoadedArtifact
{
    private final Path path;
    private final ArtifactLayout layout;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final FeatureSchema featureSchema;
    private VerificationReplay.Result verification;
    private long loadedNanos;
    private volatile boolean unmapped;
    private volatile boolean registryOwned;
    private final Object[] attachments;

    LoadedArtifact(
        final Path path,
        final ArtifactLayout layout,
        final MappedByteBuffer mapped,
        final UnsafeBuffer buffer,
        final FeatureSchema featureSchema)
    {
        this.path = path;
        this.layout = layout;
        this.mapped = mapped;
        this.buffer = buffer;
        this.featureSchema = featureSchema;
        this.attachments = new Object[layout.sectionCount()];
    }

    /**
     * A structure derived from one section (e.g. a compiled evaluator), created once and kept with the artifact so
     * that verification replay at load and the deciders afterwards share it. Load-time only, never on a decision
     * path.
     *
     * @param sectionIndex section table index the structure is derived from.
     * @param type         its class.
     * @param factory      creates it on first use.
     * @param <T>          its type.
     * @return the cached structure.
     */
    public synchronized <T> T attachment(
        final int sectionIndex, final Class<T> type, final Function<LoadedArtifact, T> factory)
    {
        Object value = attachments[sectionIndex];
        if (!type.isInstance(value))
        {
            value = factory.apply(this);
            attachments[sectionIndex] = value;
        }
        return type.cast(value);
    }

    void verification(final VerificationReplay.Result result)
    {
        this.verification = result;
    }

    void loadedNanos(final long nanos)
    {
        this.loadedNanos = nanos;
    }

    /** @return artifact name from the header. */
    public String name()
    {
        return layout.name();
    }

    /** @return artifact version from the header. */
    public long version()
    {
        return layout.version();
    }

    /** @return the file it was mapped from. */
    public Path path()
    {
        return path;
    }

    /** @return the validated layout. */
    public ArtifactLayout layout()
    {
        return layout;
    }

    /**
     * The mapped bytes, read-only: the mapping is {@code READ_ONLY}, so writing through a cast faults the JVM, and
     * the underlying {@code MappedByteBuffer} must never be unmapped by the caller (the registry does that).
     *
     * @return the mapped bytes; index 0 is the start of the file.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return the resolved FEATURE_SCHEMA, or null when the artifact has none. */
    public FeatureSchema featureSchema()
    {
        return featureSchema;
    }

    /** @return what verification replay checked at load. */
    public VerificationReplay.Result verification()
    {
        return verification;
    }

    /** @return how long open + validate + replay + pre-touch took, in nanoseconds. */
    public long loadedNanos()
    {
        return loadedNanos;
    }

    /**
     * File offset of a section.
     *
     * @param type    section type id.
     * @param ordinal which section of that type.
     * @return its offset, or -1 when absent.
     */
    public int sectionOffset(final int type, final int ordinal)
    {
        final int index = layout.indexOf(type, ordinal);
        return index < 0 ? -1 : layout.sectionOffset(index);
    }

    /**
     * Length of a section.
     *
     * @param type    section type id.
     * @param ordinal which section of that type.
     * @return its length, or -1 when absent.
     */
    public int sectionLength(final int type, final int ordinal)
    {
        final int index = layout.indexOf(type, ordinal);
        return index < 0 ? -1 : layout.sectionLength(index);
    }

    /** @return whether the mapping has been released. */
    public boolean isUnmapped()
    {
        return unmapped;
    }

    /**
     * Release the mapping of an artifact opened directly with {@link ArtifactLoader#open} (tools, tests). An
     * artifact that a {@link PolicyRegistry} has served belongs to the registry, which unmaps it when no reader can
     * reach it; closing it here is refused.
     *
     * @throws IllegalStateException when a registry owns the artifact.
     */
    public void close()
    {
        if (registryOwned)
        {
            throw new IllegalStateException(this + " belongs to a PolicyRegistry, which unmaps it when it is safe");
        }
        unmap();
    }

    void markRegistryOwned()
    {
        registryOwned = true;
    }

    /** Release the mapping. The registry calls this once no reader can reach this artifact. */
    synchronized void unmap()
    {
        if (!unmapped)
        {
            unmapped = true;
            buffer.wrap(0, 0);
            IoUtil.unmap(mapped);
        }
    }

    @Override
    public String toString()
    {
        return name() + " v" + version() + " (" + path.getFileName() + ", " + layout.fileLength() + " bytes, " +
            layout.sectionCount() + " sections" + (layout.count(SectionType.SIGNATURE) > 0 ?
            (layout.signatureVerified() ? ", signature verified" : ", signed, not verified") : "") + ")";
    }
}
