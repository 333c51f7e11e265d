package io.decide.sidecar.loadtest;

import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.client.ClientConnection;
import io.decide.sidecar.client.ResponseHandler;
import io.decide.sidecar.client.SocketClientConnection;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.sidecar.protocol.SyntheticRequests;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load run: each connection sends request i at its intended time {@code start + i / rate} whatever
 * the responses do, either from one thread that polls responses in between ({@link ClientWait#SPIN}) or from a
 * sender thread while a receiver thread blocks for responses ({@link ClientWait#BLOCK}); latency is
 * {@code receipt - intended time}, so a stall (in the daemon, the transport or this harness) counts against every
 * request it delayed — the correction for coordinated omission. Responses are checked (status, id) and counted.
 */
public final class LoadTest
{
    /**
     * How the load generator waits between sends and for responses.
     */
    public enum ClientWait
    {
        /**
         * One thread per connection sends at the intended times and, in between, polls for responses, spinning:
         * the lowest overhead when a core is free for it (shared memory, whose responses have no wake-up).
         */
        SPIN,
        /**
         * Per connection a sender that sleeps until shortly before each intended time (then spins to it) and a
         * receiver that blocks in the selector: on a machine with more runnable threads than cores, sleeping threads
         * are woken ahead of spinning ones, so neither the generator nor the daemon waits out a scheduler slice.
         * Sockets only.
         */
        BLOCK;

        /**
         * @param target the target.
         * @return {@link #SPIN} for shared memory, {@link #BLOCK} for sockets.
         */
        public static ClientWait defaultFor(final String target)
        {
            return target.startsWith("shm:") ? SPIN : BLOCK;
        }
    }

    /** What to send. */
    public record Workload(
        DecisionKind kind, String artifact, int width, int candidates, int qualities, int k, int timeoutMicros)
    {
    }

    /** The outcome of a run. */
    public record Result(
        long sent, long ok, long errors, long fallbacks, long sheds, long lost, Histogram latencyNanos,
        Histogram engineNanos, Histogram sendLagNanos, double seconds)
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
                    "engine_us     p50=%.2f p99=%.2f p99.9=%.2f max=%.2f (inside the engine, from responses)%n" +
                    "send_lag_us   p50=%.1f p99=%.1f p99.9=%.1f max=%.1f (generator: send start - intended time)%n",
                sent, ok, errors, lost, fallbacks, sheds, achievedRate(),
                micros(latencyNanos, 50), micros(latencyNanos, 99), micros(latencyNanos, 99.9),
                latencyNanos.getMaxValue() / 1e3,
                micros(engineNanos, 50), micros(engineNanos, 99), micros(engineNanos, 99.9),
                engineNanos.getMaxValue() / 1e3,
                micros(sendLagNanos, 50), micros(sendLagNanos, 99), micros(sendLagNanos, 99.9),
                sendLagNanos.getMaxValue() / 1e3);
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
        return run(target, rate, durationNanos, warmupNanos, connections, workload, ClientWait.defaultFor(target));
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
     * @param wait          how the generator waits ({@link ClientWait#BLOCK} needs a socket target).
     * @return the measured result.
     * @throws Exception when a connection fails.
     */
    public static Result run(
        final String target, final double rate, final long durationNanos, final long warmupNanos,
        final int connections, final Workload workload, final ClientWait wait) throws Exception
    {
        if (wait == ClientWait.BLOCK && target.startsWith("shm:"))
        {
            throw new IllegalArgumentException("client wait BLOCK needs a socket target (shared memory has no " +
                "wake-up); got " + target);
        }
        if (warmupNanos > 0)
        {
            runPhase(target, rate, warmupNanos, connections, workload, wait);
        }
        return runPhase(target, rate, durationNanos, connections, workload, wait);
    }

    private static Result runPhase(
        final String target, final double rate, final long durationNanos, final int connections,
        final Workload workload, final ClientWait wait) throws Exception
    {
        final List<Worker> workers = new ArrayList<>();
        final long start = System.nanoTime() + 50_000_000L;
        for (int c = 0; c < connections; c++)
        {
            final ClientConnection connection = ClientConnection.connect(target);
            if (wait == ClientWait.BLOCK && connection instanceof SocketClientConnection socket)
            {
                socket.idleSpins(0);
            }
            workers.add(new Worker(connection, rate / connections, durationNanos, start, workload, c));
        }
        final List<Thread> threads = new ArrayList<>();
        for (final Worker worker : workers)
        {
            final int index = threads.size();
            if (wait == ClientWait.BLOCK)
            {
                worker.receiverThread = new Thread(worker::receiveAll, "loadtest-receiver-" + index);
                threads.add(worker.receiverThread);
                threads.add(new Thread(worker::sendAll, "loadtest-sender-" + index));
            }
            else
            {
                threads.add(new Thread(worker, "loadtest-" + index));
            }
        }
        for (final Thread thread : threads)
        {
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final Histogram latency = new Histogram(3_600_000_000_000L, 3);
        final Histogram engine = new Histogram(3_600_000_000_000L, 3);
        final Histogram sendLag = new Histogram(3_600_000_000_000L, 3);
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
            sendLag.add(worker.sendLag);
            sent += worker.sent;
            ok += worker.ok;
            errors += worker.errors;
            fallbacks += worker.fallbacks;
            sheds += worker.sheds;
            lost += worker.sent - worker.received;
        }
        return new Result(sent, ok, errors, fallbacks, sheds, lost, latency, engine, sendLag, durationNanos / 1e9);
    }

    private static final class Worker implements Runnable, ResponseHandler
    {
        private static final long DRAIN_NANOS = 2_000_000_000L;
        /** A sleeping sender wakes this long before the intended time and spins the rest (timer slack ~50 us). */
        private static final long WAKE_EARLY_NANOS = 100_000L;

        final ClientConnection connection;
        final Histogram latency = new Histogram(3_600_000_000_000L, 3);
        final Histogram engine = new Histogram(3_600_000_000_000L, 3);
        /** How late each send started after its intended time: the generator's own stalls. */
        final Histogram sendLag = new Histogram(3_600_000_000_000L, 3);
        private final long total;
        private final double intervalNanos;
        private final long start;
        private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
        private final SyntheticRequests requests;
        volatile long sendersDone;
        Thread receiverThread;
        long sent;
        long received;
        long ok;
        long errors;
        long fallbacks;
        long sheds;
        volatile Exception failure;

        Worker(final ClientConnection connection, final double rate, final long durationNanos, final long start,
            final Workload workload, final int index)
        {
            this.connection = connection;
            this.total = Math.max(1, (long)(rate * durationNanos / 1e9));
            this.intervalNanos = 1e9 / rate;
            this.start = start;
            this.requests = new SyntheticRequests(workload.kind(), workload.artifact(), workload.width(),
                workload.candidates(), workload.qualities(), workload.k(), workload.timeoutMicros(), 17 + index);
        }

        @Override
        public void run()
        {
            try
            {
                while (sent < total)
                {
                    final long due = intendedTime(sent);
                    final long now = System.nanoTime();
                    if (now - due >= 0)
                    {
                        sendLag.recordValue(now - due);
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

        /** {@link ClientWait#BLOCK}: send every request at its intended time, sleeping in between. */
        void sendAll()
        {
            try
            {
                for (long i = 0; i < total && failure == null; i++)
                {
                    final long due = start + (long)(i * intervalNanos);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0)
                    {
                        if (wait > WAKE_EARLY_NANOS)
                        {
                            LockSupport.parkNanos(wait - WAKE_EARLY_NANOS);
                        }
                        else
                        {
                            Thread.onSpinWait();
                        }
                    }
                    sendLag.recordValue(Math.max(0, System.nanoTime() - due));
                    send(i, null);
                    sent = i + 1;
                }
            }
            catch (final Exception ex)
            {
                failure = ex;
            }
            finally
            {
                sendersDone = System.nanoTime();
            }
        }

        /** {@link ClientWait#BLOCK}: receive until every request is answered or the drain time passes. */
        void receiveAll()
        {
            try
            {
                while (received < total && failure == null)
                {
                    final long done = sendersDone;
                    if (done != 0 && System.nanoTime() - done > DRAIN_NANOS)
                    {
                        break;
                    }
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
            send(id, this);
        }

        private void send(final long id, final ResponseHandler whileBlocked) throws IOException
        {
            connection.send(frame, 0, requests.encode(frame, 0, id), whileBlocked);
        }

        /** The time request {@code id} is meant to be sent: the same arithmetic on both threads. */
        private long intendedTime(final long id)
        {
            return start + (long)(id * intervalNanos);
        }

        @Override
        public void onResponse(final ResponseFlyweight response)
        {
            final long now = System.nanoTime();
            final long id = response.requestId();
            received++;
            if (id < 0 || id >= total)
            {
                errors++;
                return;
            }
            latency.recordValue(Math.max(1, now - intendedTime(id)));
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
