package io.decide.tools.demo;

import io.decide.format.signature.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Opus loop on its own: what it prints and that every expectation it checks holds. */
class OpusLoopStepTest
{
    @TempDir
    Path dir;

    @Test
    void solvesPublishesLoadsAndDecidesEveryUserWithTheSolvedScalarOfTheirCohort()
    {
        final StringWriter text = new StringWriter();
        final DemoStep keys = new DemoStep()
        {
            @Override
            public String title()
            {
                return "keys";
            }

            @Override
            public void run(final DemoContext context) throws Exception
            {
                context.artifacts(new DemoArtifacts(KeyFiles.generate()));
            }
        };
        final DemoRunner.Outcome outcome = new DemoRunner(List.of(keys, new OpusLoopStep()), List.of())
            .run(new DemoContext(dir, 0, 1, new PrintWriter(text)));
        final String out = text.toString();
        assertTrue(outcome.ok(), out);
        assertTrue(out.contains("[2/2] opus loop: simulate 2 bids x 10 cohorts"), out);
        assertTrue(out.matches("(?s).*bid 0: lpqc-sorted in \\d+ µs, gap .*, scalars \\[[0-9. ]+\\].*"), out);
        assertTrue(out.matches("(?s).*loaded opus v1 \\(opus-v1.dpol, \\d+ bytes, 6 sections, signature verified\\) " +
            "in [0-9.]+ ms, 24 verification vectors replayed \\(GBDT margins, scalars from features\\).*"), out);
        assertTrue(out.contains("decided 20000 users x 2 bids by GBDT sensitivity and by table: 0 scalars differ"),
            out);
        assertTrue(out.contains("2000 unknown users: 4000 default scalars served, 2000 unknown users counted"), out);
        final Matcher ratio = Pattern.compile("efficiency vs uniform on held-out data: bid 0 ([0-9.]+)x, " +
            "bid 1 ([0-9.]+)x").matcher(out);
        assertTrue(ratio.find(), out);
        assertTrue(Double.parseDouble(ratio.group(1)) > 1 && Double.parseDouble(ratio.group(2)) > 1, out);
        assertTrue(out.matches("(?s).*\n  opus decision latency: GBDT p50 [0-9.]+ µs p99 [0-9.]+ µs, table p50 " +
            "[0-9.]+ µs p99 [0-9.]+ µs\n.*"), out);
        assertTrue(out.contains("\nresult: OK\n"), out);
        assertTrue(Files.exists(dir.resolve("opus/opus-v1.dpol")) && Files.exists(dir.resolve("opus/users.cmap")));
        assertEquals(0, outcome.failures().size());
    }

    @Test
    void theSensitivityModelGivesTheTrueCohort()
    {
        final double[] margin = new double[1];
        for (int i = 0; i <= 1000; i++)
        {
            final double u = i / 1000.0;
            OpusLoopStep.sensitivityModel(1).predictRaw(new double[]{0.3, u, 0.9}, margin);
            assertEquals(OpusLoopStep.trueCohort(u), margin[0], "u " + u);
        }
        assertEquals(0, OpusLoopStep.trueCohort(0.0999));
        assertEquals(1, OpusLoopStep.trueCohort(0.1));
        assertEquals(9, OpusLoopStep.trueCohort(0.95));
    }
}
