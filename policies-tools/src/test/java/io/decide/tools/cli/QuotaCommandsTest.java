package io.decide.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.tools.quota.QuotaFiles;
import io.decide.tools.quota.QuotaInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaCommandsTest
{
    @TempDir
    Path dir;

    @Test
    void simulateSolveDecideLoopKeepsTheBudgetAndTheArtifactMatchesTheReport() throws Exception
    {
        final Path items = dir.resolve("items.bin");
        final CliRun.Result sim = CliRun.run("simulate", "quota", "--items", 20_000, "--options", 10, "--out", items);
        assertEquals(ExitCodes.OK, sim.exitCode(), sim.toString());
        final Path out = dir.resolve("quota.dpol");
        final Path report = dir.resolve("report.json");
        final Path assignments = dir.resolve("assign.csv");
        final CliRun.Result solve = CliRun.run("solve-quota", "--items", items, "--capacity", 10_000, "--out", out,
            "--report", report, "--assignments", assignments, "--threads", 2);
        assertEquals(ExitCodes.OK, solve.exitCode(), solve.toString());
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        for (final String field : new String[]{"lambda", "totalCost", "capacity", "totalValue", "dualBound", "gap",
            "iterations", "items"})
        {
            assertTrue(json.has(field), "report.json lacks " + field);
        }
        assertTrue(json.get("totalCost").asDouble() <= 10_000);
        assertEquals(20_000, json.get("items").asInt());
        assertTrue(json.get("gap").asDouble() >= -1e-6 && json.get("gap").asDouble() <= 100, json.toString());

        final List<String> lines = Files.readAllLines(assignments);
        assertEquals("item,k", lines.get(0));
        assertEquals(20_001, lines.size());
        final QuotaInstance instance = QuotaFiles.read(items, Double.NaN);
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(out);
        try
        {
            final QuotaDecider decider = QuotaDecider.of(artifact, 0);
            assertEquals(json.get("lambda").asDouble(), decider.lambda());
            assertEquals(1, artifact.verification().groupsReplayed(), "the embedded choices were replayed at load");
            assertEquals(64, artifact.verification().vectorsChecked());
            double cost = 0;
            for (int i = 0; i < instance.itemCount(); i++)
            {
                final int k = decider.choose(instance.values(), i * 10);
                cost += decider.cost(k);
                assertEquals(i + "," + k, lines.get(i + 1));
            }
            assertEquals(json.get("totalCost").asDouble(), cost, "the engine's choices spend what the report says");
        }
        finally
        {
            artifact.close();
        }
    }

    @Test
    void sampleAndRepairAreReported() throws Exception
    {
        final Path items = dir.resolve("items.csv");
        assertEquals(ExitCodes.OK, CliRun.run("simulate", "quota", "--items", 3000, "--options", 5, "--noise", 0.2,
            "--zero-share", 0.3, "--out", items).exitCode());
        final Path report = dir.resolve("r.json");
        final CliRun.Result solve = CliRun.run("solve-quota", "--items", items, "--capacity", 2000, "--out",
            dir.resolve("q.dpol"), "--report", report, "--sample", 0.5, "--repair");
        assertEquals(ExitCodes.OK, solve.exitCode(), solve.toString());
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertTrue(json.get("curves").get("nonMonotone").asLong() > 0);
        assertTrue(json.get("curves").get("repaired").asBoolean());
        final JsonNode sample = json.get("sample");
        assertTrue(sample.get("items").asInt() > 1200 && sample.get("items").asInt() < 1800, sample.toString());
        assertEquals(json.get("totalCost").asDouble(), sample.get("fullTotalCost").asDouble());
        assertEquals((json.get("totalCost").asDouble() - 2000) / 2000, sample.get("budgetDeviation").asDouble(), 1e-12);
        assertTrue(Math.abs(sample.get("budgetDeviation").asDouble()) < 0.1, sample.toString());
    }

    @Test
    void badInputsGetClearMessagesAndExitCodes() throws Exception
    {
        final Path csv = dir.resolve("bad.csv");
        Files.write(csv, List.of("item,k,cost,value", "a,0,0,1", "a,1,1,oops"));
        final CliRun.Result bad = CliRun.run("solve-quota", "--items", csv, "--capacity", 1, "--out",
            dir.resolve("x.dpol"));
        assertEquals(ExitCodes.IO_ERROR, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("bad.csv:3: column 'value': 'oops' is not a number"), bad.err());

        final Path paid = dir.resolve("paid.csv");
        Files.write(paid, List.of("item,k,cost,value", "a,1,1,1", "a,2,2,2", "b,1,1,1", "b,2,2,2"));
        final CliRun.Result infeasible = CliRun.run("solve-quota", "--items", paid, "--capacity", 1, "--out",
            dir.resolve("x.dpol"));
        assertEquals(ExitCodes.FAILURE, infeasible.exitCode(), infeasible.toString());
        assertTrue(infeasible.err().contains("infeasible"), infeasible.err());
        assertEquals(ExitCodes.USAGE, CliRun.run("solve-quota", "--items", paid, "--capacity", -1, "--out",
            dir.resolve("x.dpol")).exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("simulate", "nothing").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("simulate", "quota").exitCode());
    }

    @Test
    void pacingSimulationReportsEveryScenario() throws Exception
    {
        final Path json = dir.resolve("pacing.json");
        final CliRun.Result run = CliRun.run("simulate", "pacing", "--items", 50_000, "--json", json, "--threads", 2);
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        for (final String scenario : new String[]{"none", "cost x1.3", "value x1.5"})
        {
            assertTrue(run.out().contains(scenario), run.out());
        }
        assertEquals(3, new ObjectMapper().readTree(json.toFile()).size());
    }

    @Test
    void exploreScoresFeedSolveQuota() throws Exception
    {
        final Path in = dir.resolve("trials.csv");
        Files.write(in, List.of("item,k,cost,pvalue,trials", "a,0,0,0,10", "a,1,1,1,5", "b,0,0,0,10", "b,1,1,0.5,0"));
        final Path explored = dir.resolve("explored.csv");
        assertEquals(ExitCodes.OK, CliRun.run("quota-explore", "--in", in, "--out", explored).exitCode());
        final CliRun.Result solve = CliRun.run("solve-quota", "--items", explored, "--explore-weight", 1.0,
            "--capacity", 1, "--out", dir.resolve("e.dpol"), "--assignments", dir.resolve("e.csv"));
        assertEquals(ExitCodes.OK, solve.exitCode(), solve.toString());
        // T = 25: e(10) = 0.80, e(5) = 1.13, e(1) = 2.54 (b,1 untried). Gain of option 1 with w = 1: a 1.33, b 2.24;
        // with w = 0 a would win (1 > 0.5): the explore bonus decides who gets the one unit.
        assertEquals(List.of("item,k", "a,0", "b,1"), Files.readAllLines(dir.resolve("e.csv")));
    }
}
