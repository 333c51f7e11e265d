package io.decide.sidecar;

import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.client.DecideClient;
import io.decide.sidecar.daemon.Daemon;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.testsupport.DecisionArtifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The daemon's serving thread (select, read, decode, decide, encode, write; shared-memory poll) allocates nothing
 * per request once warm, over every transport: measured on that thread alone with
 * {@code ThreadMXBean.getThreadAllocatedBytes}, while this thread sends the requests.
 */
class ServingThreadAllocationTest
{
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;

    @TempDir
    Path dir;

    @Test
    void servingThreadAllocatesNothingPerRequest() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Path policies = SidecarFixtures.policies(dir);
        try (Daemon daemon = SidecarFixtures.daemon(dir, policies, Map.of("decided.default-timeout-us", "10000000",
            "decided.max-queue-us", "10000000")))
        {
            final Thread serving = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("decided-serving")).findFirst().orElse(null);
            assertNotNull(serving, "no decided-serving thread");
            final String[] targets = SidecarFixtures.targets(dir, daemon);
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            for (final String target : targets)
            {
                try (DecideClient client = DecideClient.connect(target))
                {
                    send(client, row, WARM_UP, target);
                    long least = Long.MAX_VALUE;
                    // Three tries: a one-off allocation on the serving thread (a class loaded late, a JIT
                    // deoptimisation) must not fail the test, a per-request one fails all three.
                    for (int attempt = 0; attempt < 3 && least != 0; attempt++)
                    {
                        final long before = threads.getThreadAllocatedBytes(serving.getId());
                        send(client, row, MEASURED, target);
                        final long after = threads.getThreadAllocatedBytes(serving.getId());
                        least = Math.min(least, after - before);
                    }
                    assertEquals(0, least, target + ": the serving thread allocated " + least + " bytes over " +
                        MEASURED + " requests");
                }
            }
        }
    }

    private static void send(final DecideClient client, final double[] row, final int count, final String target)
        throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            row[i % row.length] = (i & 7) == 0 ? Double.NaN : (i % 13) * 0.25 - 1;
            final ResponseFlyweight r = client.predict("ctr", row, row.length);
            assertEquals(DecisionStatus.OK, r.status(), target + " request " + i);
        }
    }
}
