package io.decide.tools.demo;

import java.time.Duration;

/** Stops the reader threads (each releases its PolicyReader) and checks what they saw. */
final class StopReadersStep implements DemoStep
{
    @Override
    public String title()
    {
        return "stop the readers";
    }

    @Override
    public void run(final DemoContext context) throws Exception
    {
        final ReaderFleet readers = context.readers();
        if (readers == null)
        {
            context.note("no readers were started");
            return;
        }
        context.check(readers.stop(Duration.ofSeconds(5)), "reader threads did not stop within 5 s");
        long total = 0;
        for (int i = 0; i < readers.size(); i++)
        {
            total += readers.reads(i);
            context.check(readers.reads(i) > 0, "reader " + i + " completed no read");
        }
        context.check(readers.tornReads() == 0, readers.tornReads() + " torn reads");
        context.check(readers.regressions() == 0, readers.regressions() + " reads saw an older version than before");
        context.check(readers.errors() == 0, readers.errors() + " reader errors, first: " + readers.firstError());
        context.note(readers.size() + " readers stopped after " + total + " reads");
    }
}
