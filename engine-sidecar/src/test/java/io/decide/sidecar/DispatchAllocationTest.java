package io.decide.sidecar;

import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.EngineStores;
import io.decide.engine.service.FallbackDefaults;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.dispatch.DecisionHandlers;
import io.decide.sidecar.dispatch.Dispatcher;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.protocol.RequestEncoder;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.testsupport.AllocationAssert;
import io.decide.testsupport.DecisionArtifacts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decode, decide and encode allocate nothing per request, for every kind, for shed requests and for bad frames. */
class DispatchAllocationTest
{
    @TempDir
    Path dir;

    private Dispatcher dispatcher;
    private final UnsafeBuffer in = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16));
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16));
    private final int[] offsets = new int[6];
    private final int[] lengths = new int[6];
    private int next;
    private long sink;

    @Test
    void dispatchAllocatesNothing() throws Exception
    {
        final Path policies = SidecarFixtures.policies(dir);
        try (DecisionEngine engine = DecisionEngine.open(policies))
        {
            dispatcher = new Dispatcher(engine, DecisionHandlers.builtIn(), new SidecarMetrics(), 10_000_000_000L,
                0, 10_000_000_000L, 4096);
            final RequestEncoder encoder = new RequestEncoder();
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            int at = 0;
            encoder.begin(in, at, 1, DecisionKind.GBDT_PREDICT.id()).name("ctr".getBytes(StandardCharsets.UTF_8))
                .dense(row, row.length);
            at = frame(0, at, encoder.finish());
            encoder.begin(in, at, 2, DecisionKind.GBDT_PREDICT.id()).name("ctr".getBytes(StandardCharsets.UTF_8))
                .sparse(new int[]{1, 3}, new double[]{0.5, -1}, 2);
            at = frame(1, at, encoder.finish());
            encoder.begin(in, at, 3, DecisionKind.QUOTA.id()).name("quota".getBytes(StandardCharsets.UTF_8))
                .dense(new double[]{1, 2, 3, 4, 5}, 5);
            at = frame(2, at, encoder.finish());
            final UnsafeBuffer batch = SidecarFixtures.batch(9, 100, 2);
            encoder.begin(in, at, 4, DecisionKind.RANK.id()).k(10).name(new byte[0])
                .scalars(new double[]{1, 2}, 2).batch(batch, 0, batch.capacity());
            at = frame(3, at, encoder.finish());
            encoder.begin(in, at, 5, DecisionKind.GBDT_PREDICT.id()).deadline(0, 1)
                .name("ctr".getBytes(StandardCharsets.UTF_8)).dense(row, row.length);
            at = frame(4, at, encoder.finish());
            encoder.begin(in, at, 6, 99).name("ctr".getBytes(StandardCharsets.UTF_8)).dense(row, 2);
            frame(5, at, encoder.finish());

            final ResponseFlyweight response = new ResponseFlyweight();
            for (int i = 0; i < 6; i++)
            {
                dispatcher.dispatch(in, offsets[i], lengths[i], out, 0, System.nanoTime());
                response.wrap(out, 0);
                assertEquals(i == 5 ? DecisionStatus.UNSUPPORTED_KIND : DecisionStatus.OK, response.status(), "frame " + i);
                assertEquals(i == 4, response.shed(), "frame " + i);
            }
            AllocationAssert.assertZeroAllocation("dispatch", 30_000, 12_000, () ->
            {
                final int i = next++ % 6;
                sink += dispatcher.dispatch(in, offsets[i], lengths[i], out, 0, System.nanoTime());
            });
            dispatcher.close();
        }
        assertTrue(sink > 0);
    }

    @Test
    void scalarAndAdSlotDispatchWithDecisionLogAllocatesNothing() throws Exception
    {
        final Path policies = SidecarFixtures.allKinds(dir);
        final Path table = SidecarFixtures.cohortTable(dir.resolve("cohorts.cmap"), 100);
        try (DecisionEngine engine = new DecisionEngine(policies, LoadOptions.defaults(),
                PolicyRegistry.DEFAULT_MAX_READERS, DecisionEngine.DEFAULT_MAX_CANDIDATES, FallbackDefaults.DEFAULTS,
                RegistryListener.NONE, new EngineStores(table, dir.resolve("state"), 1000, 1_800_000));
             DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(dir.resolve("log"))
                 .withBackPressure(DecisionLogConfig.BackPressure.DROP).withMaxFeatures(16)))
        {
            engine.reload();
            dispatcher = new Dispatcher(engine, DecisionHandlers.builtIn(log), new SidecarMetrics(), 10_000_000_000L,
                0, 10_000_000_000L, 4096);
            final RequestEncoder encoder = new RequestEncoder();
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            final double[] features = new double[DecisionArtifacts.AD_SLOT_FEATURES];
            final byte[] opus = "opus".getBytes(StandardCharsets.UTF_8);
            final byte[] feed = "feed".getBytes(StandardCharsets.UTF_8);
            int at = 0;
            encoder.begin(in, at, 1, DecisionKind.SCALAR.id()).userId(5).name(opus).dense(row, row.length);
            at = frame(0, at, encoder.finish());
            encoder.begin(in, at, 2, DecisionKind.SCALAR.id()).userId(6).name(opus).dense(row, 0);
            at = frame(1, at, encoder.finish());
            encoder.begin(in, at, 3, DecisionKind.AD_SLOT.id()).userId(7).name(feed).dense(features, features.length)
                .adSlot(11, 1_700_000_000_000L);
            at = frame(2, at, encoder.finish());
            encoder.begin(in, at, 4, DecisionKind.AD_SLOT.id()).userId(8).name(feed)
                .sparse(new int[]{0, 2}, new double[]{1, 2}, 2).adSlot(12, 1_700_000_000_000L);
            at = frame(3, at, encoder.finish());
            encoder.begin(in, at, 5, DecisionKind.AD_SLOT.id()).deadline(0, 1).userId(9).name(feed)
                .dense(features, features.length).adSlot(13, 1_700_000_000_000L);
            at = frame(4, at, encoder.finish());
            encoder.begin(in, at, 6, DecisionKind.SCALAR.id()).deadline(0, 1).userId(9).name(opus).dense(row, 0);
            frame(5, at, encoder.finish());

            final ResponseFlyweight response = new ResponseFlyweight();
            for (int i = 0; i < 6; i++)
            {
                dispatcher.dispatch(in, offsets[i], lengths[i], out, 0, System.nanoTime());
                response.wrap(out, 0);
                assertEquals(DecisionStatus.OK, response.status(), "frame " + i);
                assertEquals(i >= 4, response.shed(), "frame " + i);
            }
            AllocationAssert.assertZeroAllocation("dispatch scalar and ad slot (logged)", 30_000, 12_000, () ->
            {
                final int i = next++ % 6;
                sink += dispatcher.dispatch(in, offsets[i], lengths[i], out, 0, System.nanoTime());
            });
            dispatcher.close();
            assertTrue(log.written() + log.pending() + log.dropped() > 0);
        }
        assertTrue(sink > 0);
    }

    private int frame(final int index, final int at, final int length)
    {
        offsets[index] = at;
        lengths[index] = length;
        return at + length;
    }
}
