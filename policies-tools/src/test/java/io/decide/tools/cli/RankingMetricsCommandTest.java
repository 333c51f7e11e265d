package io.decide.tools.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code decide ranking-metrics} on a hand-computed example (the same as {@code RankingMetricsTest}): K = 2,
 * r1: hard 0.5, soft 6/9, TVD 0.8; r2: hard 1, soft 1, TVD 0.25; means 0.75, 5/6, 0.525; pooled TVD 9/14.
 */
class RankingMetricsCommandTest
{
    @TempDir
    Path dir;

    @Test
    void printsMeansAndWritesPerRequestRows() throws Exception
    {
        final Path in = dir.resolve("scores.csv");
        Files.writeString(in, """
            request,candidate,early_score,final_total_value
            r1,a,4,1
            r1,b,3,5
            r2,x,1,2
            r1,c,2,4
            r1,d,1,0
            r2,y,2,2
            """);
        final Path out = dir.resolve("metrics.csv");
        final CliRun.Result result = CliRun.run("ranking-metrics", "--in", in, "--k", 2, "--out", out);
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.out().contains("requests 2  K 2  hard recall@K 0.750000  soft recall@K 0.833333  " +
            "TVD 0.525000 (mean)  0.642857 (pooled)"), result.toString());
        final List<String> lines = Files.readAllLines(out);
        assertEquals(List.of("request,candidates,k,hard_recall,soft_recall,tvd",
            "r1,4,2,0.5," + (6.0 / 9.0) + ",0.8", "r2,2,2,1.0,1.0,0.25"), lines);
    }

    @Test
    void malformedInputNamesFileLineAndColumn() throws Exception
    {
        final Path in = dir.resolve("bad.csv");
        Files.writeString(in, "request,candidate,early_score,final_total_value\nr1,a,1,2\nr1,b,x,2\n");
        final CliRun.Result result = CliRun.run("ranking-metrics", "--in", in, "--k", 1);
        assertEquals(ExitCodes.IO_ERROR, result.exitCode(), result.toString());
        assertEquals(List.of("decide ranking-metrics: " + in + ":3: column 'early_score': 'x' is not a number"),
            result.errLines());
        assertEquals(ExitCodes.USAGE, CliRun.run("ranking-metrics", "--in", in, "--k", 0).exitCode());
    }
}
