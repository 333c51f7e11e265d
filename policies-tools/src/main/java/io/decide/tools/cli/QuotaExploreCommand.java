package io.decide.tools.cli;

import io.decide.tools.quota.ExploreScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** {@code decide quota-explore}: add UCB explore scores to items, for solve-quota --explore-weight. */
@Command(
    name = "quota-explore",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Compute UCB explore scores sqrt(2·ln T / n) for quota items.",
    description = {
        "Reads item,k,cost,pvalue,trials (trials n = how often that item and option has been tried; T = the sum of " +
        "all trials; an untried option counts as 1 trial) and writes item,k,cost,pvalue,explore, the input of " +
        "'decide solve-quota --explore-weight W' (value = pvalue + W·explore).",
    })
public final class QuotaExploreCommand extends CliCommand
{
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "item,k,cost,pvalue,trials CSV.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "item,k,cost,pvalue,explore CSV.")
    Path out;

    /** Creates the command; picocli instantiates it. */
    public QuotaExploreCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        final long rows = ExploreScores.write(in, out);
        out().println("wrote " + out + ": " + rows + " rows");
        return ExitCodes.OK;
    }
}
