package io.decide.tools.cli;

import io.decide.engine.adslot.AdSlotContext;
import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.SectionType;
import io.decide.format.adslot.AdSlotPolicyDescriptor;
import io.decide.format.adslot.AdSlotPolicyFlyweight;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.xgboost.XGBoostJsonImporter;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code decide build-adslot} on SAT and ADS models trained by the real XGBoost (context: fatigue, posts since the
 * last ad; then ad count and mask): the artifact loads, the state feature named in the model is wired
 * automatically, and the engine's rewards are the imported models' λ-weighted predictions.
 */
class BuildAdslotCommandTest
{
    private static final String[] NAMES = {"fatigue", "posts_since_last_ad", "ad_count", "ad_mask"};

    @TempDir
    static Path models;

    private static Path satFile;
    private static Path adsFile;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws XGBoostError, IOException
    {
        final int rows = 4000;
        final float[] x = new float[rows * 4];
        final float[] satLabel = new float[rows];
        final float[] adsLabel = new float[rows];
        final SplittableRandom random = new SplittableRandom(3);
        for (int r = 0; r < rows; r++)
        {
            final float fatigue = (float)random.nextDouble(0, 3);
            final float posts = random.nextInt(10);
            final int count = random.nextInt(3);
            final int mask = count == 0 ? 0 : count == 1 ? 1 << (1 + random.nextInt(4)) : 0b01010;
            x[4 * r] = fatigue;
            x[4 * r + 1] = posts;
            x[4 * r + 2] = count;
            x[4 * r + 3] = mask;
            satLabel[r] = (float)(1 - 0.2 * count * fatigue + 0.01 * posts + 0.05 * random.nextGaussian());
            adsLabel[r] = (float)(count * (1 + 0.1 * posts) + 0.05 * random.nextGaussian());
        }
        satFile = trainOne(x, rows, satLabel, "sat.json");
        adsFile = trainOne(x, rows, adsLabel, "ads.json");
    }

    private static Path trainOne(final float[] x, final int rows, final float[] labels, final String file)
        throws XGBoostError, IOException
    {
        final DMatrix matrix = new DMatrix(x, rows, 4, Float.NaN);
        matrix.setFeatureNames(NAMES);
        matrix.setLabel(labels);
        final Map<String, Object> params = new HashMap<>();
        params.put("objective", "reg:squarederror");
        params.put("max_depth", 4);
        params.put("seed", 1);
        params.put("nthread", 1);
        final Booster booster = XGBoost.train(matrix, params, 30, new HashMap<>(), null, null);
        try
        {
            return Files.write(models.resolve(file), booster.toByteArray("json"));
        }
        finally
        {
            booster.dispose();
            matrix.dispose();
        }
    }

    @Test
    void buildsAnArtifactWhoseRewardsAreTheModels() throws IOException
    {
        final Path out = dir.resolve("adslot.dpol");
        final CliRun.Result run = CliRun.run("build-adslot", "--sat", satFile, "--ads", adsFile, "--lambda", "0.8",
            "--epsilon", "0.05", "--floor", "0.01", "--holdout", "2", "--artifact-version", "9", "--out", out);
        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertTrue(run.out().contains("artifact adslot v9: 8 patterns (5 slots, <= 2 ads, forbidden 0x1, min gap 1)"),
            run::toString);
        assertTrue(run.out().contains("state slots: posts_since_last_ad -> 1"), run::toString);
        final TreeEnsemble sat = XGBoostJsonImporter.read(satFile);
        final TreeEnsemble ads = XGBoostJsonImporter.read(adsFile);
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(out);
        try
        {
            assertEquals(2, artifact.layout().count(SectionType.GBDT_ENSEMBLE));
            final AdSlotPolicyFlyweight policy = new AdSlotPolicyFlyweight().wrap(artifact.buffer(),
                artifact.sectionOffset(SectionType.AD_SLOT_POLICY, 0));
            assertEquals(0.8, policy.lambda());
            assertEquals(0.05, policy.epsilon());
            assertEquals(AdSlotPolicyDescriptor.EXPLORE_EPSILON_GREEDY, policy.exploration());
            assertEquals(2, policy.contextFeatureCount());
            final AdSlotDecider decider = AdSlotDecider.of(artifact, 0);
            final AdSlotContext context = decider.newContext();
            final double[] row = {1.5, 4};
            final AdSlotDecision d = decider.replay(1, 2, row, 4, true, context);
            for (int p = 0; p < decider.patternCount(); p++)
            {
                final int mask = decider.mask(p);
                final double[] input = {1.5, 4, Integer.bitCount(mask), mask};
                final double[] s = new double[1];
                final double[] a = new double[1];
                sat.predictRaw(input, s);
                ads.predictRaw(input, a);
                assertEquals(0.8 * s[0] + (1 - 0.8) * a[0], d.reward(p), 0.0, "pattern " + p);
            }
        }
        finally
        {
            artifact.close();
        }
    }

    @Test
    void buildsTheBaselinesAndRefusesBadSettings() throws IOException
    {
        final Path stat = dir.resolve("static.dpol");
        final CliRun.Result s = CliRun.run("build-adslot", "--kind", "static", "--static-offset", "2",
            "--static-gap", "3", "--min-gap", "2", "--out", stat);
        assertEquals(ExitCodes.OK, s.exitCode(), s::toString);
        assertTrue(s.out().contains("6 patterns"), s::toString);
        final CliRun.Result f = CliRun.run("build-adslot", "--kind", "fatigue", "--context-features", "3",
            "--fatigue-feature", "0", "--fatigue-threshold", "2.5", "--state-slot", "ads-last-5-feeds=2",
            "--out", dir.resolve("fatigue.dpol"));
        assertEquals(ExitCodes.OK, f.exitCode(), f::toString);
        assertTrue(f.out().contains("state slots: ads_last_5_feeds -> 2"), f::toString);

        final CliRun.Result both = CliRun.run("build-adslot", "--sat", satFile, "--ads", adsFile, "--epsilon", "0.1",
            "--temperature", "1", "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.USAGE, both.exitCode(), both::toString);
        final CliRun.Result floor = CliRun.run("build-adslot", "--sat", satFile, "--ads", adsFile, "--floor", "0.5",
            "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.USAGE, floor.exitCode(), floor::toString);
        assertTrue(floor.err().contains("probability floor 0.5, expected 0 <= floor <= 1/8"), floor::toString);
        final CliRun.Result lambda = CliRun.run("build-adslot", "--sat", satFile, "--ads", adsFile, "--lambda", "1.2",
            "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.USAGE, lambda.exitCode(), lambda::toString);
        assertTrue(lambda.err().contains("lambda is 1.2"), lambda::toString);
        final CliRun.Result forbid = CliRun.run("build-adslot", "--sat", satFile, "--ads", adsFile, "--forbid", "7",
            "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.USAGE, forbid.exitCode(), forbid::toString);
        final CliRun.Result missing = CliRun.run("build-adslot", "--sat", dir.resolve("none.json"), "--ads", adsFile,
            "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.IO_ERROR, missing.exitCode(), missing::toString);
        assertTrue(!Files.exists(dir.resolve("x.dpol")));
    }

    @Test
    void helpDocumentsTheOptions()
    {
        final CliRun.Result help = CliRun.run("build-adslot", "--help");
        assertEquals(ExitCodes.OK, help.exitCode(), help::toString);
        for (final String option : new String[]{"--sat", "--ads", "--lambda", "--slots", "--max-ads", "--min-gap",
            "--forbid", "--epsilon", "--temperature", "--floor", "--holdout", "--state-slot", "--kind", "--out"})
        {
            assertTrue(help.out().contains(option), () -> option + " missing:\n" + help);
        }
        final CliRun.Result root = CliRun.run("--help");
        assertTrue(root.out().contains("\n  build-adslot "), root::toString);
    }
}
