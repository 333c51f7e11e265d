package io.decide.tools.demo;

import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.format.ArtifactFormatException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State shared by the steps of one demo run: the options, the output, the objects the steps create (keys,
 * registry, readers), what the registry reported, the failures found and the summary lines. Used from the
 * thread that runs the demo; the registry listener is called on that thread too, since it is the one loading.
 */
public final class DemoContext
{
    /**
     * An artifact that started serving.
     *
     * @param name        artifact name.
     * @param version     artifact version.
     * @param loadedNanos open + validate + verify + pre-touch time.
     */
    public record Load(String name, long version, long loadedNanos)
    {
    }

    /**
     * A file the registry refused.
     *
     * @param file   the file.
     * @param reason one line naming section, offset and reason.
     */
    public record Refusal(Path file, String reason)
    {
    }

    private final Path policies;
    private final int versions;
    private final int readerCount;
    private final PrintWriter out;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, String> summary = new LinkedHashMap<>();
    private final List<Load> loads = new ArrayList<>();
    private final List<Refusal> refusals = new ArrayList<>();
    private DemoArtifacts artifacts;
    private PolicyRegistry registry;
    private ReaderFleet readers;

    /**
     * @param policies    policy directory the demo writes artifacts into.
     * @param versions    how many new versions to hot-swap in.
     * @param readerCount how many reader threads to run.
     * @param out         where to print.
     */
    public DemoContext(final Path policies, final int versions, final int readerCount, final PrintWriter out)
    {
        this.policies = policies;
        this.versions = versions;
        this.readerCount = readerCount;
        this.out = out;
    }

    /** @return the policy directory. */
    public Path policies()
    {
        return policies;
    }

    /** @return how many new versions to swap in. */
    public int versions()
    {
        return versions;
    }

    /** @return how many reader threads to run. */
    public int readerCount()
    {
        return readerCount;
    }

    /** @return the output. */
    public PrintWriter out()
    {
        return out;
    }

    /**
     * Print a line under the current step.
     *
     * @param line what happened.
     */
    public void note(final String line)
    {
        out.println("      " + line);
        out.flush();
    }

    /**
     * Record a failure when an expectation does not hold.
     *
     * @param holds   the expectation.
     * @param failure what went wrong, when it does not hold.
     * @return {@code holds}.
     */
    public boolean check(final boolean holds, final String failure)
    {
        if (!holds)
        {
            fail(failure);
        }
        return holds;
    }

    /**
     * Record a failure.
     *
     * @param failure what went wrong.
     */
    public void fail(final String failure)
    {
        failures.add(failure);
        note("FAILED: " + failure);
    }

    /** @return failures recorded so far. */
    public List<String> failures()
    {
        return Collections.unmodifiableList(failures);
    }

    /**
     * Add a summary line (printed after all steps as "key: value").
     *
     * @param key   what.
     * @param value how much.
     */
    public void summary(final String key, final String value)
    {
        summary.put(key, value);
    }

    /** @return summary lines in the order added. */
    public Map<String, String> summary()
    {
        return Collections.unmodifiableMap(summary);
    }

    /** @return the demo artifacts (and their signing key), or null before the first step made them. */
    public DemoArtifacts artifacts()
    {
        return artifacts;
    }

    /**
     * @param artifacts the demo artifacts.
     */
    public void artifacts(final DemoArtifacts artifacts)
    {
        this.artifacts = artifacts;
    }

    /**
     * Create the registry over {@link #policies()}, reporting loads and refusals to this context.
     *
     * @param options    load options.
     * @param maxReaders most readers at once.
     * @return the registry.
     */
    public PolicyRegistry openRegistry(final LoadOptions options, final int maxReaders)
    {
        if (registry != null)
        {
            throw new IllegalStateException("the demo registry is already open");
        }
        registry = new PolicyRegistry(policies, options, maxReaders, new RegistryListener()
        {
            @Override
            public void onLoaded(final LoadedArtifact artifact, final LoadedArtifact previous)
            {
                loads.add(new Load(artifact.name(), artifact.version(), artifact.loadedNanos()));
            }

            @Override
            public void onRejected(final Path file, final Exception reason)
            {
                refusals.add(new Refusal(file, oneLine(reason)));
            }
        });
        return registry;
    }

    /** @return the registry, or null before it was opened. */
    public PolicyRegistry registry()
    {
        return registry;
    }

    /** @return the reader fleet, or null before it was started. */
    public ReaderFleet readers()
    {
        return readers;
    }

    /**
     * @param readers the reader fleet.
     */
    public void readers(final ReaderFleet readers)
    {
        this.readers = readers;
    }

    /** @return artifacts that started serving, in order. */
    public List<Load> loads()
    {
        return Collections.unmodifiableList(loads);
    }

    /** @return files refused, in order. */
    public List<Refusal> refusals()
    {
        return Collections.unmodifiableList(refusals);
    }

    /**
     * @param reason a refusal reason.
     * @return it as one line: the exception message (which names file, section and offset for format errors).
     */
    static String oneLine(final Throwable reason)
    {
        final String message = reason instanceof ArtifactFormatException || reason.getMessage() == null ?
            String.valueOf(reason.getMessage()) : reason.getClass().getSimpleName() + ": " + reason.getMessage();
        return message.replace('\n', ' ');
    }
}
