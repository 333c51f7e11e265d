package io.decide.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code decide ope} and {@code decide propensity-check} end to end on a hand-computed log, and every validation
 * error naming the file and row.
 * <p>
 * Log: 4 rows, K = 2, p = 0.5 each. π_e = (0.8, 0.2) on every row, q̂ = (0.5, 0.25). Actions 0,1,0,1 with rewards
 * 1,0,0,1. Weights w = 1.6, 0.4, 1.6, 0.4. IPW = (1.6 + 0 + 0 + 0.4) / 4 = 0.5; SNIPW = 2 / 4 = 0.5;
 * DM = 0.8·0.5 + 0.2·0.25 = 0.45; DR = 0.45 + (1.6·0.5 + 0.4·(-0.25) + 1.6·(-0.5) + 0.4·0.75) / 4 = 0.5.
 */
class OpeCommandTest
{
    @TempDir
    Path dir;

    private Path write(final String name, final String text) throws Exception
    {
        final Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void writesEstimatesJsonInTheIssueShape() throws Exception
    {
        final Path log = write("log.csv", "action,position,reward,pscore\n0,0,1,0.5\n1,0,0,0.5\n0,0,0,0.5\n1,0,1,0.5\n");
        final Path dist = write("dist.csv", "a0,a1\n0.8,0.2\n0.8,0.2\n0.8,0.2\n0.8,0.2\n");
        final Path q = write("q.csv", "a0,a1\n0.5,0.25\n0.5,0.25\n0.5,0.25\n0.5,0.25\n");
        final Path out = dir.resolve("estimates.json");
        final CliRun.Result result = CliRun.run("ope", "--log", log, "--action-dist", dist, "--estimated-rewards", q,
            "--estimators", "dm,ipw,snipw,dr,sndr,switch-dr,dros", "--out", out, "--bootstrap", 50, "--seed", 3);
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        final JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals(List.of("dm", "ipw", "snipw", "dr", "sndr", "switch-dr", "dros", "diagnostics"),
            iterableToList(json.fieldNames()));
        assertEquals(0.45, json.get("dm").get("value").asDouble(), 1e-15);
        assertEquals(0.5, json.get("ipw").get("value").asDouble(), 1e-15);
        assertEquals(0.5, json.get("snipw").get("value").asDouble(), 1e-15);
        assertEquals(0.5, json.get("dr").get("value").asDouble(), 1e-15);
        assertEquals(2, json.get("ipw").get("ci").size());
        assertTrue(json.get("ipw").get("ci").get(0).asDouble() <= json.get("ipw").get("ci").get(1).asDouble());
        assertEquals(4, json.get("diagnostics").get("n").asInt());
        // ESS = (Σw)² / Σw² = 16 / (2·2.56 + 2·0.16) = 16 / 5.44.
        assertEquals(16 / 5.44, json.get("diagnostics").get("ess").asDouble(), 1e-12);
        assertEquals(1.6, json.get("diagnostics").get("maxWeight").asDouble(), 1e-15);

        final Path again = dir.resolve("again.json");
        CliRun.run("ope", "--log", log, "--action-dist", dist, "--estimated-rewards", q,
            "--estimators", "dm,ipw,snipw,dr,sndr,switch-dr,dros", "--out", again, "--bootstrap", 50, "--seed", 3);
        assertEquals(Files.readString(out), Files.readString(again));

        final Path clipped = dir.resolve("clipped.json");
        assertEquals(ExitCodes.OK, CliRun.run("ope", "--log", log, "--action-dist", dist, "--estimators", "ipw",
            "--clip", 1, "--out", clipped).exitCode());
        // Clipped weights 1, 0.4, 1, 0.4: IPW = (1 + 0.4) / 4.
        assertEquals(0.35, new ObjectMapper().readTree(clipped.toFile()).get("ipw").get("value").asDouble(), 1e-15);
    }

    @Test
    void modelBasedEstimatorsWithoutRewardsAreAUsageError() throws Exception
    {
        final Path log = write("log.csv", "action,reward,pscore\n0,1,0.5\n");
        final Path dist = write("dist.csv", "a0,a1\n0.5,0.5\n");
        final CliRun.Result result = CliRun.run("ope", "--log", log, "--action-dist", dist, "--estimators", "ipw,dr",
            "--out", dir.resolve("e.json"));
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("estimator dr needs estimated rewards: give --estimated-rewards q.csv"),
            result.err());
        assertEquals(ExitCodes.USAGE, CliRun.run("ope", "--log", log, "--action-dist", dist, "--estimators", "ipx",
            "--out", dir.resolve("e.json")).exitCode());
        assertFalse(Files.exists(dir.resolve("e.json")));
    }

    @Test
    void invalidInputIsRefusedNamingFileAndRow() throws Exception
    {
        final String dist2 = "a0,a1\n0.5,0.5\n0.5,0.5\n";
        assertRefused("action,reward,pscore\n0,1,0.5\n1,NaN,0.5\n", dist2, null,
            "log.csv:3 (data row 1): column 'reward': NaN is not finite");
        assertRefused("action,reward,pscore\n0,1,0.5\n1,1,0\n", dist2, null,
            "log.csv:3 (data row 1): pscore 0.0 is outside (0, 1]");
        assertRefused("action,reward,pscore\n0,1,1.5\n1,1,0.5\n", dist2, null,
            "log.csv:2 (data row 0): pscore 1.5 is outside (0, 1]");
        assertRefused("action,reward,pscore\n0,1,0.5\n2,1,0.5\n", dist2, null,
            "log.csv:3 (data row 1): column 'action': 2 is out of range 0..1");
        assertRefused("action,reward,pscore\n0,1,0.5\n-1,1,0.5\n", dist2, null,
            "log.csv:3 (data row 1): action -1 is negative");
        assertRefused("action,reward,pscore\n0,1,0.5\n1,1,0.5\n", "a0,a1\n0.5,0.5\n0.5,0.4\n", null,
            "dist.csv:3 (data row 1): probabilities sum to 0.9, not 1 within 1.0E-6");
        assertRefused("action,reward,pscore\n0,1,0.5\n1,1,0.5\n", "a0,a1\n0.5,0.5\n1.5,-0.5\n", null,
            "dist.csv:3 (data row 1): column 'a0': 1.5 is outside [0, 1]");
        assertRefused("action,reward,pscore\n0,1,0.5\n1,1,0.5\n", "a0,a1\n0.5,0.5\n", null,
            "dist.csv: ends after 1 data rows, but " + dir.resolve("log.csv") + " has more");
        assertRefused("action,reward,pscore\n0,1,0.5\n", dist2, null,
            "dist.csv:3 (data row 1): more rows than " + dir.resolve("log.csv") + " (1 data rows)");
        assertRefused("action,reward,pscore\n0,1,0.5\n1,1,0.5\n", "a1,a0\n0.5,0.5\n0.5,0.5\n", null,
            "dist.csv:1: column 1 is 'a1', expected a0");
        assertRefused("action,reward,pscore\n0,1,0.5\n1,1,0.5\n", dist2, "a0,a1\n1,2\n3,inf\n",
            "q.csv:3 (data row 1): column 'a1': inf is not finite");
        assertRefused("action,reward,pscore\n0,1,0.5\n1,1,0.5\n", dist2, "a0,a1,a2\n1,2,3\n3,4,5\n",
            "q.csv:1: 3 action columns, but " + dir.resolve("dist.csv") + " has 2");
        assertRefused("action,reward\n0,1\n", dist2, null, "log.csv:1: no column 'pscore'");
        assertRefused("action,reward,pscore\n0,1\n", dist2, null, "log.csv:2 (data row 0): 2 fields, the header has 3");
    }

    private void assertRefused(final String log, final String dist, final String q, final String message)
        throws Exception
    {
        final Path logFile = write("log.csv", log);
        final Path distFile = write("dist.csv", dist);
        final Path out = dir.resolve("estimates.json");
        Files.deleteIfExists(out);
        final CliRun.Result result = q == null ?
            CliRun.run("ope", "--log", logFile, "--action-dist", distFile, "--estimators", "ipw", "--out", out) :
            CliRun.run("ope", "--log", logFile, "--action-dist", distFile, "--estimated-rewards", write("q.csv", q),
                "--estimators", "dr", "--out", out);
        assertEquals(ExitCodes.IO_ERROR, result.exitCode(), result.toString());
        assertTrue(result.err().contains(message), "expected '" + message + "' in " + result.err());
        assertTrue(result.err().startsWith("decide ope: " + dir), result.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void propensityCheckExitsOneWhenATestFails() throws Exception
    {
        final StringBuilder good = new StringBuilder("action,position,reward,pscore\n");
        final StringBuilder bad = new StringBuilder("action,position,reward,pscore\n");
        final java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 20_000; i++)
        {
            final int a = random.nextInt(4);
            good.append(a).append(',').append(i % 2).append(",0,0.25\n");
            bad.append(a).append(',').append(i % 2).append(",0,").append(a == 3 ? "0.125" : "0.25").append('\n');
        }
        final Path out = dir.resolve("check.json");
        final CliRun.Result pass = CliRun.run("propensity-check", "--log", write("good.csv", good.toString()),
            "--out", out);
        assertEquals(ExitCodes.OK, pass.exitCode(), pass.toString());
        assertTrue(pass.out().contains("arithmetic-mean test: PASS"), pass.out());
        assertEquals(2 * 5, new ObjectMapper().readTree(out.toFile()).get("tests").size());
        final CliRun.Result fail = CliRun.run("propensity-check", "--log", write("bad.csv", bad.toString()));
        assertEquals(ExitCodes.FAILURE, fail.exitCode(), fail.toString());
        assertTrue(fail.err().contains("fail the arithmetic-mean and harmonic-mean tests at alpha 0.01"), fail.err());
        assertEquals(ExitCodes.USAGE, CliRun.run("propensity-check", "--log", dir.resolve("good.csv"), "--actions",
            3).exitCode());
    }

    private static List<String> iterableToList(final java.util.Iterator<String> it)
    {
        final List<String> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
