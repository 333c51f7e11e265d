package io.decide.sidecar.loadtest;

import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.client.ClientConnection;
import io.decide.sidecar.client.ResponseHandler;
import io.decide.sidecar.protocol.RequestEncoder;
import io.decide.sidecar.protocol.ResponseFlyweight;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An open-loop load run: each connection has one thread that sends request i at its intended time
 * {@code start + i / rate} whatever the responses do, and polls responses in between; latency is
 * {@code receipt - intended time}, so a stall (in the daemon, the transport or this harness) counts against every
 * request it delayed — the correction for coordinated omission. Responses are checked (status, id) and counted.
 */
public final class LoadTest
{
    /** Distinct user ids the requests cycle through (SCALAR and AD_SLOT use them). */
    static final int USERS = 100_000;

    /** What to send. */
    public record Workload(
        DecisionKind kind, String artifact, int width, int candidates, int qualities, int k, int timeoutMicros)
    {
    }

    /** The outcome of a run. */
    public record Result(
        long sent, long ok, long errors, long fallbacks, long sheds, long lost, Histogram latencyNanos,
        Histogram engineNanos, double seconds)
    {
        /** @return requests answered per second. */
        public double achievedRate()
        {
            return (ok + errors) / seconds;
        }

        /**
         * @return a human-readable report.
         */
        public String report()
        {
            return String.format(
                "sent=%d ok=%d errors=%d lost=%d fallbacks=%d sheds=%d achieved_rate=%.0f/s%n" +
                    "round_trip_us p50=%.1f p99=%.1f p99.9=%.1f max=%.1f (from intended send time)%n" +
                    "engine_us     p50=%.2f p99=%.2f p99.9=%.2f max=%.2f (inside the engine, from responses)%n",
                sent, ok, errors, lost, fallbacks, sheds, achievedRate(),
                micros(latencyNanos, 50), micros(latencyNanos, 99), micros(latencyNanos, 99.9),
                latencyNanos.getMaxValue() / 1e3,
                micros(engineNanos, 50), micros(engineNanos, 99), micros(engineNanos, 99.9),
                engineNanos.getMaxValue() / 1e3);
        }

        private static double micros(final Histogram h, final double percentile)
        {
            return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e3;
        }
    }

    private LoadTest()
    {
    }

    /**
     * Run a load: a warm-up (not recorded) then the measured phase.
     *
     * @param target        {@code uds:PATH}, {@code tcp:HOST:PORT} or {@code shm:PATH}.
     * @param rate          total requests per second over all connections.
     * @param durationNanos measured phase length.
     * @param warmupNanos   warm-up length.
     * @param connections   connections (one thread each).
     * @param workload      what to send.
     * @return the measured result.
     * @throws Exception when a connection fails.
     */
    public static Result run(
        final String target, final double rate, final long durationNanos, final long warmupNanos,
        final int connections, final Workload workload) throws Exception
    {
        if (warmupNanos > 0)
        {
            runPhase(target, rate, warmupNanos, connections, workload);
        }
        return runPhase(target, rate, durationNanos, connections, workload);
    }

    private static Result runPhase(
        final String target, final double rate, final long durationNanos, final int connections,
        final Workload workload) throws Exception
    {
        final List<Worker> workers = new ArrayList<>();
        final long start = System.nanoTime() + 50_000_000L;
        for (int c = 0; c < connections; c++)
        {
            workers.add(new Worker(ClientConnection.connect(target), rate / connections, durationNanos, start,
                workload, c));
        }
        final List<Thread> threads = new ArrayList<>();
        for (final Worker worker : workers)
        {
            final Thread thread = new Thread(worker, "loadtest-" + threads.size());
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final Histogram latency = new Histogram(3_600_000_000_000L, 3);
        final Histogram engine = new Histogram(3_600_000_000_000L, 3);
        long sent = 0;
        long ok = 0;
        long errors = 0;
        long fallbacks = 0;
        long sheds = 0;
        long lost = 0;
        for (final Worker worker : workers)
        {
            worker.connection.close();
            if (worker.failure != null)
            {
                throw worker.failure;
            }
            latency.add(worker.latency);
            engine.add(worker.engine);
            sent += worker.sent;
            ok += worker.ok;
            errors += worker.errors;
            fallbacks += worker.fallbacks;
            sheds += worker.sheds;
            lost += worker.sent - worker.received;
        }
        return new Result(sent, ok, errors, fallbacks, sheds, lost, latency, engine, durationNanos / 1e9);
    }

    private static final class Worker implements Runnable, ResponseHandler
    {
        private static final long DRAIN_NANOS = 2_000_000_000L;

        final ClientConnection connection;
        final Histogram latency = new Histogram(3_600_000_000_000L, 3);
        final Histogram engine = new Histogram(3_600_000_000_000L, 3);
        private final long[] intended;
        private final double intervalNanos;
        private final long start;
        private final Workload workload;
        private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
        private final RequestEncoder encoder = new RequestEncoder();
        private final byte[] name;
        private final double[] row;
        private final double[] scalars;
        private final UnsafeBuffer batch;
        private final int batchLength;
        private final int[] noIndices = new int[0];
        private final SplittableRandom random;
        long sent;
        long received;
        long ok;
        long errors;
        long fallbacks;
        long sheds;
        Exception failure;

        Worker(final ClientConnection connection, final double rate, final long durationNanos, final long start,
            final Workload workload, final int index)
        {
            this.connection = connection;
            final long total = Math.max(1, (long)(rate * durationNanos / 1e9));
            if (total > Integer.MAX_VALUE - 8)
            {
                throw new IllegalArgumentException("too many requests per connection: " + total);
            }
            this.intended = new long[(int)total];
            this.intervalNanos = 1e9 / rate;
            this.start = start;
            this.workload = workload;
            this.name = workload.artifact() == null ? new byte[0] :
                workload.artifact().getBytes(StandardCharsets.UTF_8);
            this.random = new SplittableRandom(17 + index);
            this.row = new double[Math.max(1, workload.width())];
            this.scalars = new double[Math.max(1, workload.qualities())];
            for (int q = 0; q < scalars.length; q++)
            {
                scalars[q] = 1 + q;
            }
            final int n = workload.candidates();
            final int q = workload.qualities();
            this.batchLength = 8 + n * 8 * (1 + q);
            this.batch = new UnsafeBuffer(ByteBuffer.allocateDirect(batchLength));
            batch.putInt(0, n, java.nio.ByteOrder.LITTLE_ENDIAN);
            batch.putInt(4, q, java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n * (1 + q); i++)
            {
                batch.putDouble(8 + 8 * i, random.nextDouble(), java.nio.ByteOrder.LITTLE_ENDIAN);
            }
        }

        @Override
        public void run()
        {
            try
            {
                final long total = intended.length;
                while (sent < total)
                {
                    final long due = start + (long)(sent * intervalNanos);
                    final long now = System.nanoTime();
                    if (now - due >= 0)
                    {
                        intended[(int)sent] = due;
                        send(sent);
                        sent++;
                        continue;
                    }
                    if (connection.receive(this, 0) == 0)
                    {
                        if (due - now > 200_000)
                        {
                            Thread.yield();
                        }
                        else
                        {
                            Thread.onSpinWait();
                        }
                    }
                }
                final long drainUntil = System.nanoTime() + DRAIN_NANOS;
                while (received < sent && System.nanoTime() - drainUntil < 0)
                {
                    connection.receive(this, 10);
                }
            }
            catch (final Exception ex)
            {
                failure = ex;
            }
        }

        private void send(final long id) throws IOException
        {
            final Workload w = workload;
            encoder.begin(frame, 0, id, w.kind().id()).deadline(w.timeoutMicros(), 0);
            switch (w.kind())
            {
                case RANK -> encoder.k(w.k()).name(name).scalars(scalars, w.qualities()).batch(batch, 0, batchLength);
                default ->
                {
                    encoder.userId(id % USERS).name(name);
                    if (w.width() > 0)
                    {
                        for (int i = 0; i < w.width(); i++)
                        {
                            row[i] = random.nextDouble();
                        }
                        encoder.dense(row, w.width());
                    }
                    else
                    {
                        encoder.sparse(noIndices, row, 0);
                    }
                    if (w.kind() == DecisionKind.AD_SLOT)
                    {
                        encoder.adSlot(id, System.currentTimeMillis());
                    }
                }
            }
            connection.send(frame, 0, encoder.finish(), this);
        }

        @Override
        public void onResponse(final ResponseFlyweight response)
        {
            final long now = System.nanoTime();
            final long id = response.requestId();
            received++;
            if (id < 0 || id >= sent)
            {
                errors++;
                return;
            }
            latency.recordValue(Math.max(1, now - intended[(int)id]));
            if (response.status() != DecisionStatus.OK)
            {
                errors++;
                return;
            }
            ok++;
            if (response.fallback())
            {
                fallbacks++;
            }
            if (response.shed())
            {
                sheds++;
            }
            else
            {
                engine.recordValue(Math.max(1, response.engineNanos()));
            }
        }
    }
}
