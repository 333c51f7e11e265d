package io.decide.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.tools.log.Rewards;
import io.decide.tools.ope.BanditFeedback;
import io.decide.tools.ope.BanditFeedbackReader;
import io.decide.tools.ope.OffPolicyEvaluator;
import io.decide.tools.ope.OpeEstimator;
import io.decide.tools.ope.OpeInputException;
import io.decide.tools.ope.replay.PolicyReplay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code decide ope}: off-policy estimates of an evaluation policy's value from logged bandit feedback. */
@Command(
    name = "ope",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Off-policy evaluation: DM, IPW, SNIPW, DR, SNDR, Switch-DR, DR-OS with confidence intervals.",
    description = {
        "Reads log.csv (columns action,reward,pscore and optionally position, 0-based; other columns ignored), " +
        "dist.csv (columns a0..a{K-1}, one row per log row: the evaluation policy's probabilities) and, for DM " +
        "and the DR family, q.csv (same shape: estimated rewards). Writes estimates.json: per estimator " +
        "{\"value\":V,\"ci\":[lo,hi]}, and \"diagnostics\": {\"n\",\"ess\",\"maxWeight\",...}. Intervals are " +
        "percentile bootstrap with --bootstrap B (deterministic for --seed), else normal from per-row influence " +
        "terms. Definitions follow the Open Bandit Pipeline (docs/OPE.md). Stricter than OBP: NaN/inf, pscore " +
        "outside (0,1], probabilities outside [0,1], dist rows not summing to 1 within --tolerance, actions " +
        "outside 0..K-1 and row-count mismatches exit 3 naming the file, line and data row.",
        "",
        "Replay: with --policy candidate.dpol, --log is a decision log directory (ad-slot records logged with " +
        "their replay rows, AdSlotLogging) and --rewards rewards.csv (request_id,reward or request_id,sat,ads with " +
        "--lambda) is joined by request id as 'decide log join' does; the engine's AdSlotDecider loaded from the " +
        "candidate computes π_e for every logged context, so the evaluated policy is exactly the code that will " +
        "serve. DM and the DR family take q̂ from --reward-model model.dpol (an ad-slot policy with SAT and ADS " +
        "models: λ·SAT + (1−λ)·ADS of every pattern). A record that does not fit the candidate exits 3 naming the " +
        "segment file and offset.",
    })
public final class OpeCommand extends CliCommand
{
    @Option(names = "--log", required = true, paramLabel = "FILE|DIR",
        description = "log.csv; with --policy, the decision log directory.")
    Path log;

    @Option(names = "--action-dist", paramLabel = "FILE", description = "dist.csv: π_e per row (without --policy).")
    Path actionDist;

    @Option(names = "--policy", paramLabel = "FILE",
        description = "Replay: the candidate ad-slot artifact; the engine computes π_e from the decision log.")
    Path policy;

    @Option(names = "--rewards", paramLabel = "FILE",
        description = "Replay: rewards.csv keyed by request_id (reward, or sat,ads with --lambda).")
    Path rewards;

    @Option(names = "--lambda", paramLabel = "L",
        description = "Replay: reward = L·sat + (1−L)·ads for sat,ads rewards.")
    Double lambda;

    @Option(names = "--reward-model", paramLabel = "FILE",
        description = "Replay: ad-slot artifact whose SAT and ADS models give q̂ (for dm and the DR family).")
    Path rewardModel;

    @Option(names = "--artifact", paramLabel = "NAME",
        description = "Replay: only log records of this artifact name (default: all).")
    String artifact;

    @Option(names = "--estimated-rewards", paramLabel = "FILE", description = "q.csv: q̂ per row and action.")
    Path estimatedRewards;

    @Option(names = "--estimators", paramLabel = "LIST", split = ",", defaultValue = "ipw,snipw",
        description = "Comma-separated: dm, ipw, snipw, dr, sndr, switch-dr, dros (default: ${DEFAULT-VALUE}).")
    List<String> estimators;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "estimates.json to write.")
    Path out;

    @Option(names = "--clip", paramLabel = "C",
        description = "Clip IPW and DR importance weights at C > 0 (default: no clipping).")
    Double clip;

    @Option(names = "--switch-tau", paramLabel = "T", defaultValue = "100",
        description = "Switch-DR: keep the DR correction where the weight is <= T (default: ${DEFAULT-VALUE}).")
    double switchTau;

    @Option(names = "--dros-lambda", paramLabel = "L", defaultValue = "100",
        description = "DR-OS shrinkage λ >= 0: w -> λw/(w²+λ) (default: ${DEFAULT-VALUE}).")
    double drosLambda;

    @Option(names = "--bootstrap", paramLabel = "B", defaultValue = "0",
        description = "Bootstrap replicates for percentile intervals; 0 = normal intervals (default: 0).")
    int bootstrap;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Bootstrap seed (default: 1).")
    long seed;

    @Option(names = "--level", paramLabel = "L", defaultValue = "0.95",
        description = "Confidence level of the intervals (default: ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "1e-6",
        description = "Allowed |Σ_a π_e(a|x) - 1| per dist row (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--threads", paramLabel = "T", description = "Bootstrap threads (default: processors).")
    Integer threads;

    /** Creates the command; picocli instantiates it. */
    public OpeCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        final List<OpeEstimator> chosen = new ArrayList<>();
        for (final String name : estimators)
        {
            final OpeEstimator e;
            try
            {
                e = OpeEstimator.parse(name);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec.commandLine(), "--estimators: " + ex.getMessage());
            }
            if (chosen.contains(e))
            {
                throw new ParameterException(spec.commandLine(), "--estimators lists " + name + " twice");
            }
            if (e.needsRewardModel() && (policy == null ? estimatedRewards == null : rewardModel == null))
            {
                throw new ParameterException(spec.commandLine(), "estimator " + e.cliName() + " needs estimated " +
                    "rewards: give " + (policy == null ? "--estimated-rewards q.csv" : "--reward-model model.dpol") +
                    " (or use only ipw, snipw)");
            }
            chosen.add(e);
        }
        if (chosen.isEmpty())
        {
            throw new ParameterException(spec.commandLine(), "--estimators is empty");
        }
        if (clip != null && !(clip > 0))
        {
            throw new ParameterException(spec.commandLine(), "--clip must be > 0: " + clip);
        }
        if (!(switchTau >= 0) || !(drosLambda >= 0))
        {
            throw new ParameterException(spec.commandLine(), "--switch-tau and --dros-lambda must be >= 0");
        }
        if (bootstrap < 0 || bootstrap > 1_000_000)
        {
            throw new ParameterException(spec.commandLine(), "--bootstrap must be 0..1000000: " + bootstrap);
        }
        if (!(level > 0 && level < 1))
        {
            throw new ParameterException(spec.commandLine(), "--level must be in (0, 1): " + level);
        }
        if (!(tolerance >= 0 && tolerance < 1))
        {
            throw new ParameterException(spec.commandLine(), "--tolerance must be in [0, 1): " + tolerance);
        }
        final int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1 || threadCount > 256)
        {
            throw new ParameterException(spec.commandLine(), "--threads must be 1..256: " + threadCount);
        }
        if (policy == null && actionDist == null)
        {
            throw new ParameterException(spec.commandLine(), "give --action-dist dist.csv, or --policy FILE to " +
                "replay a decision log");
        }
        if (policy != null && (actionDist != null || estimatedRewards != null))
        {
            throw new ParameterException(spec.commandLine(), "--policy replays the log: --action-dist and " +
                "--estimated-rewards do not apply (q̂ comes from --reward-model)");
        }
        if (policy != null && rewards == null)
        {
            throw new ParameterException(spec.commandLine(), "--policy needs --rewards rewards.csv");
        }
        if (policy == null && (rewards != null || lambda != null || rewardModel != null || artifact != null))
        {
            throw new ParameterException(spec.commandLine(), "--rewards, --lambda, --reward-model and --artifact " +
                "apply only with --policy");
        }
        if (lambda != null && !(lambda >= 0 && lambda <= 1))
        {
            throw new ParameterException(spec.commandLine(), "--lambda must be in [0, 1]: " + lambda);
        }
        final long start = System.nanoTime();
        final BanditFeedback feedback = policy != null ? replay() :
            BanditFeedbackReader.read(log, actionDist, estimatedRewards, tolerance);
        final long read = System.nanoTime();
        final OffPolicyEvaluator evaluator = new OffPolicyEvaluator(clip != null ? clip : Double.POSITIVE_INFINITY,
            switchTau, drosLambda);
        final OffPolicyEvaluator.Report report = evaluator.evaluate(feedback, chosen, bootstrap, seed, level,
            threadCount);
        final long done = System.nanoTime();

        final Map<String, Object> json = new LinkedHashMap<>();
        for (final Map.Entry<OpeEstimator, OffPolicyEvaluator.Estimate> e : report.estimates().entrySet())
        {
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("value", number(e.getValue().value()));
            one.put("ci", Arrays.asList(number(e.getValue().low()), number(e.getValue().high())));
            json.put(e.getKey().cliName(), one);
        }
        final OffPolicyEvaluator.Diagnostics d = report.diagnostics();
        final Map<String, Object> diagnostics = new LinkedHashMap<>();
        diagnostics.put("n", d.rows());
        diagnostics.put("ess", number(d.effectiveSampleSize()));
        diagnostics.put("maxWeight", number(d.maxWeight()));
        diagnostics.put("meanWeight", number(d.meanWeight()));
        diagnostics.put("clippedRows", d.clippedRows());
        diagnostics.put("actions", feedback.actionCount());
        diagnostics.put("ciMethod", report.ciMethod());
        diagnostics.put("level", level);
        if (bootstrap > 0)
        {
            diagnostics.put("bootstrap", bootstrap);
            diagnostics.put("seed", seed);
        }
        diagnostics.put("clip", clip != null ? clip : null);
        diagnostics.put("switchTau", switchTau);
        diagnostics.put("drosLambda", drosLambda);
        json.put("diagnostics", diagnostics);
        Files.write(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));

        for (final Map.Entry<OpeEstimator, OffPolicyEvaluator.Estimate> e : report.estimates().entrySet())
        {
            out().printf("%-9s %12.6g  [%.6g, %.6g]%n", e.getKey().cliName(), e.getValue().value(),
                e.getValue().low(), e.getValue().high());
        }
        out().printf("n %d  K %d  ess %.6g  max weight %.6g  mean weight %.6g  clipped %d  (%s %.0f%% intervals)%n",
            d.rows(), feedback.actionCount(), d.effectiveSampleSize(), d.maxWeight(), d.meanWeight(),
            d.clippedRows(), report.ciMethod(), 100 * level);
        out().printf("read %.0f ms, estimate %.0f ms; wrote %s%n", (read - start) / 1e6, (done - read) / 1e6, out);
        return ExitCodes.OK;
    }

    private BanditFeedback replay() throws IOException
    {
        final Rewards joined = Rewards.read(rewards);
        if (joined.satAds() != (lambda != null))
        {
            throw new ParameterException(spec.commandLine(), joined.satAds() ? rewards + " has sat,ads: give " +
                "--lambda" : rewards + " has a reward column: --lambda applies only to sat,ads rewards");
        }
        final ArtifactLoader loader = new ArtifactLoader(LoadOptions.defaults());
        final LoadedArtifact candidate = loader.open(policy);
        try
        {
            final LoadedArtifact model = rewardModel == null ? null : loader.open(rewardModel);
            try
            {
                final AdSlotDecider decider = adSlot(candidate, policy);
                final PolicyReplay.Result result = PolicyReplay.replay(log, joined, lambda, decider,
                    model == null ? null : adSlot(model, rewardModel), artifact);
                out().printf("replayed %d of %d log records through %s v%d (%d without a reward%s%s)%n",
                    result.rows(), result.recordsRead(), decider.artifactName(), decider.artifactVersion(),
                    result.withoutReward(), artifact != null ? ", " + result.skipped() + " of other artifacts" : "",
                    result.tornTails().isEmpty() ? "" : ", torn tails skipped: " + result.tornTails());
                try
                {
                    return result.feedback(tolerance);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new OpeInputException(policy + " replay of " + log + ": " +
                        ex.getMessage());
                }
            }
            finally
            {
                if (model != null)
                {
                    model.close();
                }
            }
        }
        finally
        {
            candidate.close();
        }
    }

    private static AdSlotDecider adSlot(final LoadedArtifact artifact, final Path file)
        throws OpeInputException
    {
        try
        {
            return AdSlotDecider.of(artifact, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new OpeInputException(file + ": " + ex.getMessage() + " (replay evaluates " +
                "ad-slot policies)");
        }
    }

    private static Object number(final double v)
    {
        return Double.isFinite(v) ? (Object)v : null;
    }
}
