package io.decide.tools.cli;

import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.adslot.AdSlotPolicyDescriptor;
import io.decide.format.adslot.AdSlotPolicyWriter;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.adslot.AdSlotArtifactBuilder;
import io.decide.tools.gbdt.ModelFormat;
import io.decide.tools.gbdt.ModelImportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code decide build-adslot}: assemble an ad-slot policy artifact from SAT and ADS reward models. */
@Command(
    name = "build-adslot",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Build an ad-slot policy artifact (AD_SLOT_POLICY + SAT/ADS GBDT models).",
    description = {
        "Imports the SAT and ADS reward models (XGBoost JSON by default; any format of 'decide import'), each " +
        "taking the context features then the pattern's ad count and mask, enumerates the feed patterns of the " +
        "action space (n slots, at most m ads, forbidden positions, min gap between ads), and writes an artifact " +
        "whose policy serves the allowed pattern of highest λ·SAT + (1−λ)·ADS with ε-greedy (--epsilon) or " +
        "softmax (--temperature) exploration, a uniform holdout of --holdout percent of users and a probability " +
        "floor. --kind static|fatigue writes the paper's baselines instead (no models). Model features named like " +
        "a state feature (prev_ad_mask, posts_since_last_ad, ads_last_3_feeds, ads_last_5_feeds, " +
        "session_ad_impressions, feed_depth, idle_seconds) receive it automatically; --state-slot overrides. The " +
        "artifact is loaded back as the engine loads it before the command succeeds. See docs/ADSLOT.md.",
    })
public final class BuildAdslotCommand extends CliCommand
{
    @Option(names = "--sat", paramLabel = "FILE", description = "SAT reward model.")
    Path sat;

    @Option(names = "--ads", paramLabel = "FILE", description = "ADS reward model.")
    Path ads;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "xgboost-json",
        description = "Model format: xgboost-json, xgboost-ubj, lightgbm-text, onnx (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "model",
        description = "model (default), static or fatigue.")
    String kind;

    @Option(names = "--lambda", paramLabel = "λ", defaultValue = "0.8",
        description = "Reward weight: reward = λ·SAT + (1−λ)·ADS, in [0, 1] (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "5", description = "Feed slots (default: 5).")
    int slots;

    @Option(names = "--max-ads", paramLabel = "M", defaultValue = "2", description = "Most ads per feed (default: 2).")
    int maxAds;

    @Option(names = "--min-gap", paramLabel = "G", defaultValue = "1",
        description = "Fewest posts between two ads, also across feeds of a session (default: 1).")
    int minGap;

    @Option(names = "--forbid", paramLabel = "POS", split = ",", defaultValue = "0",
        description = "Forbidden 0-based positions, comma-separated, or 'none' (default: 0).")
    List<String> forbid;

    @Option(names = "--epsilon", paramLabel = "E", description = "ε-greedy exploration.")
    Double epsilon;

    @Option(names = "--temperature", paramLabel = "T", description = "Softmax exploration with temperature T > 0.")
    Double temperature;

    @Option(names = "--floor", paramLabel = "F", defaultValue = "0",
        description = "Least probability of every allowed pattern, at most 1/patterns (default: 0).")
    double floor;

    @Option(names = "--holdout", paramLabel = "PCT", defaultValue = "0",
        description = "Percentage of users (hashed) served uniformly at random (default: 0).")
    double holdout;

    @Option(names = "--holdout-salt", paramLabel = "S", defaultValue = "0",
        description = "Salt of the holdout hash (default: 0).")
    long holdoutSalt;

    @Option(names = "--transformed", description = "Score with the models' transformed output (e.g. probability).")
    boolean transformed;

    @Option(names = "--state-slot", paramLabel = "NAME=INDEX",
        description = "Feed a state feature into context index INDEX (-1: none). Repeatable.")
    List<String> stateSlots = new ArrayList<>();

    @Option(names = "--context-features", paramLabel = "C",
        description = "Context width of a baseline (no models).")
    Integer contextFeatures;

    @Option(names = "--static-offset", paramLabel = "O", defaultValue = "1",
        description = "Static: posts before a session's first ad (default: 1).")
    int staticOffset;

    @Option(names = "--static-gap", paramLabel = "G", description = "Static: posts between ads (default: --min-gap).")
    Integer staticGap;

    @Option(names = "--fatigue-feature", paramLabel = "I", description = "Fatigue: context index of the score.")
    Integer fatigueFeature;

    @Option(names = "--fatigue-threshold", paramLabel = "T", description = "Fatigue: threshold.")
    Double fatigueThreshold;

    @Option(names = "--fatigue-low", paramLabel = "P", defaultValue = "0",
        description = "Fatigue: pattern index at or above the threshold (default: 0, no ad).")
    int fatigueLow;

    @Option(names = "--fatigue-high", paramLabel = "P",
        description = "Fatigue: pattern index below the threshold (default: the last pattern).")
    Integer fatigueHigh;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "adslot",
        description = "Artifact name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--artifact-version", paramLabel = "V", defaultValue = "1",
        description = "Artifact version; it also keys the decision draws (default: ${DEFAULT-VALUE}).")
    long artifactVersion;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Artifact to write (.dpol).")
    Path out;

    /** Creates the command; picocli instantiates it. */
    public BuildAdslotCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        if (epsilon != null && temperature != null)
        {
            return usage("--epsilon and --temperature exclude each other");
        }
        int forbidden = 0;
        for (final String position : forbid)
        {
            if (position.equalsIgnoreCase("none"))
            {
                continue;
            }
            try
            {
                final int p = Integer.parseInt(position.trim());
                if (p < 0 || p >= slots)
                {
                    return usage("--forbid position " + p + " is outside the " + slots + " slots");
                }
                forbidden |= 1 << p;
            }
            catch (final NumberFormatException ex)
            {
                return usage("--forbid expects 0-based positions or 'none', got '" + position + "'");
            }
        }
        final AdSlotArtifactBuilder builder = new AdSlotArtifactBuilder(name, artifactVersion);
        final AdSlotPolicyWriter policy = builder.policy();
        try
        {
            policy.actionSpace(slots, maxAds, forbidden, minGap);
        }
        catch (final IllegalArgumentException ex)
        {
            return usage(ex.getMessage());
        }
        final int patterns = policy.patterns().length;
        try
        {
            switch (kind)
            {
                case "model":
                    if (sat == null || ads == null)
                    {
                        return usage("--kind model needs --sat and --ads");
                    }
                    for (final Path model : new Path[]{sat, ads})
                    {
                        if (!Files.isRegularFile(model))
                        {
                            throw new NoSuchFileException(model.toString());
                        }
                    }
                    final ModelFormat modelFormat = ModelFormat.byName(format);
                    final TreeEnsemble satModel;
                    final TreeEnsemble adsModel;
                    try
                    {
                        satModel = modelFormat.read(sat);
                        adsModel = modelFormat.read(ads);
                    }
                    catch (final ModelImportException ex)
                    {
                        err().println("REFUSED " + ex.getMessage());
                        trace(ex);
                        return ExitCodes.INVALID;
                    }
                    builder.jointModels(satModel, adsModel).provenance("sat", sat.toString())
                        .provenance("ads", ads.toString());
                    policy.lambda(lambda).transformedScores(transformed);
                    break;
                case "static":
                    builder.contextFeatures(contextFeatures != null ? contextFeatures : 0);
                    policy.staticBaseline(staticOffset, staticGap != null ? staticGap : minGap);
                    break;
                case "fatigue":
                    if (fatigueFeature == null || fatigueThreshold == null || contextFeatures == null)
                    {
                        return usage("--kind fatigue needs --context-features, --fatigue-feature and " +
                            "--fatigue-threshold");
                    }
                    builder.contextFeatures(contextFeatures);
                    policy.fatigueBaseline(fatigueFeature, fatigueThreshold, fatigueLow,
                        fatigueHigh != null ? fatigueHigh : patterns - 1);
                    break;
                default:
                    return usage("--kind must be model, static or fatigue, not '" + kind + "'");
            }
            if (epsilon != null)
            {
                policy.epsilonGreedy(epsilon);
            }
            else if (temperature != null)
            {
                policy.softmax(temperature);
            }
            policy.floor(floor).holdout(holdout, holdoutSalt);
            for (final String spec : stateSlots)
            {
                final int eq = spec.lastIndexOf('=');
                if (eq <= 0)
                {
                    return usage("--state-slot expects NAME=INDEX, got '" + spec + "'");
                }
                builder.stateSlot(AdSlotArtifactBuilder.stateFeature(spec.substring(0, eq)),
                    Integer.parseInt(spec.substring(eq + 1).trim()));
            }
            final byte[] bytes = builder.toBytes();
            ArtifactWriter.writeAtomically(out, bytes);
        }
        catch (final IllegalArgumentException ex)
        {
            return usage(ex.getMessage());
        }
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(out);
        try
        {
            final AdSlotDecider decider = AdSlotDecider.of(artifact, 0);
            out().println("artifact " + name + " v" + artifactVersion + ": " + decider.patternCount() + " patterns (" +
                slots + " slots, <= " + maxAds + " ads, forbidden 0x" + Integer.toHexString(forbidden) + ", min gap " +
                minGap + "), kind " + kind + ", " + decider.contextFeatureCount() + " context features");
            final StringBuilder wired = new StringBuilder();
            for (int s = 0; s < AdSlotPolicyDescriptor.STATE_FEATURE_COUNT; s++)
            {
                if (decider.stateSlot(s) >= 0)
                {
                    wired.append(wired.length() == 0 ? "" : ", ").append(AdSlotArtifactBuilder.STATE_NAMES.get(s))
                        .append(" -> ").append(decider.stateSlot(s));
                }
            }
            out().println("state slots: " + (wired.length() == 0 ? "none" : wired));
            out().println("wrote " + out);
        }
        finally
        {
            artifact.close();
        }
        return ExitCodes.OK;
    }

    private int usage(final String message)
    {
        err().println("decide build-adslot: " + message);
        return ExitCodes.USAGE;
    }
}
