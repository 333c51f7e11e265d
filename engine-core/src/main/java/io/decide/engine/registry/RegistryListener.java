package io.decide.engine.registry;

import java.nio.file.Path;

/** Told of every artifact that starts serving and every file refused. Called on the loading thread. */
public interface RegistryListener
{
    /** A listener that ignores everything. */
    RegistryListener NONE = new RegistryListener()
    {
    };

    /**
     * An artifact started serving.
     *
     * @param artifact the new artifact.
     * @param previous the version it replaced, or null.
     */
    default void onLoaded(final LoadedArtifact artifact, final LoadedArtifact previous)
    {
    }

    /**
     * A file was refused; the serving version of its name is untouched.
     *
     * @param file   the file (or the directory, when it could not be listed).
     * @param reason an {@link io.decide.format.ArtifactFormatException} naming section, offset and reason, or an
     *               I/O error.
     */
    default void onRejected(final Path file, final Exception reason)
    {
    }
}
