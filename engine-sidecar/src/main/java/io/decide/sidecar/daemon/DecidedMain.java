package io.decide.sidecar.daemon;

import io.decide.sidecar.metrics.StructuredLog;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/decided}: parse flags (one per {@link DaemonConfig#SETTINGS} property, plus {@code --config FILE}),
 * validate, start the {@link Daemon}, reload on SIGHUP, shut down gracefully on SIGTERM/SIGINT. Exit codes: 0 after a
 * clean shutdown, 2 for a bad configuration, 1 when the daemon cannot start.
 */
public final class DecidedMain
{
    /** Exit code of a bad configuration. */
    public static final int EXIT_CONFIG = 2;
    /** Exit code when the daemon cannot start. */
    public static final int EXIT_START = 1;

    private DecidedMain()
    {
    }

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run the daemon until it is shut down.
     *
     * @param args command line.
     * @return the exit code.
     */
    public static int run(final String[] args)
    {
        final CommandSpec spec = spec();
        final CommandLine commandLine = new CommandLine(spec);
        final ParseResult parsed;
        try
        {
            parsed = commandLine.parseArgs(args);
        }
        catch (final CommandLine.ParameterException ex)
        {
            System.err.println(ex.getMessage());
            commandLine.usage(System.err);
            return EXIT_CONFIG;
        }
        if (parsed.isUsageHelpRequested())
        {
            commandLine.usage(System.out);
            return 0;
        }
        final Map<String, String> flags = new LinkedHashMap<>();
        for (final DaemonConfig.Setting setting : DaemonConfig.SETTINGS)
        {
            if (parsed.hasMatchedOption(setting.flag()))
            {
                flags.put(setting.property(), parsed.matchedOptionValue(setting.flag(), ""));
            }
        }
        final String configFile = parsed.matchedOptionValue("--config", null);
        final DaemonConfig config;
        try
        {
            config = DaemonConfig.from(configFile == null ? null : Path.of(configFile), flags);
        }
        catch (final IllegalArgumentException | java.io.IOException ex)
        {
            System.err.println("decided: " + ex.getMessage());
            return EXIT_CONFIG;
        }
        final StructuredLog log = new StructuredLog(System.err, config.debug());
        final Daemon daemon;
        try
        {
            daemon = Daemon.start(config, log);
        }
        catch (final Exception ex)
        {
            log.error("start.failed", "error", ex.getMessage());
            return EXIT_START;
        }
        final CountDownLatch done = new CountDownLatch(1);
        installSignal("HUP", () -> daemon.reload("sighup"), log);
        final Runnable drain = () -> new Thread(daemon::shutdown, "decided-shutdown").start();
        installSignal("TERM", drain, log);
        installSignal("INT", drain, log);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            daemon.shutdown();
            try
            {
                done.await(daemon.config().drainTimeoutMs() + 5000, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "decided-exit"));
        try
        {
            daemon.awaitTermination();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        daemon.shutdown();
        done.countDown();
        return 0;
    }

    @SuppressWarnings("removal")
    private static void installSignal(final String name, final Runnable action, final StructuredLog log)
    {
        try
        {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal ->
            {
                log.info("signal", "name", name);
                action.run();
            });
        }
        catch (final IllegalArgumentException | LinkageError ex)
        {
            log.warn("signal.unavailable", "name", name, "error", ex.getMessage());
        }
    }

    /** @return the command's picocli model: one option per setting. */
    static CommandSpec spec()
    {
        final CommandSpec spec = CommandSpec.create().name("decided").mixinStandardHelpOptions(false);
        spec.usageMessage()
            .description("Serve Decide's decisions to other processes over Unix domain sockets, TCP and shared " +
                "memory (protocol: docs/PROTOCOL.md). Each option is also a property (decided.NAME) for --config; " +
                "flags override the file. SIGHUP or POST /reload rescans the policy directory.")
            .footerHeading("%nExit codes:%n")
            .footer("  0  clean shutdown (SIGTERM/SIGINT: drain, then exit)", "  1  cannot start (bind, keys)",
                "  2  bad configuration");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help.").build());
        spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(String.class)
            .description("Properties file with decided.* settings.").build());
        for (final DaemonConfig.Setting setting : DaemonConfig.SETTINGS)
        {
            final boolean bool = "true".equals(setting.defaultValue()) || "false".equals(setting.defaultValue());
            final OptionSpec.Builder option = OptionSpec.builder(setting.flag()).type(String.class)
                .description(setting.meaning() + (setting.defaultValue() == null || setting.defaultValue().isEmpty() ?
                    "" : " [default: " + setting.defaultValue() + "]"));
            if (bool)
            {
                option.arity("0..1").fallbackValue("true").paramLabel("true|false");
            }
            else
            {
                option.arity("1").paramLabel(label(setting.property()));
            }
            spec.addOption(option.build());
        }
        return spec;
    }

    private static String label(final String property)
    {
        if (property.endsWith("-us") || property.endsWith("-ms") || property.endsWith("-bytes") ||
            property.endsWith("-spins") || property.endsWith("-yields") || property.endsWith("-slots") ||
            property.endsWith("connections") || property.endsWith("candidates") || property.endsWith("users") ||
            property.endsWith("requests"))
        {
            return "N";
        }
        if (property.endsWith("tcp") || property.endsWith("admin"))
        {
            return "HOST:PORT";
        }
        return property.endsWith("keys") ? "FILES" : "PATH";
    }
}
