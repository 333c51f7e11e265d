package io.decide.tools.demo;

import java.time.Duration;

/** Starts the reader threads and waits until each has read the serving version once. */
final class StartReadersStep implements DemoStep
{
    @Override
    public String title()
    {
        return "start reader threads, each reading the payload in a PolicyReader scope and checking every long " +
            "equals the version";
    }

    @Override
    public void run(final DemoContext context) throws Exception
    {
        final ReaderFleet readers = new ReaderFleet(context.registry(), DemoArtifacts.NAME, context.readerCount());
        context.readers(readers);
        readers.start();
        final long serving = FoundationDemo.servingVersion(context.registry());
        context.check(readers.awaitVersion(serving, Duration.ofSeconds(5)),
            "readers did not read v" + serving + " within 5 s");
        context.note(readers.size() + " readers running");
    }
}
