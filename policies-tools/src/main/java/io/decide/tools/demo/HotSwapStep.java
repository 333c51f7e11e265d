package io.decide.tools.demo;

import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.ReloadResult;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;

/**
 * Swaps in new versions one after another while the readers read: each is written atomically into the policy
 * directory, then {@link PolicyRegistry#reload()} must load exactly it. Files two versions behind are removed.
 */
final class HotSwapStep implements DemoStep
{
    @Override
    public String title()
    {
        return "hot-swap new versions under the readers (write atomically, then registry.reload())";
    }

    @Override
    public void run(final DemoContext context) throws Exception
    {
        final PolicyRegistry registry = context.registry();
        final DemoArtifacts artifacts = context.artifacts();
        final long first = FoundationDemo.servingVersion(registry) + 1;
        final long last = first + context.versions() - 1;
        final long start = System.nanoTime();
        long swapped = 0;
        for (long version = first; version <= last; version++)
        {
            artifacts.publish(context.policies(), version, true);
            final ReloadResult result = registry.reload();
            if (!FoundationDemo.loadedExactly(result, version))
            {
                context.fail("swap to v" + version + " failed: " + FoundationDemo.describe(result));
                return;
            }
            swapped++;
            if (version > 2)
            {
                Files.deleteIfExists(context.policies().resolve(DemoArtifacts.fileName(version - 2)));
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        context.note(swapped == 0 ? "no versions to swap (--versions 0)" : String.format(Locale.ROOT,
            "served v%d..v%d: %d swaps in %.2f s (%.2f ms each, including write, fsync, load and validation)",
            first, last, swapped, seconds, 1000 * seconds / swapped));
        if (swapped > 0)
        {
            context.check(context.readers().awaitVersion(last, Duration.ofSeconds(5)),
                "not every reader read v" + last + " within 5 s");
        }
    }
}
