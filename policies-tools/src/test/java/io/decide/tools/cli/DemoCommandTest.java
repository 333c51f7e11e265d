package io.decide.tools.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest
{
    @TempDir
    Path dir;

    @Test
    void smallDemoServesEveryVersionWithoutTornReads()
    {
        final Path policies = dir.resolve("policies");
        final CliRun.Result result = CliRun.run("demo", "--policies", policies, "--versions", "25", "--readers", "3");
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        assertEquals("", result.err());
        final String out = result.out();
        assertTrue(out.contains("\n  torn reads: 0\n"), out);
        assertTrue(out.contains("\n  reader errors: 0\n"), out);
        assertTrue(out.contains("\n  versions served: 27 (v1..v26, v29)\n"), out);
        assertTrue(out.contains("\n  loads: 27\n"), out);
        assertTrue(out.contains("\n  refusals: 2\n"), out);
        assertTrue(out.contains("\n  mappings reclaimed: 26 of 26 replaced\n"), out);
        assertTrue(out.matches("(?s).*\n  reads per reader: \\d+, \\d+, \\d+ \\(total \\d+\\)\n.*"), out);
        assertTrue(out.matches(
            "(?s).*\n  open\\+validate time: p50 \\d+\\.\\d{3} ms, max \\d+\\.\\d{3} ms over 27 loads\n.*"), out);
        assertTrue(out.contains("refused demo-v27.dpol (corrupted: byte at offset "), out);
        assertTrue(out.matches("(?s).*demo-v27.dpol: UNKNOWN\\(1000\\) #0 at offset \\d+: section CRC32C is .*"), out);
        assertTrue(out.contains("refused demo-v28.dpol (unsigned)"), out);
        assertTrue(out.contains("demo-v28.dpol: file: artifact is not signed"), out);
        assertTrue(out.contains("\nresult: OK\n"), out);
        assertTrue(out.matches("(?s).*\n  quota: λ [0-9.e-]+, cost .*"), out);
        assertTrue(out.contains("\n  quota pacing (frozen/paced share of hindsight): none "), out);
        assertTrue(out.matches("(?s).*\n  opus scalars: 20000 users x 2 bids, 0 wrong, 4000 defaults for 2000 " +
            "unknown users, efficiency vs uniform on held-out data: bid 0 [0-9.]+x, bid 1 [0-9.]+x\n.*"), out);
        assertTrue(Files.exists(policies.resolve("demo-v29.dpol")));
        assertTrue(Files.exists(policies.resolve("keys/demo-signer.pub.pem")));
        assertTrue(out.contains("left for the sidecar: " + policies.resolve("ctr-v1.dpol")), out);
        assertTrue(out.matches("(?s).*\n  ad-slot loop \\(true value: learned / static / fatigue / uniform\\): " +
            "[0-9.]+ / [0-9.]+ / [0-9.]+ / [0-9.]+ \\(learned \\+[0-9.]+% over the best baseline\\)\n.*"), out);
        assertTrue(out.contains("left for the sidecar: " + policies.resolve("adslot-v1.dpol")), out);
        assertTrue(out.contains("left for the sidecar: " + policies.resolve("feed-v1.dpol")), out);
        assertTrue(out.contains("left for the sidecar: " + policies.resolve("opus-v1.dpol")), out);
        try (io.decide.engine.service.DecisionEngine engine = new io.decide.engine.service.DecisionEngine(policies,
            io.decide.engine.registry.LoadOptions.defaults(), 8, 64, io.decide.engine.service.FallbackDefaults.DEFAULTS,
            io.decide.engine.registry.RegistryListener.NONE, io.decide.engine.service.EngineStores.NONE
                .withCohortTable(policies.resolve("opus/users.cmap")).withStateDirectory(dir.resolve("state")));
             io.decide.engine.service.DecisionContext context = engine.newContext())
        {
            engine.reload();
            final int opus = engine.handle("opus");
            final double[] scalars = new double[8];
            assertEquals(io.decide.engine.service.DecisionStatus.OK,
                engine.scalars(opus, 1, new double[0], 0, scalars, context), "the Opus scalars serve");
            assertEquals(2, context.resultCount());
            final int feed = engine.handle("feed");
            final int width = engine.inputWidth(feed, io.decide.engine.service.DecisionKind.AD_SLOT);
            assertEquals(4, width, "the ad-slot policy serves");
            final double[] probabilities = new double[64];
            assertEquals(io.decide.engine.service.DecisionStatus.OK, engine.adSlot(feed, 1, 1, 1_700_000_000_000L,
                new double[width], width, probabilities, context));
            assertEquals(1, context.version());
            assertEquals(context.propensity(), probabilities[context.adPattern()]);
            final int adslot = engine.handle("adslot");
            final int adslotWidth = engine.inputWidth(adslot, io.decide.engine.service.DecisionKind.AD_SLOT);
            assertEquals(io.decide.engine.service.DecisionStatus.OK, engine.adSlot(adslot, 1, 1, 1_700_000_000_000L,
                new double[adslotWidth], adslotWidth, probabilities, context), "the ad-slot loop's artifact serves");
            assertEquals(8, engine.inputWidth(engine.handle("ctr"),
                io.decide.engine.service.DecisionKind.GBDT_PREDICT), "the GBDT model serves");
            assertEquals(10, engine.inputWidth(engine.handle("quota"), io.decide.engine.service.DecisionKind.QUOTA),
                "the quota artifact serves (10 options)");
        }
    }

    @Test
    void refusesADirectoryThatAlreadyHoldsArtifacts() throws Exception
    {
        Fixtures.write(dir, 1, true);
        final CliRun.Result result = CliRun.run("demo", "--policies", dir, "--versions", "1");
        assertEquals(ExitCodes.USAGE, result.exitCode(), result::toString);
        assertTrue(result.err().contains("already holds .dpol files"), result::toString);
    }
}
