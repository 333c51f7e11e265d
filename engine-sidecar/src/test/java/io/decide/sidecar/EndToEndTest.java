package io.decide.sidecar;

import io.decide.engine.rank.CandidateBatchDescriptor;
import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.client.DecideClient;
import io.decide.sidecar.daemon.Daemon;
import io.decide.sidecar.protocol.ProtocolStatus;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.testsupport.DecisionArtifacts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every decision kind over every transport answers exactly what the in-process facade answers. */
class EndToEndTest
{
    @TempDir
    Path dir;

    @Test
    void everyKindOverEveryTransportEqualsTheFacade() throws Exception
    {
        final Path policies = SidecarFixtures.policies(dir);
        try (Daemon daemon = SidecarFixtures.daemon(dir, policies, Map.of("decided.default-timeout-us", "10000000",
            "decided.max-queue-us", "10000000"));
             DecisionEngine reference = DecisionEngine.open(policies);
             DecisionContext context = reference.newContext())
        {
            final int ctr = reference.handle("ctr");
            final int quota = reference.handle("quota");
            final SplittableRandom random = new SplittableRandom(3);
            for (final String target : SidecarFixtures.targets(dir, daemon))
            {
                try (DecideClient client = DecideClient.connect(target))
                {
                    final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
                    final double[] expected = new double[8];
                    final int[] option = new int[1];
                    final int[] top = new int[64];
                    for (int i = 0; i < 200; i++)
                    {
                        for (int f = 0; f < row.length; f++)
                        {
                            row[f] = random.nextInt(8) == 0 ? Double.NaN : random.nextDouble() * 4 - 2;
                        }
                        assertEquals(DecisionStatus.OK, reference.predict(ctr, row, row.length, expected, context));
                        ResponseFlyweight r = client.predict("ctr", row, row.length);
                        assertEquals(DecisionStatus.OK, r.status(), target + " " + ProtocolStatus.name(r.status()));
                        assertEquals(context.resultCount(), r.resultCount());
                        for (int j = 0; j < r.resultCount(); j++)
                        {
                            assertEquals(Double.doubleToRawLongBits(expected[j]),
                                Double.doubleToRawLongBits(r.doubleResult(j)), target + " row " + i);
                        }
                        assertEquals(1, r.artifactVersion(), "iteration " + i);
                        assertFalse(r.fallback());
                        assertEquals(DecisionKind.GBDT_PREDICT.id(), r.kind());

                        final int[] indices = {1, 4, 6};
                        final double[] values = {row[1], row[4], row[6]};
                        final double[] sparseRow = new double[row.length];
                        Arrays.fill(sparseRow, Double.NaN);
                        for (int j = 0; j < 3; j++)
                        {
                            sparseRow[indices[j]] = values[j];
                        }
                        reference.predict(ctr, sparseRow, row.length, expected, context);
                        r = client.predictSparse("ctr", indices, values, 3);
                        assertEquals(DecisionStatus.OK, r.status(), target);
                        assertEquals(expected[0], r.doubleResult(0), target);

                        final double[] optionValues = new double[SidecarFixtures.COSTS.length];
                        for (int k = 0; k < optionValues.length; k++)
                        {
                            optionValues[k] = random.nextDouble() * 4;
                        }
                        reference.quota(quota, optionValues, optionValues.length, option, context);
                        r = client.quota("quota", optionValues, optionValues.length);
                        assertEquals(DecisionStatus.OK, r.status(), target);
                        assertEquals(option[0], r.intResult(0), target);

                        final int n = 1 + random.nextInt(200);
                        final UnsafeBuffer batch = SidecarFixtures.batch(i, n, 2);
                        final int length = (int)CandidateBatchDescriptor.batchLength(n, 2);
                        final double[] scalars = {random.nextDouble(), random.nextDouble() * 3};
                        final int k = 1 + random.nextInt(20);
                        assertEquals(DecisionStatus.OK, reference.rank(batch, 0, length, scalars, 2, k, top, context));
                        final int count = context.resultCount();
                        r = client.rank(scalars, 2, batch, 0, length, k);
                        assertEquals(DecisionStatus.OK, r.status(), target);
                        assertEquals(count, r.resultCount());
                        for (int j = 0; j < count; j++)
                        {
                            assertEquals(top[j], r.intResult(j), target);
                        }
                    }
                    ResponseFlyweight r = client.predict("nope", row, row.length);
                    assertEquals(DecisionStatus.UNKNOWN_ARTIFACT, r.status());
                    r = client.predict("ctr", row, 3);
                    assertEquals(DecisionStatus.BAD_SIZE, r.status());
                    assertTrue(r.reason().contains("size"), r.reason());
                    r = client.quota("ctr", row, 5);
                    assertEquals(DecisionStatus.WRONG_KIND, r.status());
                }
            }
            assertEquals(0, daemon.metrics().loopErrors());
        }
    }

    @Test
    void manyRequestsInFlightOnOneConnectionAreAllAnsweredById() throws Exception
    {
        final Path policies = SidecarFixtures.policies(dir);
        try (Daemon daemon = SidecarFixtures.daemon(dir, policies, Map.of()))
        {
            for (final String target : SidecarFixtures.targets(dir, daemon))
            {
                try (io.decide.sidecar.client.PipelinedClient client =
                    io.decide.sidecar.client.PipelinedClient.connect(target))
                {
                    final int requests = 5000;
                    final List<Long> answered = new ArrayList<>();
                    final Thread receiver = new Thread(() ->
                    {
                        try
                        {
                            while (answered.size() < requests)
                            {
                                client.receive(r ->
                                {
                                    assertEquals(DecisionStatus.OK, r.status());
                                    answered.add(r.requestId());
                                }, 5000);
                            }
                        }
                        catch (final Exception ex)
                        {
                            throw new RuntimeException(ex);
                        }
                    });
                    receiver.start();
                    final double[] values = {1, 2, 3, 4, 5};
                    for (int i = 0; i < requests; i++)
                    {
                        client.sendQuota(1000 + i, "quota", values, values.length, 0, 0);
                    }
                    receiver.join(30_000);
                    assertEquals(requests, answered.size(), target);
                    answered.sort(Long::compare);
                    for (int i = 0; i < requests; i++)
                    {
                        assertEquals(1000 + i, answered.get(i));
                    }
                }
            }
        }
    }
}
