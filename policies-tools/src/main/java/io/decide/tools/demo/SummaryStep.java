package io.decide.tools.demo;

import io.decide.engine.registry.PolicyRegistry;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Turns what the steps recorded into the summary lines (the runner prints them last). */
final class SummaryStep implements DemoStep
{
    @Override
    public String title()
    {
        return "summarise";
    }

    @Override
    public void run(final DemoContext context)
    {
        final List<DemoContext.Load> loads = context.loads();
        final long[] versions = new long[loads.size()];
        final long[] nanos = new long[loads.size()];
        for (int i = 0; i < loads.size(); i++)
        {
            versions[i] = loads.get(i).version();
            nanos[i] = loads.get(i).loadedNanos();
        }
        context.summary("versions served",
            versions.length + (versions.length == 0 ? "" : " (" + ranges(versions) + ")"));

        final ReaderFleet readers = context.readers();
        if (readers != null)
        {
            final StringBuilder reads = new StringBuilder();
            long total = 0;
            for (int i = 0; i < readers.size(); i++)
            {
                reads.append(i == 0 ? "" : ", ").append(readers.reads(i));
                total += readers.reads(i);
            }
            context.summary("reads per reader", reads + " (total " + total + ")");
            context.summary("versions seen per reader", seen(readers));
            context.summary("torn reads", Long.toString(readers.tornReads()));
            context.summary("reader errors", Long.toString(readers.errors() + readers.regressions()));
        }

        final PolicyRegistry registry = context.registry();
        if (registry != null)
        {
            context.summary("loads", Long.toString(registry.loads()));
            context.summary("refusals", Long.toString(registry.loadFailures()));
            context.summary("mappings reclaimed", registry.reclaimed() + " of " + Math.max(0, registry.loads() - 1) +
                " replaced");
        }
        if (nanos.length > 0)
        {
            Arrays.sort(nanos);
            context.summary("open+validate time", String.format(Locale.ROOT,
                "p50 %.3f ms, max %.3f ms over %d loads",
                nanos[(nanos.length - 1) / 2] / 1e6, nanos[nanos.length - 1] / 1e6, nanos.length));
        }
    }

    private static String seen(final ReaderFleet readers)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < readers.size(); i++)
        {
            sb.append(i == 0 ? "" : ", ").append(readers.versionsSeen(i));
        }
        return sb.toString();
    }

    /** "v1..v201, v204" for the versions in load order (runs of consecutive versions collapsed). */
    private static String ranges(final long[] versions)
    {
        final StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < versions.length)
        {
            int j = i;
            while (j + 1 < versions.length && versions[j + 1] == versions[j] + 1)
            {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ", ").append('v').append(versions[i]);
            if (j > i)
            {
                sb.append("..v").append(versions[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
