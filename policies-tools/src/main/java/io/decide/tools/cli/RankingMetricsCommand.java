package io.decide.tools.cli;

import io.decide.tools.rank.RankingMetrics;
import io.decide.tools.rank.RankingScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code decide ranking-metrics}: early- vs final-stage ranking consistency from logged scores. */
@Command(
    name = "ranking-metrics",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Hard recall@K, soft recall@K and total value divergence of an early ranking stage.",
    description = {
        "Reads scores.csv with columns request,candidate,early_score,final_total_value (one row per logged " +
        "candidate; see docs/RANKING.md) and computes, per request with k = min(K, candidates): hard recall@K " +
        "= |early top-k ∩ final top-k| / k; soft recall@K = Σ final value of the early top-k / Σ final value of " +
        "the final top-k; TVD = Σ|final − early| / Σ|final| over all the request's candidates, early = the logged " +
        "early score. Prints the means (and TVD pooled over all rows); --out writes the per-request values. " +
        "Malformed input exits 3 with a message naming the file, line and column.",
    })
public final class RankingMetricsCommand extends CliCommand
{
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "scores.csv.")
    Path in;

    @Option(names = "--k", required = true, paramLabel = "K", description = "K of recall@K, >= 1.")
    int k;

    @Option(names = "--out", paramLabel = "FILE",
        description = "Write request,candidates,k,hard_recall,soft_recall,tvd per request.")
    Path out;

    /** Creates the command; picocli instantiates it. */
    public RankingMetricsCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        if (k < 1)
        {
            throw new ParameterException(spec.commandLine(), "--k must be >= 1: " + k);
        }
        final RankingScores scores = RankingScores.read(in);
        final RankingMetrics.Summary summary = RankingMetrics.compute(scores, k);
        if (out != null)
        {
            try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8))
            {
                writer.write("request,candidates,k,hard_recall,soft_recall,tvd\n");
                for (final RankingMetrics.PerRequest row : summary.requests())
                {
                    writer.write(row.request() + "," + row.candidates() + "," + row.k() + "," + row.hardRecall() +
                        "," + row.softRecall() + "," + row.tvd() + "\n");
                }
            }
        }
        out().printf("requests %d  K %d  hard recall@K %.6f  soft recall@K %.6f  TVD %.6f (mean)  %.6f (pooled)%n",
            summary.requests().size(), k, summary.meanHardRecall(), summary.meanSoftRecall(), summary.meanTvd(),
            summary.pooledTvd());
        if (summary.undefinedSoft() > 0 || summary.undefinedTvd() > 0)
        {
            out().printf("undefined and left out of the means: soft recall in %d requests (golden top-K value 0), " +
                "TVD in %d (every final value 0)%n", summary.undefinedSoft(), summary.undefinedTvd());
        }
        if (out != null)
        {
            out().println("wrote " + out);
        }
        return ExitCodes.OK;
    }
}
