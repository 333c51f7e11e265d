package io.decide.tools.cli;

import io.decide.tools.adload.RewardTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code decide train-reward}: train a SAT or ADS reward model with XGBoost from joined.csv. */
@Command(
    name = "train-reward",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Train a GBDT reward model (SAT or ADS) with XGBoost from joined.csv; writes XGBoost JSON.",
    description = {
        "joined.csv: one row per logged decision; every column except request_id, user_id, action, pscore, sat, " +
        "ads and reward is a feature, in header order (context features, then the action encoding ad_count, " +
        "ad_at_0..ad_at_{n-1}; see docs/OPE.md). Trains reg:squarederror boosted trees with xgboost4j on the " +
        "column --target, holding out a seeded share of rows to report the error, checks the model imports and " +
        "predicts as XGBoost does, and writes the model JSON that 'decide import --format xgboost-json' reads.",
    })
public final class TrainRewardCommand extends CliCommand
{
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "joined.csv.")
    Path in;

    @Option(names = "--target", required = true, paramLabel = "sat|ads", description = "Column to predict.")
    String target;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "model.json to write.")
    Path out;

    @Option(names = "--trees", paramLabel = "N", defaultValue = "100",
        description = "Boosting rounds (default: ${DEFAULT-VALUE}).")
    int trees;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "6",
        description = "Max tree depth (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--eta", paramLabel = "E", defaultValue = "0.1",
        description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--holdout", paramLabel = "H", defaultValue = "0.2",
        description = "Share of rows held out for the reported error (default: ${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default: 1).")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "XGBoost threads (default: processors).")
    Integer threads;

    /** Creates the command; picocli instantiates it. */
    public TrainRewardCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        if (!target.equals("sat") && !target.equals("ads"))
        {
            throw new ParameterException(spec.commandLine(), "--target must be sat or ads: " + target);
        }
        if (trees < 1 || depth < 1 || depth > 16 || !(eta > 0 && eta <= 1) || !(holdout >= 0 && holdout < 1))
        {
            throw new ParameterException(spec.commandLine(), "--trees >= 1, --depth 1..16, --eta in (0, 1], " +
                "--holdout in [0, 1)");
        }
        final int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1 || threadCount > 256)
        {
            throw new ParameterException(spec.commandLine(), "--threads must be 1..256: " + threadCount);
        }
        final long start = System.nanoTime();
        final RewardTrainer.Result result = RewardTrainer.train(in, target,
            new RewardTrainer.Settings(trees, depth, eta, holdout, seed, threadCount));
        Files.write(out, result.json());
        out().printf("trained %s: %d trees, depth %d, %d features (%s), %d rows (%d held out) in %.0f ms%n", target,
            trees, depth, result.features().length, String.join(",", result.features()), result.trainRows(),
            result.holdoutRows(), (System.nanoTime() - start) / 1e6);
        out().printf("RMSE train %.6g  holdout %.6g  (predicting the mean: %.6g)  imported model vs XGBoost: max " +
            "|diff| %.3g%n", result.trainRmse(), result.holdoutRmse(), result.baselineRmse(), result.importMaxDiff());
        out().println("wrote " + out + " (decide import --format xgboost-json --in " + out + " --out FILE.dpol)");
        return ExitCodes.OK;
    }
}
