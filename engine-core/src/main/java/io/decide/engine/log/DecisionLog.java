package io.decide.engine.log;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The durable decision log. A decision thread hands each decision to a preallocated ring slot (LMAX Disruptor) and
 * returns; one writer thread appends it as a checksummed record to memory-mapped segment files
 * ({@link DecisionLogDescriptor}, {@code docs/FORMAT.md}). The producer path allocates nothing and takes no lock:
 * <pre>{@code
 * final int adslot = log.artifactId("adslot");          // once, at setup
 * ...
 * final long seq = log.claim();                         // per decision
 * if (seq >= 0)
 * {
 *     final DecisionEvent e = log.event(seq);
 *     e.requestId(requestId).userId(userId).timeEpochNanos(log.epochNanos())
 *         .artifact(adslot, version).kind(DecisionLogDescriptor.KIND_AD_SLOT).choice(action, 0, p[action])
 *         .probabilities(p, k);
 *     log.publish(seq);                                 // always publish a claimed sequence
 * }
 * }</pre>
 * When the ring is full, {@link DecisionLogConfig.BackPressure#BLOCK} makes {@link #claim()} wait for the writer
 * and {@link DecisionLogConfig.BackPressure#DROP} makes it return {@link #DROPPED} and count the decision in
 * {@link #dropped()}. {@link #close()} writes every decision claimed before it and seals the last segment. Every
 * record committed to a segment survives a crash of the process (the page cache holds it); see
 * {@link DecisionLogReader} for reading back, torn tails included.
 */
public final class DecisionLog implements AutoCloseable
{
    /** {@link #claim()}: the ring was full under DROP; the decision is counted in {@link #dropped()}. */
    public static final long DROPPED = -1;
    /** {@link #claim()}: the log is closed. */
    public static final long CLOSED = -2;
    /** How long {@link #close()} waits for claimed decisions to be published and written. */
    public static final long CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final DecisionLogConfig config;
    private final RingBuffer<DecisionEvent> ring;
    private final BatchEventProcessor<DecisionEvent> processor;
    private final SegmentWriter writer;
    private final Thread writerThread;
    private final ArtifactNames names = new ArtifactNames();
    private final EpochNanoClock clock = new OffsetEpochNanoClock();
    private final Counters counters = new Counters();
    private final boolean block;
    private volatile boolean closed;
    private boolean closeDone;

    private DecisionLog(final DecisionLogConfig config) throws IOException
    {
        this.config = config.validate();
        this.block = config.backPressure() == DecisionLogConfig.BackPressure.BLOCK;
        final int maxActions = config.maxActions();
        final int maxFeatures = config.maxFeatures();
        this.ring = RingBuffer.create(config.multiProducer() ? ProducerType.MULTI : ProducerType.SINGLE,
            () -> new DecisionEvent(maxActions, maxFeatures), config.ringSize(), waitStrategy(config.waitStrategy()));
        this.writer = new SegmentWriter(config, names, clock, counters);
        this.processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), writer);
        this.processor.setExceptionHandler(new CountingExceptionHandler(counters));
        ring.addGatingSequences(processor.getSequence());
        this.writerThread = new Thread(processor, "decide-log-writer");
        this.writerThread.setDaemon(true);
        this.writerThread.start();
    }

    /**
     * Start a log: validates the configuration, creates the directory, and starts the writer thread. Segments are
     * created on the first record, numbered after the highest segment index already in the directory.
     *
     * @param config how to write.
     * @return the running log.
     * @throws IOException              when the directory cannot be created or listed.
     * @throws IllegalArgumentException when the configuration is invalid.
     */
    public static DecisionLog open(final DecisionLogConfig config) throws IOException
    {
        return new DecisionLog(config);
    }

    private static WaitStrategy waitStrategy(final DecisionLogConfig.WaitStrategyKind kind)
    {
        switch (kind)
        {
            case SLEEPING:
                return new SleepingWaitStrategy();
            case BLOCKING:
                return new BlockingWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            default:
                throw new IllegalArgumentException("wait strategy " + kind);
        }
    }

    /** @return the configuration. */
    public DecisionLogConfig config()
    {
        return config;
    }

    /**
     * Register an artifact name, once at setup; records carry the returned id and every segment's header maps ids
     * back to names.
     *
     * @param name artifact name, 1..255 UTF-8 bytes.
     * @return its id (the same id for the same name).
     * @throws IllegalArgumentException when the name is empty or too long, or the names no longer fit a header.
     */
    public int artifactId(final String name)
    {
        return names.register(name);
    }

    /** @return nanoseconds since the Unix epoch, from a clock that allocates nothing (Agrona's offset clock). */
    public long epochNanos()
    {
        return clock.nanoTime();
    }

    /**
     * Claim the next ring slot. Every sequence this returns (>= 0) must be {@link #publish published}, or the
     * writer stops at it.
     *
     * @return the slot's sequence; {@link #DROPPED} when the ring is full under DROP; {@link #CLOSED} after
     *     {@link #close()} began.
     */
    public long claim()
    {
        if (closed)
        {
            return CLOSED;
        }
        final long sequence;
        if (block)
        {
            sequence = ring.next();
        }
        else
        {
            try
            {
                sequence = ring.tryNext();
            }
            catch (final InsufficientCapacityException ex)
            {
                // The Disruptor throws a preallocated singleton without a stack trace: nothing is allocated here.
                counters.dropped.incrementAndGet();
                return DROPPED;
            }
        }
        // close() may have begun between the check above and the claim, and may already have drained the ring up to
        // a cursor before this sequence. Seen open here, after the claim, close() had not begun when the claim was
        // made, so its drain covers this sequence; seen closed, the slot is handed back void and the caller is told.
        if (closed)
        {
            ring.get(sequence).voided = true;
            ring.publish(sequence);
            return CLOSED;
        }
        return sequence;
    }

    /**
     * @param sequence a sequence from {@link #claim()}.
     * @return its preallocated slot to fill.
     */
    public DecisionEvent event(final long sequence)
    {
        return ring.get(sequence);
    }

    /**
     * Hand a filled slot to the writer.
     *
     * @param sequence a sequence from {@link #claim()}.
     */
    public void publish(final long sequence)
    {
        ring.publish(sequence);
    }

    /**
     * Claim, fill and publish in one call, copying the vectors.
     *
     * @param requestId      request id.
     * @param userId         user id.
     * @param timeEpochNanos decision time, ns since the epoch.
     * @param artifactNameId id from {@link #artifactId}.
     * @param version        artifact version.
     * @param kind           decision kind.
     * @param action         chosen action.
     * @param position       position decided (0 for single-slot decisions).
     * @param propensity     probability of the chosen action.
     * @param probabilities  probability vector.
     * @param actionCount    K.
     * @param features       feature vector (may be null when featureCount is 0).
     * @param featureCount   F (ignored when the log does not log features).
     * @return true when handed off; false when dropped or closed.
     */
    public boolean offer(
        final long requestId,
        final long userId,
        final long timeEpochNanos,
        final int artifactNameId,
        final long version,
        final int kind,
        final int action,
        final int position,
        final double propensity,
        final double[] probabilities,
        final int actionCount,
        final double[] features,
        final int featureCount)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return false;
        }
        try
        {
            final DecisionEvent event = ring.get(sequence);
            event.requestId = requestId;
            event.userId = userId;
            event.timeEpochNanos = timeEpochNanos;
            event.artifactNameId = artifactNameId;
            event.artifactVersion = version;
            event.kind = kind;
            event.action = action;
            event.position = position;
            event.propensity = propensity;
            final int k = Math.min(actionCount, event.probabilities.length);
            System.arraycopy(probabilities, 0, event.probabilities, 0, Math.max(k, 0));
            event.actionCount = actionCount;
            final int f = Math.min(featureCount, event.features.length);
            if (f > 0)
            {
                System.arraycopy(features, 0, event.features, 0, f);
            }
            event.featureCount = event.features.length == 0 ? 0 : featureCount;
        }
        finally
        {
            ring.publish(sequence);
        }
        return true;
    }

    /** @return decisions claimed and not yet written: how full the ring is (for monitoring and pacing). */
    public long pending()
    {
        return ring.getCursor() - processor.getSequence().get();
    }

    /** @return decisions dropped because the ring was full (DROP policy). */
    public long dropped()
    {
        return counters.dropped.get();
    }

    /** @return records committed to segment files. */
    public long written()
    {
        return counters.written.get();
    }

    /** @return decisions refused by the writer: counts above the configured maximum or an unregistered name id. */
    public long rejected()
    {
        return counters.rejected.get();
    }

    /** @return decisions the writer could not write (I/O failure; see {@link #lastFailure()}) or never published. */
    public long failures()
    {
        return counters.failures.get();
    }

    /** @return the last write failure with the segment it happened in, or null. */
    public String lastFailure()
    {
        return counters.lastFailure.get();
    }

    /** @return segment files created by this log. */
    public long segments()
    {
        return counters.segments.get();
    }

    /** @return the segment file being written, or null (writer thread's view; for monitoring). */
    public Path currentSegment()
    {
        return writer.segmentFile();
    }

    /**
     * Stop accepting decisions, write every decision claimed before (waiting up to {@link #CLOSE_TIMEOUT_NS} for
     * claimed slots to be published; a slot never published is counted in {@link #failures()}), seal the last
     * segment and stop the writer thread. Idempotent. A claim racing this returns either a sequence, and the decision
     * is written once published (within the timeout), or {@link #CLOSED}: nothing claimed is lost silently. With a
     * single-producer configuration, call it from the producing thread or after that thread stopped.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closeDone)
            {
                return;
            }
            closeDone = true;
        }
        closed = true;
        // The flag must be visible before the cursor is read below (store-load order): see claim().
        VarHandle.fullFence();
        final long deadline = System.nanoTime() + CLOSE_TIMEOUT_NS;
        while (processor.getSequence().get() < ring.getCursor() && writerThread.isAlive() &&
            System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(100_000);
        }
        processor.halt();
        boolean interrupted = false;
        while (writerThread.isAlive())
        {
            try
            {
                writerThread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        // Claims that raced the flag: the writer thread has ended, so this thread writes them.
        for (long sequence = processor.getSequence().get() + 1; sequence <= ring.getCursor(); sequence++)
        {
            while (!ring.isAvailable(sequence) && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(100_000);
            }
            if (ring.isAvailable(sequence))
            {
                writer.write(ring.get(sequence));
            }
            else
            {
                counters.failed(new IllegalStateException("sequence " + sequence + " claimed but never published"),
                    writer.segmentFile());
            }
        }
        writer.close();
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Counters shared by producers, the writer and readers of the statistics. */
    static final class Counters
    {
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong written = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong segments = new AtomicLong();
        final AtomicReference<String> lastFailure = new AtomicReference<>();

        void failed(final Throwable ex, final Path segment)
        {
            failures.incrementAndGet();
            lastFailure.set((segment == null ? "" : segment + ": ") + ex);
        }
    }

    /** Counts what escapes the writer (it catches its own failures, so this is a last resort) and continues. */
    private static final class CountingExceptionHandler implements ExceptionHandler<DecisionEvent>
    {
        private final Counters counters;

        CountingExceptionHandler(final Counters counters)
        {
            this.counters = counters;
        }

        @Override
        public void handleEventException(final Throwable ex, final long sequence, final DecisionEvent event)
        {
            counters.failed(ex, null);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            counters.failed(ex, null);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            counters.failed(ex, null);
        }
    }
}
