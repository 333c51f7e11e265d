package io.decide.tools.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a demo: the steps in order until one throws, then the finishing steps (which always run: stop threads,
 * release resources, summarise), then prints the summary and the verdict.
 */
public final class DemoRunner
{
    /**
     * How a run ended.
     *
     * @param failures broken expectations and step errors; empty when everything held.
     * @param ioError  the I/O error that ended the run early, or null.
     */
    public record Outcome(List<String> failures, IOException ioError)
    {
        /** @return whether everything held. */
        public boolean ok()
        {
            return failures.isEmpty();
        }
    }

    private final List<DemoStep> steps;
    private final List<DemoStep> finishers;

    /**
     * @param steps     the demo proper.
     * @param finishers steps that always run afterwards, even when a step threw.
     */
    public DemoRunner(final List<DemoStep> steps, final List<DemoStep> finishers)
    {
        this.steps = List.copyOf(steps);
        this.finishers = List.copyOf(finishers);
    }

    /**
     * Run the demo.
     *
     * @param context shared state.
     * @return the outcome.
     */
    public Outcome run(final DemoContext context)
    {
        final PrintWriter out = context.out();
        final int total = steps.size() + finishers.size();
        IOException ioError = null;
        boolean aborted = false;
        int number = 0;
        final List<DemoStep> all = new ArrayList<>(steps);
        all.addAll(finishers);
        for (final DemoStep step : all)
        {
            number++;
            final boolean finisher = number > steps.size();
            if (aborted && !finisher)
            {
                continue;
            }
            out.println("[" + number + "/" + total + "] " + step.title());
            out.flush();
            try
            {
                step.run(context);
            }
            catch (final IOException ex)
            {
                ioError = ioError == null ? ex : ioError;
                aborted = true;
                context.check(false, "step " + number + " failed: " + DemoContext.oneLine(ex));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                aborted = true;
                context.check(false, "step " + number + " interrupted");
            }
            catch (final Exception ex)
            {
                aborted = true;
                context.check(false, "step " + number + " failed: " + DemoContext.oneLine(ex));
            }
        }
        out.println("summary");
        for (final Map.Entry<String, String> line : context.summary().entrySet())
        {
            out.println("  " + line.getKey() + ": " + line.getValue());
        }
        final List<String> failures = context.failures();
        if (failures.isEmpty())
        {
            out.println("result: OK");
        }
        else
        {
            out.println("result: FAILED (" + failures.size() + (failures.size() == 1 ? " problem)" : " problems)"));
            for (final String failure : failures)
            {
                out.println("  - " + failure);
            }
        }
        out.flush();
        return new Outcome(List.copyOf(failures), ioError);
    }
}
