package io.decide.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.SectionType;
import io.decide.format.Utf8;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalarCommandsTest
{
    @TempDir
    Path dir;

    @Test
    void simulateThenSolveEveryMethodWritesAValidArtifactMatchingTheReport() throws Exception
    {
        final Path responses = dir.resolve("responses.csv");
        final CliRun.Result sim = CliRun.run("simulate", "scalars", "--bids", 2, "--cohorts", 6, "--scalars",
            "0.5,0.75,1,1.25,1.5,2", "--out", responses, "--seed", 7);
        assertEquals(ExitCodes.OK, sim.exitCode(), sim.toString());
        assertEquals(1 + 2 * 6 * 6, Files.readAllLines(responses).size());
        for (final String method : new String[]{"lp", "lpqc", "ilp"})
        {
            final Path report = dir.resolve(method + ".json");
            final CliRun.Result compare = CliRun.run("solve-scalars", "--responses", responses, "--method", method,
                "--rho", 0.01, "--direction", "decreasing", "--report", report);
            assertEquals(ExitCodes.OK, compare.exitCode(), compare.toString());
            assertEquals(method, new ObjectMapper().readTree(report.toFile()).get("bids").get(0).get("method").asText());
            final CliRun.Result refused = CliRun.run("solve-scalars", "--responses", responses, "--method", method,
                "--rho", 0.01, "--direction", "decreasing", "--out", dir.resolve("no.dpol"));
            if (refused.exitCode() != ExitCodes.OK)
            {
                assertEquals(ExitCodes.FAILURE, refused.exitCode(), refused.toString());
                assertTrue(refused.err().contains("is not decreasing after cohort"), refused.toString());
                assertTrue(!Files.exists(dir.resolve("no.dpol")));
            }
        }
        for (final String method : new String[]{"lp-sorted", "lpqc-sorted"})
        {
            final Path out = dir.resolve(method + ".dpol");
            final Path report = dir.resolve(method + ".json");
            final CliRun.Result solve = CliRun.run("solve-scalars", "--responses", responses, "--method", method,
                "--rho", 0.01, "--lower", 0.5, "--upper", 2, "--direction", "decreasing", "--out", out,
                "--report", report);
            assertEquals(ExitCodes.OK, solve.exitCode(), solve.toString());
            final JsonNode json = new ObjectMapper().readTree(report.toFile());
            assertEquals(2, json.get("bids").size());
            final byte[] bytes = Files.readAllBytes(out);
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            final ArtifactLayout layout = new ArtifactValidator().validate(out.toString(), buffer, bytes.length);
            final CohortScalarsFlyweight s = new CohortScalarsFlyweight()
                .wrap(buffer, layout.sectionOffset(layout.indexOf(SectionType.COHORT_SCALARS, 0)));
            final int metadata = layout.indexOf(SectionType.METADATA, 0);
            assertTrue(Utf8.decodeStrict(buffer, layout.sectionOffset(metadata), layout.sectionLength(metadata))
                .contains("\"dualGap\""));
            for (int q = 0; q < 2; q++)
            {
                final JsonNode bid = json.get("bids").get(q);
                for (final String field : new String[]{"bid", "method", "scalars", "objective", "performance",
                    "required", "dualGap", "fit", "residual", "solveMillis"})
                {
                    assertTrue(bid.has(field), "report.json bid lacks " + field);
                }
                assertEquals(method, bid.get("method").asText());
                assertTrue(bid.get("performance").asDouble() >= bid.get("required").asDouble());
                assertTrue(bid.get("residual").asDouble() >= 0);
                assertEquals(6, bid.get("fit").size());
                assertEquals(3, bid.get("fit").get(0).get("performance").size());
                assertEquals(2, bid.get("fit").get(0).get("engagement").size());
                s.bid(q);
                assertEquals(q, s.bidId());
                assertEquals(6, s.cohortCount());
                assertEquals(CohortScalarsDescriptor.DECREASING, s.direction());
                assertEquals(1.0, s.defaultScalar());
                for (int i = 0; i < 6; i++)
                {
                    assertEquals(bid.get("scalars").get(i).asDouble(), s.scalar(i));
                }
                assertEquals(3, s.cohortOf(3.0), "default boundaries are 1..N-1");
            }
        }
    }

    @Test
    void curveWritesEverySeriesAndAChart() throws Exception
    {
        final Path responses = dir.resolve("responses.csv");
        assertEquals(ExitCodes.OK, CliRun.run("simulate", "scalars", "--bids", 1, "--cohorts", 8, "--out", responses,
            "--seed", 5).exitCode());
        final Path csv = dir.resolve("curve.csv");
        final Path svg = dir.resolve("curve.svg");
        final CliRun.Result curve = CliRun.run("scalars-curve", "--responses", responses, "--rho-from", -0.04,
            "--rho-to", 0.02, "--steps", 13, "--direction", "decreasing", "--out", csv, "--plot", svg);
        assertEquals(ExitCodes.OK, curve.exitCode(), curve.toString());
        final java.util.List<String> lines = Files.readAllLines(csv);
        assertEquals("bid,series,rho,scalar,performanceDelta,engagementDelta,efficiency", lines.get(0));
        for (final String series : new String[]{",uniform,", ",lp,", ",lp-sorted,", ",lpqc,", ",lpqc-sorted,",
            ",neutral-performance:lpqc-sorted,", ",neutral-engagement:lpqc-sorted,"})
        {
            assertTrue(lines.stream().anyMatch(l -> l.contains(series)), "curve.csv lacks " + series);
        }
        final String neutral = lines.stream().filter(l -> l.contains(",neutral-performance:lpqc-sorted,"))
            .findFirst().orElseThrow();
        assertEquals(0.0, Double.parseDouble(neutral.split(",")[4]), 1e-9, "performance is neutral at rho 0");
        assertTrue(Double.parseDouble(neutral.split(",")[5]) > 0, "and engagement gains: " + neutral);
        final String chart = Files.readString(svg);
        assertTrue(chart.startsWith("<svg") && chart.contains("performance delta") &&
            chart.contains("engagement delta") && chart.contains("lpqc-sorted") && chart.contains("uniform x"));
    }

    @Test
    void refusalsNameTheFileLineColumnOrCohort() throws Exception
    {
        final Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "bid,cohort,scalar,engagement,performance\n0,0,1,2,3\n0,0,2,,3\n");
        final CliRun.Result missing = CliRun.run("solve-scalars", "--responses", csv, "--method", "lp",
            "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.IO_ERROR, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("bad.csv:3: column 'engagement' is empty"), missing.toString());

        Files.writeString(csv, "bid,cohort,scalar,engagement,performance\n0,0,1,2,3\n0,0,2,3,NaN\n");
        final CliRun.Result nan = CliRun.run("solve-scalars", "--responses", csv, "--method", "lp",
            "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.IO_ERROR, nan.exitCode(), nan.toString());
        assertTrue(nan.err().contains("bad.csv:3: column 'performance' is 'NaN', expected a finite number"),
            nan.toString());

        Files.writeString(csv, "bid,cohort,scalar,engagement,performance\n0,0,1,2,3\n0,0,2,3,4\n");
        final CliRun.Result few = CliRun.run("solve-scalars", "--responses", csv, "--method", "lpqc",
            "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.IO_ERROR, few.exitCode(), few.toString());
        assertTrue(few.err().contains("bad.csv:3: column 'scalar': bid 0 cohort 0 has 2 distinct scalars, a " +
            "quadratic fit needs 3"), few.toString());

        // Cohort 1's performance is convex (a > 0): lpqc refuses it by name.
        Files.writeString(csv, "bid,cohort,scalar,engagement,performance\n" +
            "0,0,0.5,1,0.75\n0,0,1,1,1\n0,0,2,1,1\n" +
            "0,1,0.5,1,1.25\n0,1,1,1,1\n0,1,2,1,4\n");
        final CliRun.Result convex = CliRun.run("solve-scalars", "--responses", csv, "--method", "lpqc",
            "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.FAILURE, convex.exitCode(), convex.toString());
        assertTrue(convex.err().contains("bid 0 (lpqc): not convex: cohort 1"), convex.toString());

        final CliRun.Result usage = CliRun.run("solve-scalars", "--responses", csv, "--method", "ecos",
            "--out", dir.resolve("x.dpol"));
        assertEquals(ExitCodes.USAGE, usage.exitCode(), usage.toString());
    }
}
