package io.decide.engine.registry;

import java.nio.file.Path;
import java.util.List;

/**
 * What one reload of the policy directory did.
 *
 * @param loaded     artifacts now serving that were not before.
 * @param rejected   files refused, with the reason (the previous version of their name keeps serving).
 * @param superseded files skipped because the registry already serves that name at the same or a higher version.
 */
public record ReloadResult(List<LoadedArtifact> loaded, List<Rejected> rejected, List<Path> superseded)
{
    /**
     * A refused file.
     *
     * @param file   the file.
     * @param reason exception naming the section, offset and reason.
     */
    public record Rejected(Path file, Exception reason)
    {
    }

    /** @return whether any file was refused. */
    public boolean hasRejections()
    {
        return !rejected.isEmpty();
    }
}
