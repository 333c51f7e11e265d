package io.decide.tools.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The {@code decide} command: the root of the subcommands, the {@code --verbose} flag they all inherit, and the
 * process entry point. Every subcommand maps its failures to {@link ExitCodes} and one line on stderr itself, so
 * {@code new CommandLine(new DecideCli()).execute(args)} behaves the same in-process as the shaded jar does.
 */
@Command(
    name = "decide",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    exitCodeOnExecutionException = ExitCodes.FAILURE,
    usageHelpAutoWidth = true,
    header = "Work with Decide policy artifacts (.dpol): inspect, validate, sign, and run the demo.",
    description = {
        "Artifacts are validated completely, exactly as the engine does before it serves them; a refused artifact " +
        "gets one line naming the file, the section, the byte offset and what was expected.",
    },
    subcommands = {
        InspectCommand.class,
        ValidateCommand.class,
        KeygenCommand.class,
        SignCommand.class,
        ImportCommand.class,
        PredictCommand.class,
        DemoCommand.class,
        SolveQuotaCommand.class,
        SolveScalarsCommand.class,
        ScalarsCurveCommand.class,
        SimulateCommand.class,
        QuotaExploreCommand.class,
        RankingMetricsCommand.class,
        CohortsCommand.class,
        LogCommand.class,
        CommandLine.HelpCommand.class,
    },
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        " 0:OK; every artifact checked is valid.",
        " 1:Failure: the demo found an inconsistency, an infeasible quota capacity, a pacing simulation below its " +
            "minimum share, a non-convex or infeasible scalar problem, or an internal error.",
        " 2:Invalid artifact: refused (bad bytes; unsigned or wrong signer when a key is required).",
        " 3:I/O error: a file cannot be read or written, a key file is not an Ed25519 PEM key, or an input file " +
            "(items.csv, items.bin, responses.csv, scores.csv, users.csv) is malformed.",
        "64:Usage error: unknown option, missing or out-of-range argument.",
    },
    footer = {
        "",
        "Run 'decide COMMAND --help' for a command's options. With several files, the exit code is the highest " +
        "any file produced. bin/decide runs the jar with the JVM flags from jvm.properties plus $DECIDE_JAVA_OPTS.",
    })
public final class DecideCli implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(
        names = "--verbose",
        scope = ScopeType.INHERIT,
        description = "Print stack traces with error messages.")
    private boolean verbose;

    /** Creates the root command; wrap it in a {@link CommandLine} to run it. */
    public DecideCli()
    {
    }

    /**
     * Runs {@code decide} and exits the JVM with its exit code.
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new DecideCli()).execute(args));
    }

    /** @return whether {@code --verbose} was given (on this command or any subcommand). */
    boolean verbose()
    {
        return verbose;
    }

    /** Without a subcommand: a usage error that lists the commands. */
    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(),
            "Missing command: one of inspect, validate, keygen, sign, demo");
    }
}
