package io.decide.sidecar;

import io.decide.engine.service.DecisionKind;
import io.decide.sidecar.daemon.Daemon;
import io.decide.sidecar.loadtest.LoadTest;
import io.decide.sidecar.loadtest.LoadTest.ClientWait;
import io.decide.sidecar.loadtest.SchedulingFloor;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator against an in-process daemon: on every transport and in each client wait mode that transport
 * allows, every request sent is answered OK, counted once, and has a latency and an engine time recorded.
 */
class LoadTestTest
{
    @TempDir
    Path dir;

    @Test
    void everyTransportAndWaitModeAnswersEveryRequest() throws Exception
    {
        final Path policies = SidecarFixtures.policies(dir);
        try (Daemon daemon = SidecarFixtures.daemon(dir, policies, Map.of("decided.default-timeout-us", "10000000")))
        {
            final LoadTest.Workload workload = new LoadTest.Workload(DecisionKind.GBDT_PREDICT, "ctr", 0, 0, 0, 0, 0);
            for (final String target : SidecarFixtures.targets(dir, daemon))
            {
                for (final ClientWait wait : ClientWait.values())
                {
                    if (wait == ClientWait.BLOCK && target.startsWith("shm:"))
                    {
                        continue;
                    }
                    final LoadTest.Result result = LoadTest.run(
                        target, 4000, 300_000_000L, 100_000_000L, 2, workload, wait);
                    final String what = target + " " + wait + ": " + result.report();
                    assertEquals(1200, result.sent(), what);
                    assertEquals(result.sent(), result.ok(), what);
                    assertEquals(0, result.errors(), what);
                    assertEquals(0, result.lost(), what);
                    assertEquals(result.sent(), result.latencyNanos().getTotalCount(), what);
                    assertEquals(result.sent(), result.sendLagNanos().getTotalCount(), what);
                    assertEquals(result.ok() - result.sheds(), result.engineNanos().getTotalCount(), what);
                    assertTrue(result.latencyNanos().getMinValue() > 0, what);
                }
            }
        }
    }

    @Test
    void schedulingFloorNotesEveryIntendedTimeOnEveryThread() throws Exception
    {
        final SchedulingFloor.Result result = SchedulingFloor.run(2, 20_000, 250_000_000L, 50_000_000L);
        final String what = result.report();
        assertEquals(5000, result.intended(), what);
        assertEquals(5000, result.floorNanos().getTotalCount(), what);
        assertEquals(2, result.threadNanos().length, what);
        for (final Histogram thread : result.threadNanos())
        {
            assertEquals(5000, thread.getTotalCount(), what);
            // The floor is the later of the threads at each intended time: never below either thread's own.
            assertTrue(result.floorNanos().getMaxValue() >= thread.getMaxValue(), what);
            assertTrue(result.floorNanos().getValueAtPercentile(50) >= thread.getValueAtPercentile(50) -
                thread.getValueAtPercentile(50) / 1000, what);
        }
        assertTrue(what.contains("floor_us") && what.contains("thread1"), what);
        assertThrows(IllegalArgumentException.class, () -> SchedulingFloor.run(0, 1000, 1_000_000L, 0));
    }

    @Test
    void blockingWaitOnSharedMemoryIsRefused()
    {
        final LoadTest.Workload workload = new LoadTest.Workload(DecisionKind.GBDT_PREDICT, "ctr", 0, 0, 0, 0, 0);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LoadTest.run(
            "shm:" + dir.resolve("none.shm"), 1000, 1_000_000L, 0, 1, workload, ClientWait.BLOCK));
        assertTrue(ex.getMessage().contains("socket"), ex.getMessage());
    }

    @Test
    void defaultWaitIsBlockForSocketsAndSpinForSharedMemory()
    {
        assertEquals(ClientWait.BLOCK, ClientWait.defaultFor("uds:/tmp/x.sock"));
        assertEquals(ClientWait.BLOCK, ClientWait.defaultFor("tcp:127.0.0.1:1"));
        assertEquals(ClientWait.SPIN, ClientWait.defaultFor("shm:/tmp/x.shm"));
    }
}
