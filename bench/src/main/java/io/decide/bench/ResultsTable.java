package io.decide.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Renders JMH run results as a markdown report: a header naming the machine, the JVM, the date and the command,
 * then one row per benchmark and parameter set with the primary score and the GC profiler's normalised
 * allocation rate ({@value #ALLOC_NORM_KEY}, bytes per operation).
 */
final class ResultsTable
{
    /** The GC profiler's key for bytes allocated per operation (JMH 1.37; older versions prefixed "·"). */
    static final String ALLOC_NORM_KEY = "gc.alloc.rate.norm";
    private static final String LEGACY_ALLOC_NORM_KEY = "\u00b7gc.alloc.rate.norm";
    private static final String PACKAGE_PREFIX = "io.decide.bench.";

    private ResultsTable()
    {
    }

    /**
     * @param results  what the runner returned.
     * @param command  the command that ran the benchmarks.
     * @param settings forks, iterations and JVM arguments, as one line.
     * @param loadAtStart {@link #loadAverage()} when the run started.
     * @return the markdown report.
     */
    static String markdown(
        final Collection<RunResult> results, final String command, final String settings, final String loadAtStart)
    {
        final List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(RunResult.DEFAULT_SORT_COMPARATOR);
        final BenchmarkParams first = sorted.get(0).getParams();

        final StringBuilder sb = new StringBuilder(4096);
        sb.append("# Decide benchmarks\n\n");
        sb.append("- Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        sb.append("- Machine: nproc=").append(Runtime.getRuntime().availableProcessors())
            .append(", CPU: ").append(cpuModel())
            .append(", load average (1/5/15 min) at start: ").append(loadAtStart)
            .append(", at end: ").append(loadAverage()).append('\n');
        sb.append("- JVM: ").append(first.getVmName()).append(' ').append(first.getJdkVersion())
            .append(" (VM ").append(first.getVmVersion()).append(", ").append(first.getJvm()).append(")\n");
        sb.append("- Command: `").append(command).append("`\n");
        sb.append("- Settings: JMH ").append(first.getJmhVersion()).append(", ")
            .append(settings).append("\n\n");

        sb.append("| benchmark | mode | params | score | error | units | gc.alloc.rate.norm (B/op) |\n");
        sb.append("|---|---|---|---:|---:|---|---:|\n");
        for (final RunResult result : sorted)
        {
            final BenchmarkParams params = result.getParams();
            final Result<?> primary = result.getPrimaryResult();
            Result<?> alloc = result.getSecondaryResults().get(ALLOC_NORM_KEY);
            if (alloc == null)
            {
                alloc = result.getSecondaryResults().get(LEGACY_ALLOC_NORM_KEY);
            }
            sb.append("| ").append(shortName(params.getBenchmark()))
                .append(" | ").append(params.getMode().shortLabel())
                .append(" | ").append(params(params))
                .append(" | ").append(number(primary.getScore()))
                .append(" | ").append(Double.isNaN(primary.getScoreError()) ? "n/a" : "± " +
                    number(primary.getScoreError()))
                .append(" | ").append(primary.getScoreUnit())
                .append(" | ").append(alloc == null ? "n/a" : number(alloc.getScore()))
                .append(" |\n");
        }
        return sb.toString();
    }

    private static String shortName(final String benchmark)
    {
        return benchmark.startsWith(PACKAGE_PREFIX) ? benchmark.substring(PACKAGE_PREFIX.length()) : benchmark;
    }

    private static String params(final BenchmarkParams params)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("threads=").append(params.getThreads());
        for (final String key : params.getParamsKeys())
        {
            sb.append(", ").append(key).append('=').append(params.getParam(key));
        }
        return sb.toString();
    }

    private static String number(final double value)
    {
        final double magnitude = Math.abs(value);
        final String pattern = magnitude >= 1000 ? "%.0f" : magnitude >= 10 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** @return the 1, 5 and 15 minute load averages from {@code /proc/loadavg}, or "unknown". */
    static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return fields.length >= 3 ? fields[0] + " / " + fields[1] + " / " + fields[2] : "unknown";
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    private static String cpuModel()
    {
        final Path cpuinfo = Paths.get("/proc/cpuinfo");
        try
        {
            for (final String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8))
            {
                if (line.startsWith("model name"))
                {
                    final int colon = line.indexOf(':');
                    return colon < 0 ? line.trim() : line.substring(colon + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }
        return "unknown";
    }
}
