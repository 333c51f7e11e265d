package io.decide.sidecar;

import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.client.ClientConnection;
import io.decide.sidecar.client.DecideClient;
import io.decide.sidecar.client.SocketClientConnection;
import io.decide.sidecar.daemon.Daemon;
import io.decide.sidecar.protocol.FrameDescriptor;
import io.decide.sidecar.protocol.ProtocolStatus;
import io.decide.sidecar.protocol.RequestEncoder;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.testsupport.DecisionArtifacts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At least 100,000 malformed frames (truncated, oversized or unaligned lengths, wrong versions and types, bad kinds
 * and counts, flipped bytes, garbage) over UDS, TCP and shared memory: each gets an error response, or its
 * connection is closed after a MALFORMED_FRAME response; the daemon keeps serving, and a well-behaved client running
 * at the same time sees no error at all.
 */
class MalformedFrameFuzzTest
{
    private static final int FRAMES = Integer.getInteger("decide.sidecar.fuzz.frames", 100_000);

    @TempDir
    Path dir;

    @Test
    void malformedFramesNeverHurtTheDaemonOrOtherClients() throws Exception
    {
        final Path policies = SidecarFixtures.policies(dir);
        try (Daemon daemon = SidecarFixtures.daemon(dir, policies, Map.of("decided.default-timeout-us", "10000000",
            "decided.max-queue-us", "10000000")))
        {
            final String[] targets = SidecarFixtures.targets(dir, daemon);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong goodCalls = new AtomicLong();
            final AtomicReference<Throwable> goodFailure = new AtomicReference<>();
            final Thread good = new Thread(() ->
            {
                try (DecideClient client = DecideClient.connect(targets[0]))
                {
                    final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
                    while (!stop.get())
                    {
                        final ResponseFlyweight r = client.predict("ctr", row, row.length);
                        if (r.status() != DecisionStatus.OK || r.fallback())
                        {
                            throw new AssertionError("good client got status " + r.status() + " flags " + r.flags());
                        }
                        goodCalls.incrementAndGet();
                    }
                }
                catch (final Throwable ex)
                {
                    goodFailure.set(ex);
                }
            }, "good-client");
            good.start();

            final SplittableRandom random = new SplittableRandom(20261122);
            final Fuzzer fuzzer = new Fuzzer(random);
            int sent = 0;
            int closedConnections = 0;
            final long[] statuses = new long[ProtocolStatus.LIMIT];
            while (sent < FRAMES)
            {
                final int t = random.nextInt(10);
                if (t < 7)
                {
                    final String target = targets[random.nextInt(targets.length)];
                    sent += fuzzer.framedBatch(target, 500, statuses);
                }
                else
                {
                    final String target = targets[random.nextInt(2)];
                    sent += fuzzer.unframed(target, statuses);
                    closedConnections++;
                }
            }
            stop.set(true);
            good.join(10_000);
            if (goodFailure.get() != null)
            {
                throw new AssertionError("the well-behaved client failed", goodFailure.get());
            }
            assertTrue(goodCalls.get() > 0);
            assertTrue(sent >= FRAMES);
            assertTrue(daemon.healthy(), "daemon still serving");
            assertEquals(0, daemon.metrics().loopErrors(), "no unexpected errors in the serving loop");
            assertEquals(0, statuses[DecisionStatus.INTERNAL_ERROR]);
            assertTrue(statuses[ProtocolStatus.BAD_FRAME] > 1000);
            assertTrue(statuses[ProtocolStatus.UNSUPPORTED_VERSION] > 100);
            assertTrue(statuses[ProtocolStatus.MALFORMED_FRAME] > 100);
            assertTrue(statuses[DecisionStatus.UNSUPPORTED_KIND] > 100);
            assertTrue(closedConnections > 100);
            try (DecideClient after = DecideClient.connect(targets[1]))
            {
                final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
                assertEquals(DecisionStatus.OK, after.predict("ctr", row, row.length).status());
            }
        }
    }

    /** Builds and sends malformed frames, and checks the answers. */
    private static final class Fuzzer
    {
        private final SplittableRandom random;
        private final UnsafeBuffer frame = new UnsafeBuffer(new byte[8192]);
        private final RequestEncoder encoder = new RequestEncoder();
        private final double[] row = new double[DecisionArtifacts.GBDT_FEATURES];
        private long answered;

        Fuzzer(final SplittableRandom random)
        {
            this.random = random;
        }

        /** A valid frame of a random kind, then one framing-preserving defect (length kept valid and aligned). */
        private int framePreservingDefect(final long id)
        {
            final int kind = 1 + random.nextInt(3);
            encoder.begin(frame, 0, id, kind).name(kind == 3 ? new byte[0] :
                (kind == 1 ? "ctr" : "quota").getBytes(StandardCharsets.UTF_8));
            if (kind == 3)
            {
                encoder.k(3).scalars(new double[]{1, 2}, 2).batch(SidecarFixtures.batch(id, 4, 2), 0, 8 + 4 * 24);
            }
            else
            {
                encoder.dense(row, kind == 1 ? row.length : SidecarFixtures.COSTS.length);
            }
            int length = encoder.finish();
            switch (random.nextInt(9))
            {
                case 0 -> frame.putByte(FrameDescriptor.VERSION_MAJOR_OFFSET, (byte)(2 + random.nextInt(250)));
                case 1 -> frame.putByte(FrameDescriptor.FRAME_TYPE_OFFSET, (byte)(random.nextBoolean() ? 2 : 77));
                case 2 -> frame.putByte(16, (byte)(random.nextBoolean() ? 0 : 6 + random.nextInt(250)));
                case 3 -> frame.putInt(40 + 4 * random.nextInt(4), random.nextInt(), ByteOrder.LITTLE_ENDIAN);
                case 4 -> frame.putShort(18, (short)random.nextInt(65536), ByteOrder.LITTLE_ENDIAN);
                case 5 ->
                {
                    final int cut = FrameDescriptor.align(16 + random.nextInt(Math.max(1, length - 16)));
                    length = Math.min(length, Math.max(16, cut - 8));
                    frame.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
                }
                case 6 ->
                {
                    for (int i = 0; i < 1 + random.nextInt(8); i++)
                    {
                        frame.putByte(16 + random.nextInt(length - 16), (byte)random.nextInt(256));
                    }
                }
                case 7 -> frame.putByte(17, (byte)(2 + random.nextInt(254)));
                default ->
                {
                    for (int i = 16; i < length; i++)
                    {
                        frame.putByte(i, (byte)random.nextInt(256));
                    }
                }
            }
            return length;
        }

        /** Send a batch of framing-preserving defects on one connection and read exactly one answer per frame. */
        int framedBatch(final String target, final int count, final long[] statuses) throws IOException
        {
            try (ClientConnection connection = ClientConnection.connect(target))
            {
                for (int i = 0; i < count; i++)
                {
                    final int length = framePreservingDefect(1 + i);
                    connection.send(frame, 0, length);
                }
                final long before = answered;
                while (answered - before < count)
                {
                    final int n = connection.receive(r ->
                    {
                        final int status = r.status();
                        if (status == DecisionStatus.INTERNAL_ERROR || status == ProtocolStatus.MALFORMED_FRAME ||
                            status >= ProtocolStatus.LIMIT || r.frameType() != FrameDescriptor.TYPE_RESPONSE)
                        {
                            throw new AssertionError("unexpected answer status " + status + " to a delimited frame");
                        }
                        statuses[status]++;
                        answered++;
                    }, 10_000);
                    if (n == 0)
                    {
                        throw new AssertionError("no answer within 10 s after " + (answered - before) + " of " + count);
                    }
                }
            }
            return count;
        }

        /** One frame that breaks framing (oversized, undersized or unaligned length, garbage): answered, then closed. */
        int unframed(final String target, final long[] statuses) throws IOException
        {
            final byte[] bytes;
            final int kind = random.nextInt(4);
            if (kind == 0)
            {
                bytes = new byte[16 + random.nextInt(64)];
                random.nextBytes(bytes);
                final int bad = random.nextBoolean() ? 300_000 + random.nextInt(1 << 24) : random.nextInt(16);
                new UnsafeBuffer(bytes).putInt(0, random.nextBoolean() ? bad : -random.nextInt(1 << 30),
                    ByteOrder.LITTLE_ENDIAN);
            }
            else if (kind == 1)
            {
                bytes = new byte[64];
                new UnsafeBuffer(bytes).putInt(0, 17 + 8 * random.nextInt(100) + random.nextInt(7),
                    ByteOrder.LITTLE_ENDIAN);
            }
            else
            {
                bytes = new byte[4 + random.nextInt(512)];
                random.nextBytes(bytes);
                final int length = new UnsafeBuffer(bytes).getInt(0, ByteOrder.LITTLE_ENDIAN);
                if (length >= 16 && length <= 262_144 && (length & 7) == 0)
                {
                    new UnsafeBuffer(bytes).putInt(0, length | 1, ByteOrder.LITTLE_ENDIAN);
                }
            }
            try (SocketClientConnection connection = (SocketClientConnection)ClientConnection.connect(target))
            {
                connection.sendRaw(bytes, 0, bytes.length);
                final boolean[] seen = new boolean[1];
                try
                {
                    while (true)
                    {
                        connection.receive(r ->
                        {
                            if (r.status() != ProtocolStatus.MALFORMED_FRAME)
                            {
                                throw new AssertionError("expected MALFORMED_FRAME, got " + r.status());
                            }
                            statuses[r.status()]++;
                            seen[0] = true;
                        }, 10_000);
                    }
                }
                catch (final EOFException | java.net.SocketException closed)
                {
                    assertTrue(seen[0], "closed without the MALFORMED_FRAME answer");
                }
            }
            return 1;
        }
    }
}
