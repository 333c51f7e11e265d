package io.decide.tools.demo;

import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotLogging;
import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.adload.AdLoadSimulator;
import io.decide.tools.adload.AdSlotPatterns;
import io.decide.tools.adload.AdSlotTraffic;
import io.decide.tools.adload.RewardTrainer;
import io.decide.tools.adslot.AdSlotArtifactBuilder;
import io.decide.tools.gbdt.xgboost.XGBoostJsonImporter;
import io.decide.tools.log.LogJoin;
import io.decide.tools.log.LogSummary;
import io.decide.tools.log.Rewards;
import io.decide.tools.ope.BanditFeedback;
import io.decide.tools.ope.OffPolicyEvaluator;
import io.decide.tools.ope.OpeEstimator;
import io.decide.tools.ope.replay.PolicyReplay;
import io.decide.tools.ope.replay.RewardTable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The ad-slot loop, closed inside Decide (everything under {@code adslot/} in the policy directory, outside the
 * registry's scan):
 * <ol>
 *   <li>simulate {@value #ROWS} feed fetches with the ad-load simulator, each decided by the engine's
 *       {@link AdSlotDecider} under a uniform-random logging artifact and handed to a {@link DecisionLog} through
 *       {@link AdSlotLogging} with its replay row; outcomes go to rewards.csv;</li>
 *   <li>join the rewards to the log ({@link LogJoin}, as {@code decide log join}) and build the reward models'
 *       training table from the log ({@link RewardTable});</li>
 *   <li>train joint SAT and ADS GBDT models with xgboost4j ({@link RewardTrainer}, as {@code decide train-reward})
 *       and build the ad-slot artifact ({@link AdSlotArtifactBuilder}, as {@code decide build-adslot}); build the
 *       static and fatigue-threshold baselines as artifacts too;</li>
 *   <li>evaluate each artifact off-policy by replay ({@link PolicyReplay}: the engine computes π_e from the logged
 *       rows; IPW, SNIPW and DR with 95% intervals, q̂ from the learned models), and compare with the simulator's
 *       exact values on the logged contexts and on fresh ones.</li>
 * </ol>
 * Checks: replaying the logging artifact gives back every logged propensity; the learned policy's true value beats
 * both baselines' on the logged and on fresh contexts; OPE (DR) ranks it first as well.
 */
public final class AdSlotLoopStep implements DemoStep
{
    /** Feed fetches simulated and logged. */
    static final int ROWS = 20_000;
    /** Fresh contexts for the out-of-sample truth. */
    static final int FRESH = 20_000;
    /** Reward weight λ of SAT. */
    static final double LAMBDA = 0.7;
    /** Name of the learned artifact. */
    static final String NAME = "adslot";
    static final String LOGGING = "adslot-logging";
    static final int STATIC_OFFSET = 1;
    static final int STATIC_GAP = 2;
    static final double FATIGUE_THRESHOLD = 0.6;
    static final double SERVING_EPSILON = 0.05;
    private static final long SEED = 17;
    private static final long T0_NANOS = 1_767_225_600_000_000_000L;

    private final int rows;

    /** The demo's step, {@value #ROWS} rows. */
    public AdSlotLoopStep()
    {
        this(ROWS);
    }

    AdSlotLoopStep(final int rows)
    {
        this.rows = rows;
    }

    @Override
    public String title()
    {
        return "ad-slot loop: simulate " + rows + " feeds, log, join, train SAT/ADS (xgboost4j), build, OPE vs truth";
    }

    @Override
    public void run(final DemoContext context) throws Exception
    {
        final Path dir = Files.createDirectories(context.policies().resolve("adslot"));
        final AdSlotPatterns patterns = AdSlotPatterns.defaults();
        final AdLoadSimulator simulator = new AdLoadSimulator(patterns, 3, LAMBDA);
        final ArtifactLoader loader = new ArtifactLoader(LoadOptions.defaults());
        final List<LoadedArtifact> loaded = new ArrayList<>();
        try
        {
            final AdSlotArtifactBuilder uniform = builder(LOGGING, patterns);
            uniform.contextFeatures(AdSlotTraffic.CONTEXT_FEATURES);
            uniform.policy().staticBaseline(STATIC_OFFSET, STATIC_GAP).epsilonGreedy(1);
            final AdSlotDecider logging = load(loader, loaded, write(dir, LOGGING, uniform));

            final Path logDir = dir.resolve("log");
            final Path rewardsFile = dir.resolve("rewards.csv");
            long start = System.nanoTime();
            final AdSlotTraffic traffic;
            final long written;
            try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(logDir)
                .withMaxActions(patterns.count()).withMaxFeatures(AdSlotTraffic.CONTEXT_FEATURES +
                AdSlotLogging.REPLAY_FIELDS).withSegmentBytes(4L << 20)))
            {
                traffic = AdSlotTraffic.run(simulator, logging, new AdSlotLogging(log, logging, true), rewardsFile,
                    rows, SEED, T0_NANOS);
                log.close();
                written = log.written();
                context.check(log.dropped() == 0 && log.failures() == 0 && written == rows,
                    "decision log wrote " + written + " of " + rows + ", dropped " + log.dropped() + ", failures " +
                    log.failures());
            }
            context.note(String.format("simulated %d feeds (%d patterns, uniform logging), logged %d decisions " +
                "with replay rows in %.0f ms", rows, patterns.count(), written, (System.nanoTime() - start) / 1e6));

            start = System.nanoTime();
            final Path trainFile = dir.resolve("rewards-train.csv");
            final Path evalFile = dir.resolve("rewards-eval.csv");
            split(rewardsFile, trainFile, evalFile);
            final Rewards trainRewards = Rewards.read(trainFile);
            final Rewards rewards = Rewards.read(evalFile);
            final LogSummary joined = LogJoin.join(logDir, rewards, dir.resolve("joined.csv"), null, LOGGING, LAMBDA);
            final Path table = dir.resolve("train.csv");
            final long tableRows = RewardTable.write(logDir, trainRewards, logging, AdLoadSimulator.FEATURE_NAMES,
                LOGGING, table);
            context.check(joined.rows() == rows / 2 && tableRows == rows - rows / 2,
                "join kept " + joined.rows() + " and the training table " + tableRows + " of " + rows + " rows");
            final RewardTrainer.Settings settings = new RewardTrainer.Settings(50, 4, 0.2, 0.1, SEED, 2);
            final RewardTrainer.Result sat = RewardTrainer.train(table, "sat", settings);
            final RewardTrainer.Result ads = RewardTrainer.train(table, "ads", settings);
            Files.write(dir.resolve("sat.json"), sat.json());
            Files.write(dir.resolve("ads.json"), ads.json());
            context.note(String.format("split by request id: odd ids train the reward models (train.csv, %d rows), " +
                "even ids are joined for OPE (joined.csv, %d rows); trained SAT and ADS (xgboost4j, %d trees, " +
                "depth %d) in %.0f ms: held-out RMSE SAT %.4f (mean-only %.4f), ADS %.4f (mean-only %.4f)",
                tableRows, joined.rows(), settings.trees(), settings.depth(), (System.nanoTime() - start) / 1e6,
                sat.holdoutRmse(), sat.baselineRmse(), ads.holdoutRmse(), ads.baselineRmse()));
            context.check(sat.holdoutRmse() < sat.baselineRmse() && ads.holdoutRmse() < ads.baselineRmse(),
                "reward models do not beat the mean on held-out rows");

            final AdSlotArtifactBuilder learnedBuilder = builder(NAME, patterns);
            learnedBuilder.jointModels(model(sat, "sat.json"), model(ads, "ads.json"))
                .provenance("sat", "sat.json").provenance("ads", "ads.json");
            learnedBuilder.policy().lambda(LAMBDA).epsilonGreedy(SERVING_EPSILON);
            final Path learnedFile = write(dir, NAME, learnedBuilder);
            final AdSlotDecider learned = load(loader, loaded, learnedFile);

            final AdSlotArtifactBuilder staticBuilder = builder("adslot-static", patterns);
            staticBuilder.contextFeatures(AdSlotTraffic.CONTEXT_FEATURES);
            staticBuilder.policy().staticBaseline(STATIC_OFFSET, STATIC_GAP).greedy();
            final AdSlotDecider staticPolicy = load(loader, loaded, write(dir, "adslot-static", staticBuilder));

            final AdSlotArtifactBuilder fatigueBuilder = builder("adslot-fatigue", patterns);
            fatigueBuilder.contextFeatures(AdSlotTraffic.CONTEXT_FEATURES);
            fatigueBuilder.policy().fatigueBaseline(AdLoadSimulator.FATIGUE, FATIGUE_THRESHOLD, 0,
                patternOf(staticPolicy, (1 << STATIC_OFFSET) | (1 << (STATIC_OFFSET + STATIC_GAP + 1)))).greedy();
            final AdSlotDecider fatigue = load(loader, loaded, write(dir, "adslot-fatigue", fatigueBuilder));
            context.note("built " + learnedFile.getFileName() + " (joint SAT/ADS models, λ " + LAMBDA + ", ε-greedy " +
                SERVING_EPSILON + ") and the static (offset " + STATIC_OFFSET + ", gap " + STATIC_GAP +
                ") and fatigue (θ " + FATIGUE_THRESHOLD + ") baselines");

            start = System.nanoTime();
            final PolicyReplay.Result self = PolicyReplay.replay(logDir, rewards, LAMBDA, logging, null, LOGGING);
            int mismatches = 0;
            for (int i = 0; i < self.rows(); i++)
            {
                if (self.dist()[i * self.actionCount() + self.log().action(i)] != self.log().pscore(i))
                {
                    mismatches++;
                }
            }
            context.check(mismatches == 0, mismatches + " logged propensities differ from the logging artifact's " +
                "replay");
            context.note(String.format("replayed the logging artifact: %d of %d logged propensities reproduced " +
                "exactly", self.rows() - mismatches, self.rows()));

            final List<OpeEstimator> estimators = List.of(OpeEstimator.IPW, OpeEstimator.SNIPW, OpeEstimator.DR);
            final AdSlotDecider[] policies = {learned, staticPolicy, fatigue, logging};
            final String[] labels = {"learned", "static", "fatigue", "uniform"};
            final double[] dr = new double[policies.length];
            final double[] truth = new double[policies.length];
            final double[] fresh = new double[policies.length];
            context.note(String.format("%-8s %-26s %-26s %-26s %-9s %-9s", "policy", "IPW [95% CI]",
                "SNIPW [95% CI]", "DR [95% CI]", "truth", "fresh"));
            double[] q = null;
            for (int k = 0; k < policies.length; k++)
            {
                final PolicyReplay.Result replay = PolicyReplay.replay(logDir, rewards, LAMBDA, policies[k],
                    q == null ? learned : null, LOGGING);
                q = q == null ? replay.q() : q;
                final BanditFeedback feedback = BanditFeedback.of(replay.log(), replay.actionCount(), replay.dist(),
                    q, BanditFeedback.DEFAULT_SUM_TOLERANCE);
                final OffPolicyEvaluator.Report report = OffPolicyEvaluator.defaults().evaluate(feedback, estimators,
                    0, SEED, 0.95, 1);
                truth[k] = traffic.truth(policies[k], 2, 0)[0];
                fresh[k] = AdSlotTraffic.freshTruth(simulator, policies[k], FRESH, SEED + 1)[0];
                dr[k] = report.estimates().get(OpeEstimator.DR).value();
                context.note(String.format("%-8s %-26s %-26s %-26s %-9.4f %-9.4f", labels[k],
                    interval(report, OpeEstimator.IPW), interval(report, OpeEstimator.SNIPW),
                    interval(report, OpeEstimator.DR), truth[k], fresh[k]));
            }
            context.note(String.format("OPE by replay of %d held-out logged rows x %d policies in %.0f ms (q̂ of DR: " +
                "the learned models; truth: exact value on those rows' contexts; fresh: on %d new contexts)",
                rows / 2, policies.length,
                (System.nanoTime() - start) / 1e6, FRESH));
            context.check(truth[0] > truth[1] && truth[0] > truth[2],
                String.format("learned policy's true value %.4f does not beat static %.4f and fatigue %.4f",
                    truth[0], truth[1], truth[2]));
            context.check(fresh[0] > fresh[1] && fresh[0] > fresh[2],
                String.format("learned policy's value on fresh contexts %.4f does not beat static %.4f and fatigue " +
                    "%.4f", fresh[0], fresh[1], fresh[2]));
            context.check(dr[0] > dr[1] && dr[0] > dr[2],
                String.format("DR estimates do not rank the learned policy first: %.4f vs static %.4f, fatigue %.4f",
                    dr[0], dr[1], dr[2]));
            context.summary("ad-slot loop (true value: learned / static / fatigue / uniform)",
                String.format("%.4f / %.4f / %.4f / %.4f (learned +%.1f%% over the best baseline)", truth[0],
                    truth[1], truth[2], truth[3], 100 * (truth[0] / Math.max(truth[1], truth[2]) - 1)));
        }
        finally
        {
            for (final LoadedArtifact artifact : loaded)
            {
                artifact.close();
            }
        }
    }

    /**
     * Copy the learned ad-slot artifact up into the policy directory, so that {@code bin/decided --policies DIR}
     * serves it with the other kinds.
     *
     * @param policies the demo's policy directory.
     * @return the file written, or null when the loop left no artifact.
     * @throws IOException when it cannot be copied.
     */
    public static Path leaveIn(final Path policies) throws IOException
    {
        final Path source = policies.resolve("adslot").resolve(NAME + "-v1.dpol");
        if (!Files.isRegularFile(source))
        {
            return null;
        }
        final Path target = policies.resolve(source.getFileName());
        final Path temporary = policies.resolve("." + source.getFileName() + ".tmp");
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private static void split(final Path all, final Path odd, final Path even) throws IOException
    {
        final List<String> lines = Files.readAllLines(all);
        final List<String> oddLines = new ArrayList<>();
        final List<String> evenLines = new ArrayList<>();
        oddLines.add(lines.get(0));
        evenLines.add(lines.get(0));
        for (int i = 1; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            final long requestId = Long.parseLong(line.substring(0, line.indexOf(',')));
            (requestId % 2 == 0 ? evenLines : oddLines).add(line);
        }
        Files.write(odd, oddLines);
        Files.write(even, evenLines);
    }

    private static AdSlotArtifactBuilder builder(final String name, final AdSlotPatterns patterns)
    {
        final AdSlotArtifactBuilder builder = new AdSlotArtifactBuilder(name, 1);
        builder.policy().actionSpace(patterns.slots(), patterns.maxAds(), patterns.forbiddenMask(), patterns.minGap());
        return builder;
    }

    private static Path write(final Path dir, final String name, final AdSlotArtifactBuilder builder)
        throws IOException
    {
        final Path file = dir.resolve(name + "-v1.dpol");
        ArtifactWriter.writeAtomically(file, builder.toBytes());
        return file;
    }

    private static AdSlotDecider load(final ArtifactLoader loader, final List<LoadedArtifact> loaded,
        final Path file) throws IOException
    {
        final LoadedArtifact artifact = loader.open(file);
        loaded.add(artifact);
        return AdSlotDecider.of(artifact, 0);
    }

    private static TreeEnsemble model(final RewardTrainer.Result result, final String name)
        throws IOException
    {
        return XGBoostJsonImporter.read(new ByteArrayInputStream(result.json()), name);
    }

    private static int patternOf(final AdSlotDecider decider, final int mask)
    {
        for (int i = 0; i < decider.patternCount(); i++)
        {
            if (decider.mask(i) == mask)
            {
                return i;
            }
        }
        throw new IllegalArgumentException("no pattern with mask " + mask);
    }

    private static String interval(final OffPolicyEvaluator.Report report, final OpeEstimator estimator)
    {
        final OffPolicyEvaluator.Estimate e = report.estimates().get(estimator);
        return String.format("%.4f [%.4f, %.4f]", e.value(), e.low(), e.high());
    }
}
