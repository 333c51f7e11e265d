package io.decide.tools.demo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoRunnerTest
{
    private record Step(String title, List<String> log, Exception failure) implements DemoStep
    {
        @Override
        public void run(final DemoContext context) throws Exception
        {
            log.add(title);
            context.summary(title, "ran");
            if (failure != null)
            {
                throw failure;
            }
        }
    }

    @Test
    void aFailingStepSkipsTheRestButFinishersRun()
    {
        final List<String> log = new ArrayList<>();
        final StringWriter out = new StringWriter();
        final IOException diskFull = new IOException("disk full");
        final DemoRunner runner = new DemoRunner(
            List.of(new Step("a", log, null), new Step("b", log, diskFull), new Step("c", log, null)),
            List.of(new Step("finish", log, null)));
        final DemoRunner.Outcome outcome = runner.run(new DemoContext(Path.of("."), 1, 1, new PrintWriter(out)));
        assertEquals(List.of("a", "b", "finish"), log);
        assertFalse(outcome.ok());
        assertSame(diskFull, outcome.ioError());
        assertTrue(outcome.failures().get(0).contains("step 2 failed: IOException: disk full"), outcome::toString);
        assertTrue(out.toString().contains("[4/4] finish"), out::toString);
        assertTrue(out.toString().contains("\n  finish: ran\n"), out::toString);
        assertTrue(out.toString().contains("result: FAILED (1 problem)"), out::toString);
    }

    @Test
    void checksThatFailMakeTheRunFail()
    {
        final StringWriter out = new StringWriter();
        final DemoStep checking = new DemoStep()
        {
            @Override
            public String title()
            {
                return "check";
            }

            @Override
            public void run(final DemoContext context)
            {
                context.check(true, "never recorded");
                context.check(false, "3 torn reads");
            }
        };
        final DemoRunner.Outcome outcome = new DemoRunner(List.of(checking), List.of())
            .run(new DemoContext(Path.of("."), 1, 1, new PrintWriter(out)));
        assertEquals(List.of("3 torn reads"), outcome.failures());
        assertNull(outcome.ioError());
        assertTrue(out.toString().contains("FAILED: 3 torn reads"), out::toString);
    }
}
