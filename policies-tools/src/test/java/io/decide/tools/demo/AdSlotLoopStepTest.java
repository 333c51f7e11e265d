package io.decide.tools.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ad-slot loop on its own, with the demo's fixed seed: simulate, log, join, train, build, OPE; the learned
 * policy beats the static and fatigue baselines on the simulator's exact values (the step checks it; this test reads
 * the printed table back and checks it again, and that the OPE intervals are printed for every policy).
 */
class AdSlotLoopStepTest
{
    private static final Pattern ROW = Pattern.compile("\n +(learned|static|fatigue|uniform) +" +
        "([-0-9.]+) \\[([-0-9.]+), ([-0-9.]+)\\] +([-0-9.]+) \\[([-0-9.]+), ([-0-9.]+)\\] +" +
        "([-0-9.]+) \\[([-0-9.]+), ([-0-9.]+)\\] +([-0-9.]+) +([-0-9.]+)");

    @TempDir
    Path dir;

    @Test
    void theLearnedPolicyBeatsTheStaticAndFatigueBaselinesOnTheSimulatorsTruth()
    {
        final StringWriter text = new StringWriter();
        final DemoRunner.Outcome outcome = new DemoRunner(List.of(new AdSlotLoopStep()), List.of())
            .run(new DemoContext(dir, 0, 1, new PrintWriter(text)));
        final String out = text.toString();
        assertTrue(outcome.ok(), out);
        assertTrue(out.contains("logged 20000 decisions with replay rows"), out);
        assertTrue(out.contains("10000 of 10000 logged propensities reproduced exactly"), out);
        final Matcher m = ROW.matcher(out);
        final double[] truth = new double[4];
        final double[] fresh = new double[4];
        int found = 0;
        while (m.find())
        {
            final int k = List.of("learned", "static", "fatigue", "uniform").indexOf(m.group(1));
            for (int e = 0; e < 3; e++)
            {
                final double value = Double.parseDouble(m.group(2 + 3 * e));
                final double low = Double.parseDouble(m.group(3 + 3 * e));
                final double high = Double.parseDouble(m.group(4 + 3 * e));
                assertTrue(low <= value && value <= high && low < high, m.group());
            }
            truth[k] = Double.parseDouble(m.group(11));
            fresh[k] = Double.parseDouble(m.group(12));
            found++;
        }
        assertTrue(found == 4, out);
        assertTrue(truth[0] > truth[1] && truth[0] > truth[2] && truth[0] > truth[3], out);
        assertTrue(fresh[0] > fresh[1] && fresh[0] > fresh[2] && fresh[0] > fresh[3], out);
        assertTrue(Files.exists(dir.resolve("adslot/adslot-v1.dpol")) && Files.isDirectory(dir.resolve("adslot/log")));
    }
}
