package io.decide.sidecar.daemon;

import io.decide.engine.registry.LoadOptions;
import io.decide.engine.service.DecisionKind;
import io.decide.sidecar.SidecarFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up warm-up decides every kind each artifact serves, drops the kinds it does not serve after a probe,
 * deletes its temporary state, and leaves the daemon's own state, decision log and metrics untouched.
 */
class WarmUpTest
{
    private static final int PER_KIND = 3000;

    @TempDir
    Path dir;

    @Test
    void warmUpDecidesEveryServedKindAndTouchesNothingOfTheDaemons() throws Exception
    {
        final Path policies = SidecarFixtures.allKinds(dir);
        final Map<String, String> settings = new HashMap<>();
        settings.put("decided.policies", policies.toString());
        settings.put("decided.state-dir", dir.resolve("state").toString());
        settings.put("decided.log", dir.resolve("log").toString());
        settings.put("decided.warmup-requests", String.valueOf(PER_KIND));
        settings.put("decided.uds", dir.resolve("d.sock").toString());
        final DaemonConfig config = DaemonConfig.from(null, settings);
        assertEquals(PER_KIND, config.warmupRequests());

        final WarmUp.Result result = WarmUp.run(config, LoadOptions.defaults(), SidecarFixtures.quietLog());
        final int artifacts = 4;
        // ctr (GBDT_PREDICT), quota (QUOTA), opus (SCALAR) and feed (AD_SLOT) each decide all their requests.
        assertTrue(result.decided() >= 4L * PER_KIND, "decided " + result.decided());
        // Every (artifact, kind) pair is at least probed; unserved pairs stop after the probe.
        final long pairs = (long)artifacts * DecisionKind.values().length;
        assertTrue(result.requests() >= pairs * WarmUp.PROBE, "requests " + result.requests());
        assertTrue(result.requests() < pairs * PER_KIND, "requests " + result.requests());
        assertNotNull(result.stateDirectory());
        assertFalse(Files.exists(result.stateDirectory()), "temporary state left at " + result.stateDirectory());

        try (Daemon daemon = Daemon.start(DaemonConfig.from(null, settings), SidecarFixtures.quietLog()))
        {
            assertEquals(0, daemon.metrics().requests(), "the warm-up's requests are not the daemon's");
            assertEquals(0, daemon.engine().stateStore().userCount(), "the warm-up wrote the daemon's state");
            assertEquals(0, daemon.decisionLog().written(), "the warm-up wrote the daemon's decision log");
        }
    }

    @Test
    void zeroTurnsTheWarmUpOffAndANegativeCountIsRefused() throws Exception
    {
        final Map<String, String> settings = new HashMap<>();
        settings.put("decided.policies", SidecarFixtures.policies(dir).toString());
        settings.put("decided.uds", dir.resolve("d.sock").toString());
        settings.put("decided.warmup-requests", "0");
        assertEquals(0, DaemonConfig.from(null, settings).warmupRequests());
        settings.put("decided.warmup-requests", "-1");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> DaemonConfig.from(null, settings));
        assertTrue(ex.getMessage().contains("decided.warmup-requests"), ex.getMessage());
    }
}
