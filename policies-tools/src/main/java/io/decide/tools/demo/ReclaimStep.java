package io.decide.tools.demo;

import io.decide.engine.registry.PolicyRegistry;

import java.time.Duration;

/** Waits until every replaced artifact is unmapped: with the readers gone, nothing may hold one back. */
final class ReclaimStep implements DemoStep
{
    @Override
    public String title()
    {
        return "reclaim the mappings of replaced versions";
    }

    @Override
    public void run(final DemoContext context)
    {
        final PolicyRegistry registry = context.registry();
        if (registry == null)
        {
            context.note("no registry was opened");
            return;
        }
        final boolean all = registry.awaitReclaim(Duration.ofSeconds(2));
        context.check(all, registry.retiredCount() + " replaced artifacts still mapped after 2 s");
        final long retired = Math.max(0, registry.loads() - 1);
        context.check(registry.reclaimed() == retired,
            registry.reclaimed() + " mappings reclaimed, expected " + retired + " (one per replaced version)");
        context.note(registry.reclaimed() + " of " + retired + " replaced versions unmapped");
    }
}
