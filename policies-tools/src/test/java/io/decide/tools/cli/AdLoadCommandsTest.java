package io.decide.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline ad-load loop through the CLI: simulate adload → train-reward (XGBoost) → import → ope and
 * propensity-check on the simulated log, with the estimates checked against the simulator's truth.
 */
class AdLoadCommandsTest
{
    @TempDir
    Path dir;

    @Test
    void simulateTrainImportAndEvaluate() throws Exception
    {
        final Path log = dir.resolve("log.csv");
        final Path joined = dir.resolve("joined.csv");
        final Path dist = dir.resolve("dist.csv");
        final Path q = dir.resolve("q.csv");
        final Path truth = dir.resolve("truth.json");
        final CliRun.Result simulated = CliRun.run("simulate", "adload", "--rows", 20_000, "--out", log, "--joined",
            joined, "--contexts", dir.resolve("contexts.csv"), "--dist", dist, "--q", q, "--truth", truth,
            "--truth-samples", 20_000, "--seed", 9);
        assertEquals(ExitCodes.OK, simulated.exitCode(), simulated.toString());
        assertEquals("action,reward,pscore,sat,ads", Files.readAllLines(log).get(0));
        assertEquals("language,activity,fatigue,prev_ads,posts_since_ad,action,ad_count,ad_at_0,ad_at_1,ad_at_2," +
            "ad_at_3,ad_at_4,pscore,sat,ads,reward", Files.readAllLines(joined).get(0));
        assertEquals("a0,a1,a2,a3,a4,a5,a6,a7", Files.readAllLines(dist).get(0));
        assertEquals(20_001, Files.readAllLines(q).size());
        final JsonNode truthJson = new ObjectMapper().readTree(truth.toFile());
        final double value = truthJson.get("evaluation").get("valueOnLoggedContexts").asDouble();

        final Path model = dir.resolve("sat.json");
        final CliRun.Result trained = CliRun.run("train-reward", "--in", joined, "--target", "sat", "--out", model,
            "--trees", 30, "--depth", 4, "--threads", 1);
        assertEquals(ExitCodes.OK, trained.exitCode(), trained.toString());
        assertTrue(trained.out().contains("imported model vs XGBoost: max |diff| 0.00"), trained.out());
        final CliRun.Result imported = CliRun.run("import", "--format", "xgboost-json", "--in", model, "--out",
            dir.resolve("sat.dpol"));
        assertEquals(ExitCodes.OK, imported.exitCode(), imported.toString());

        final Path estimates = dir.resolve("estimates.json");
        final CliRun.Result ope = CliRun.run("ope", "--log", log, "--action-dist", dist, "--estimated-rewards", q,
            "--estimators", "ipw,dr,dm", "--out", estimates);
        assertEquals(ExitCodes.OK, ope.exitCode(), ope.toString());
        final JsonNode json = new ObjectMapper().readTree(estimates.toFile());
        for (final String e : List.of("ipw", "dr"))
        {
            final double lo = json.get(e).get("ci").get(0).asDouble();
            final double hi = json.get(e).get("ci").get(1).asDouble();
            // Unbiased estimators: within 4 standard errors (from the normal 95% interval) of the true value on
            // these contexts; a false alarm has probability 6e-5 (unbiasedness proper: SimulatedUnbiasednessTest).
            final double se = (hi - lo) / (2 * 1.959964);
            final double estimate = json.get(e).get("value").asDouble();
            assertTrue(Math.abs(estimate - value) <= 4 * se, e + " " + estimate + " ± " + se + " vs truth " + value);
        }
        assertEquals(ExitCodes.OK, CliRun.run("propensity-check", "--log", log).exitCode());
    }

    @Test
    void trainRewardRefusesBadInput() throws Exception
    {
        final Path joined = dir.resolve("joined.csv");
        Files.writeString(joined, "f,sat,ads\n1,2,3\n2,x,4\n");
        final CliRun.Result bad = CliRun.run("train-reward", "--in", joined, "--target", "sat", "--out",
            dir.resolve("m.json"));
        assertEquals(ExitCodes.IO_ERROR, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("joined.csv:3 (data row 1): column 'sat': 'x' is not a number"), bad.err());
        assertEquals(ExitCodes.USAGE, CliRun.run("train-reward", "--in", joined, "--target", "clicks", "--out",
            dir.resolve("m.json")).exitCode());
        final Path noFeatures = dir.resolve("nf.csv");
        Files.writeString(noFeatures, "action,sat,ads\n1,2,3\n2,3,4\n");
        final CliRun.Result none = CliRun.run("train-reward", "--in", noFeatures, "--target", "ads", "--out",
            dir.resolve("m.json"));
        assertEquals(ExitCodes.IO_ERROR, none.exitCode(), none.toString());
        assertTrue(none.err().contains("no feature columns"), none.err());
    }

    @Test
    void simulateAdloadValidatesItsOptions()
    {
        assertEquals(ExitCodes.USAGE, CliRun.run("simulate", "adload", "--rows", 10).exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("simulate", "adload", "--rows", 10, "--out", dir.resolve("l.csv"),
            "--forbidden", 7).exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("simulate", "adload", "--rows", 10, "--out", dir.resolve("l.csv"),
            "--eval-policy", "greedy").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("simulate", "adload", "--rows", 10, "--out", dir.resolve("l.csv"),
            "--eval-policy", "static", "--static-offset", 0).exitCode());
    }
}
