package io.decide.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * Runs Decide's JMH benchmarks with the GC profiler and writes a markdown table of the results.
 * <pre>
 * java $FLAGS -jar bench/target/benchmarks.jar [REGEX...] [--quick] [--out FILE]
 * </pre>
 * {@code REGEX} selects benchmarks (default: every benchmark in {@code io.decide.bench}); {@code --quick} is a
 * smoke run (1 fork, 2 warmup and 3 measurement iterations of 1 s); {@code --out} is the markdown file (default
 * {@code bench/target/results.md}; a JMH JSON file is written next to it). Forked JVMs get the flags of
 * {@code decide.jvm.flags} in {@code jvm.properties}, found through the system property
 * {@code decide.jvm.properties}, else in the current directory or its parent.
 */
public final class BenchMain
{
    /** Key of the JVM flags in {@code jvm.properties}. */
    public static final String FLAGS_KEY = "decide.jvm.flags";
    /** System property naming the {@code jvm.properties} file. */
    public static final String PROPERTIES_PATH_PROPERTY = "decide.jvm.properties";
    /** System property with the command line to print in the report (set by {@code bench/run.sh}). */
    public static final String COMMAND_PROPERTY = "decide.bench.command";

    static final String DEFAULT_INCLUDE = "io\\.decide\\.bench\\..*";
    static final String DEFAULT_OUT = "bench/target/results.md";
    /** Heap of every forked JVM: fixed, large enough for the 100 MB artifact built in memory. */
    static final List<String> FORK_HEAP = List.of("-Xms2g", "-Xmx2g");

    private BenchMain()
    {
    }

    /**
     * @param args {@code [REGEX...] [--quick] [--out FILE]}.
     * @throws Exception when the benchmarks cannot be run or the report cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<String> includes = new ArrayList<>();
        boolean quick = false;
        String out = DEFAULT_OUT;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--quick":
                    quick = true;
                    break;
                case "--out":
                    if (i + 1 >= args.length)
                    {
                        exit("--out needs a file name");
                    }
                    out = args[++i];
                    break;
                case "-h":
                case "--help":
                    System.out.println("usage: java $FLAGS -jar bench/target/benchmarks.jar [REGEX...] [--quick] " +
                        "[--out FILE]");
                    return;
                default:
                    if (arg.startsWith("-"))
                    {
                        exit("unknown option " + arg + " (expected REGEX, --quick or --out FILE)");
                    }
                    includes.add(arg);
            }
        }
        if (includes.isEmpty())
        {
            includes.add(DEFAULT_INCLUDE);
        }

        final Path propertiesFile = findJvmProperties();
        final List<String> forkJvmArgs = new ArrayList<>(readFlags(propertiesFile));
        forkJvmArgs.addAll(FORK_HEAP);

        final Path outFile = Paths.get(out).toAbsolutePath();
        final Path jsonFile = outFile.resolveSibling(stripExtension(outFile.getFileName().toString()) + ".json");
        Files.createDirectories(outFile.getParent());

        final int forks = quick ? 1 : 2;
        final int warmupIterations = quick ? 2 : 5;
        final int measurementIterations = quick ? 3 : 5;
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .addProfiler(GCProfiler.class)
            .jvmArgs(forkJvmArgs.toArray(new String[0]))
            .forks(forks)
            .warmupIterations(warmupIterations)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(measurementIterations)
            .measurementTime(TimeValue.seconds(1))
            .shouldFailOnError(true)
            .result(jsonFile.toString())
            .resultFormat(ResultFormatType.JSON);
        for (final String include : includes)
        {
            options.include(include);
        }

        final String loadAtStart = ResultsTable.loadAverage();
        final Collection<RunResult> results;
        try
        {
            results = new Runner(options.build()).run();
        }
        catch (final RunnerException ex)
        {
            System.err.println("benchmark run failed: " + ex.getMessage());
            throw ex;
        }
        if (results.isEmpty())
        {
            exit("no benchmark matched " + includes);
        }

        final String settings = forks + " fork(s), warmup " + warmupIterations + " x 1 s, measurement " +
            measurementIterations + " x 1 s, profiler gc; fork JVM args: `" + String.join(" ", forkJvmArgs) + "`";
        final String markdown = ResultsTable.markdown(results, command(args), settings, loadAtStart);
        Files.writeString(outFile, markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(markdown);
        System.out.println("Written to " + outFile + " (JMH JSON: " + jsonFile + ")");
    }

    /**
     * Locate {@code jvm.properties}: the {@value #PROPERTIES_PATH_PROPERTY} system property, else the current
     * directory, else its parent (so both the repository root and {@code bench/} work).
     *
     * @return the file.
     */
    static Path findJvmProperties()
    {
        final String configured = System.getProperty(PROPERTIES_PATH_PROPERTY);
        if (configured != null && !configured.isBlank())
        {
            final Path file = Paths.get(configured);
            if (!Files.isRegularFile(file))
            {
                exit("-D" + PROPERTIES_PATH_PROPERTY + "=" + configured + " does not name a readable file");
            }
            return file;
        }
        final Path cwd = Paths.get("").toAbsolutePath();
        final List<Path> candidates = new ArrayList<>();
        candidates.add(cwd.resolve("jvm.properties"));
        if (cwd.getParent() != null)
        {
            candidates.add(cwd.getParent().resolve("jvm.properties"));
        }
        for (final Path candidate : candidates)
        {
            if (Files.isRegularFile(candidate))
            {
                return candidate;
            }
        }
        exit("cannot find jvm.properties (looked at " + candidates + "); run from the repository root or bench/, " +
            "or pass -D" + PROPERTIES_PATH_PROPERTY + "=/path/to/jvm.properties");
        return null;
    }

    /**
     * @param file a {@code jvm.properties} file.
     * @return the flags of its {@value #FLAGS_KEY} key, split on white space.
     * @throws IOException when the file cannot be read.
     */
    static List<String> readFlags(final Path file) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        final String flags = properties.getProperty(FLAGS_KEY);
        if (flags == null || flags.isBlank())
        {
            exit(file + " has no " + FLAGS_KEY + " key");
        }
        return Arrays.asList(flags.trim().split("\\s+"));
    }

    private static String command(final String[] args)
    {
        final String configured = System.getProperty(COMMAND_PROPERTY);
        if (configured != null && !configured.isBlank())
        {
            return configured;
        }
        return ProcessHandle.current().info().commandLine()
            .orElse("java -jar bench/target/benchmarks.jar " + String.join(" ", args));
    }

    private static String stripExtension(final String fileName)
    {
        final int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static void exit(final String message)
    {
        System.err.println("BenchMain: " + message);
        System.exit(2);
    }
}
