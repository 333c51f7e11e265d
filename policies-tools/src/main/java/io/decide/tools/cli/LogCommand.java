package io.decide.tools.cli;

import io.decide.engine.log.TornTail;
import io.decide.tools.log.LogExport;
import io.decide.tools.log.LogJoin;
import io.decide.tools.log.LogSummary;
import io.decide.tools.log.Rewards;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code decide log export|join}: turn a decision log directory into the CSV files OPE reads. */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Export a decision log to CSV (log.csv, dist.csv) or join it with rewards that arrived later.",
    description = {
        "A decision log directory holds the segment files (segment-N.dlog) that the engine's DecisionLog writes " +
        "(format: docs/FORMAT.md, 'Decision log files'). Both subcommands read every segment in order, check " +
        "every record's checksum, skip a torn tail (a record cut by a crash of the writer) and report where it " +
        "was; any other damage exits 3 naming the file and byte offset.",
    },
    subcommands = {LogCommand.Export.class, LogCommand.Join.class})
public final class LogCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    /** Creates the command; picocli instantiates it. */
    public LogCommand()
    {
    }

    /** Without a subcommand: a usage error naming them. */
    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: export or join");
    }

    private static void report(final PrintWriter out, final LogSummary summary)
    {
        for (final TornTail tear : summary.tornTails())
        {
            out.println("torn tail skipped: " + tear);
        }
    }

    /** {@code decide log export}. */
    @Command(
        name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = DecideVersion.class,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        usageHelpAutoWidth = true,
        header = "Export every decision of a log directory to log.csv (and its probability vectors to dist.csv).",
        description = {
            "log.csv columns: request_id,user_id,time_ns,artifact,version,kind,action,position,reward,pscore — " +
            "time_ns in nanoseconds since the Unix epoch, position 0-based, pscore the logged propensity of the " +
            "chosen action, reward empty (fill it with 'decide log join'). dist.csv (--dist): one row per log.csv " +
            "row, columns a0..a{K-1} = the logging policy's probability of each action, K the longest vector " +
            "(shorter ones padded with 0). Files are replaced atomically.",
        })
    static final class Export extends CliCommand
    {
        @Option(names = "--in", required = true, paramLabel = "LOGDIR", description = "Decision log directory.")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "log.csv to write.")
        Path out;

        @Option(names = "--dist", paramLabel = "FILE", description = "dist.csv to write (probability vectors).")
        Path dist;

        @Option(names = "--artifact", paramLabel = "NAME", description = "Only decisions of this artifact.")
        String artifact;

        @Override
        int execute() throws Exception
        {
            final long start = System.nanoTime();
            final LogSummary summary = LogExport.export(in, out, dist, artifact);
            report(out(), summary);
            out().printf("segments %d  records %d  rows %d%s  %.1f ms%nwrote %s%s%n", summary.segments(),
                summary.records(), summary.rows(), dist == null ? "" : "  actions " + summary.distColumns(),
                (System.nanoTime() - start) / 1e6, out, dist == null ? "" : ", " + dist);
            return ExitCodes.OK;
        }
    }

    /** {@code decide log join}. */
    @Command(
        name = "join",
        mixinStandardHelpOptions = true,
        versionProvider = DecideVersion.class,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        usageHelpAutoWidth = true,
        header = "Join a decision log with rewards keyed by request id into joined.csv (and dist.csv) for OPE.",
        description = {
            "rewards.csv: header request_id,reward or request_id,sat,ads (any order), one row per request. With " +
            "sat,ads, reward = λ·sat + (1-λ)·ads (--lambda) and joined.csv also has sat,ads columns before reward; " +
            "otherwise it has the export's columns with reward filled in. Decisions without a reward are counted " +
            "and left out; rewards whose request id is not in the log are counted. A request id twice in the " +
            "rewards (or in the log) exits 3 naming both lines (records). --dist writes dist.csv aligned with " +
            "joined.csv.",
        })
    static final class Join extends CliCommand
    {
        @Option(names = "--log", required = true, paramLabel = "LOGDIR", description = "Decision log directory.")
        Path log;

        @Option(names = "--rewards", required = true, paramLabel = "FILE", description = "rewards.csv.")
        Path rewards;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "joined.csv to write.")
        Path out;

        @Option(names = "--dist", paramLabel = "FILE", description = "dist.csv to write, aligned with joined.csv.")
        Path dist;

        @Option(names = "--lambda", paramLabel = "λ",
            description = "Weight of SAT in reward = λ·sat + (1-λ)·ads, in [0, 1]; required with sat,ads rewards.")
        Double lambda;

        @Option(names = "--artifact", paramLabel = "NAME", description = "Only decisions of this artifact.")
        String artifact;

        @Override
        int execute() throws Exception
        {
            if (lambda != null && !(lambda >= 0 && lambda <= 1))
            {
                throw new ParameterException(spec.commandLine(), "--lambda " + lambda + ", expected 0..1");
            }
            final long start = System.nanoTime();
            final Rewards read = Rewards.read(rewards);
            if (read.satAds() != (lambda != null))
            {
                throw new ParameterException(spec.commandLine(), read.satAds() ?
                    rewards + " has sat,ads columns: give --lambda" :
                    rewards + " has a reward column: --lambda applies only to sat,ads rewards");
            }
            final LogSummary summary = LogJoin.join(log, read, out, dist, artifact, lambda);
            report(out(), summary);
            out().printf("segments %d  records %d  joined %d  without reward %d  rewards not in the log %d" +
                "%s  %.1f ms%nwrote %s%s%n", summary.segments(), summary.records(), summary.rows(),
                summary.withoutReward(), summary.unmatchedRewards(),
                dist == null ? "" : "  actions " + summary.distColumns(), (System.nanoTime() - start) / 1e6, out,
                dist == null ? "" : ", " + dist);
            return ExitCodes.OK;
        }
    }
}
