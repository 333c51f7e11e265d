package io.decide.tools.demo;

import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.ReloadResult;

import java.util.ArrayList;
import java.util.List;

/**
 * The foundation demo: artifacts published signed into a policy directory, served by a {@link PolicyRegistry}
 * to reader threads while new versions are swapped in, bad artifacts refused while the previous version keeps
 * serving, and every retired mapping reclaimed. Demos that build on it add their steps after {@link #steps()}
 * and before the finishers.
 */
public final class FoundationDemo
{
    private FoundationDemo()
    {
    }

    /** @return the steps that set up and exercise the registry, in order. */
    public static List<DemoStep> steps()
    {
        return List.of(
            new PublishFirstVersionStep(),
            new StartReadersStep(),
            new HotSwapStep(),
            new RefuseBadArtifactsStep());
    }

    /** @return the steps that always run at the end: stop readers, reclaim, summarise, close. */
    public static List<DemoStep> finishers()
    {
        return List.of(
            new StopReadersStep(),
            new ReclaimStep(),
            new SummaryStep(),
            new CloseRegistryStep());
    }

    /**
     * A runner for the foundation demo followed by {@code extraSteps}.
     *
     * @param extraSteps steps to run after the foundation steps, while readers are still running.
     * @return the runner.
     */
    public static DemoRunner runner(final List<DemoStep> extraSteps)
    {
        final List<DemoStep> all = new ArrayList<>(steps());
        all.addAll(extraSteps);
        return new DemoRunner(all, finishers());
    }

    /**
     * @param context a finished or running demo.
     * @return the highest version that served, or 0 when none did.
     */
    public static long lastServed(final DemoContext context)
    {
        long last = 0;
        for (final DemoContext.Load load : context.loads())
        {
            last = Math.max(last, load.version());
        }
        return last;
    }

    /**
     * @param result  a reload result.
     * @param version the version expected.
     * @return whether it loaded exactly {@code version} of the demo and refused nothing.
     */
    static boolean loadedExactly(final ReloadResult result, final long version)
    {
        return !result.hasRejections() && result.loaded().size() == 1 && result.loaded().get(0).version() == version;
    }

    /**
     * @param result a reload result.
     * @return what it did, for failure messages: versions loaded and files refused with their reasons.
     */
    static String describe(final ReloadResult result)
    {
        final StringBuilder sb = new StringBuilder("loaded [");
        for (int i = 0; i < result.loaded().size(); i++)
        {
            sb.append(i == 0 ? "" : ", ").append(result.loaded().get(i));
        }
        sb.append("], refused [");
        for (int i = 0; i < result.rejected().size(); i++)
        {
            sb.append(i == 0 ? "" : "; ").append(DemoContext.oneLine(result.rejected().get(i).reason()));
        }
        return sb.append(']').toString();
    }

    /**
     * @param registry a registry.
     * @return the version of {@link DemoArtifacts#NAME} it serves, or 0 when none.
     */
    static long servingVersion(final PolicyRegistry registry)
    {
        final Long version = registry.versions().get(DemoArtifacts.NAME);
        return version == null ? 0 : version;
    }
}
