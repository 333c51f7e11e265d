package io.decide.sidecar;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.dispatch.DecisionHandler;
import io.decide.sidecar.dispatch.DecisionHandlers;
import io.decide.sidecar.dispatch.DispatchScratch;
import io.decide.sidecar.dispatch.Dispatcher;
import io.decide.sidecar.dispatch.GbdtPredictHandler;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.protocol.RequestEncoder;
import io.decide.sidecar.protocol.RequestFlyweight;
import io.decide.sidecar.protocol.ResponseEncoder;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.testsupport.DecisionArtifacts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One slow decision (a cold JIT, a GC pause) raises the dispatcher's estimate of its kind's decision time; under a
 * tight deadline the next requests are shed, and the estimate must come down again while they are, or the kind
 * would be shed for ever.
 */
final class ShedRecoveryTest
{
    @TempDir
    Path dir;

    @Test
    void aKindIsDecidedAgainAfterOneSlowDecision() throws Exception
    {
        final Path policies = SidecarFixtures.policies(dir);
        final boolean[] slow = {true};
        final GbdtPredictHandler predict = new GbdtPredictHandler();
        final DecisionHandler slowOnce = new DecisionHandler()
        {
            @Override
            public DecisionKind kind()
            {
                return DecisionKind.GBDT_PREDICT;
            }

            @Override
            public int decide(
                final RequestFlyweight request, final int handle, final DecisionEngine engine,
                final DecisionContext context, final DispatchScratch scratch, final ResponseEncoder response)
            {
                if (slow[0])
                {
                    slow[0] = false;
                    LockSupport.parkNanos(40_000_000L);
                }
                return predict.decide(request, handle, engine, context, scratch, response);
            }

            @Override
            public int shed(
                final RequestFlyweight request, final int handle, final DecisionEngine engine,
                final DecisionContext context, final DispatchScratch scratch, final ResponseEncoder response)
            {
                return predict.shed(request, handle, engine, context, scratch, response);
            }
        };
        try (DecisionEngine engine = DecisionEngine.open(policies))
        {
            final Dispatcher dispatcher = new Dispatcher(engine, List.of(slowOnce), new SidecarMetrics(),
                10_000_000_000L, 0, 10_000_000_000L, 4096);
            final UnsafeBuffer in = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
            final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(dispatcher.maxResponseLength()));
            final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
            final int length = new RequestEncoder().begin(in, 0, 1, DecisionKind.GBDT_PREDICT.id())
                .deadline(2_000, 0).name("ctr".getBytes(StandardCharsets.UTF_8)).dense(row, row.length).finish();
            final ResponseFlyweight response = new ResponseFlyweight();

            dispatcher.dispatch(in, 0, length, out, 0, System.nanoTime());
            response.wrap(out, 0);
            assertEquals(DecisionStatus.OK, response.status());
            assertFalse(response.shed(), "the slow decision itself had time");

            int shedAfterSlow = 0;
            int decidedAtEnd = 0;
            for (int i = 0; i < 300; i++)
            {
                dispatcher.dispatch(in, 0, length, out, 0, System.nanoTime());
                response.wrap(out, 0);
                assertEquals(DecisionStatus.OK, response.status());
                if (i < 50 && response.shed())
                {
                    shedAfterSlow++;
                }
                if (i >= 200 && !response.shed())
                {
                    decidedAtEnd++;
                }
            }
            assertTrue(shedAfterSlow > 0, "a 40 ms decision against a 2 ms deadline sheds the next requests");
            assertEquals(100, decidedAtEnd, "the estimate decayed while shedding: fresh requests are decided again");
            dispatcher.close();
        }
    }
}
