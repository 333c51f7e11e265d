package io.decide.tools.demo;

import io.decide.engine.registry.PolicyRegistry;

import java.time.Duration;

/** Closes the registry, which unmaps the serving version too. */
final class CloseRegistryStep implements DemoStep
{
    @Override
    public String title()
    {
        return "close the registry";
    }

    @Override
    public void run(final DemoContext context)
    {
        final PolicyRegistry registry = context.registry();
        if (registry == null)
        {
            return;
        }
        context.check(registry.close(Duration.ofSeconds(2)), "the registry did not release every mapping on close");
        context.note("closed; all mappings released");
    }
}
