package io.decide.engine.log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DecisionLog} writes: where, segment size and age, ring size, back-pressure policy, the writer's wait
 * strategy, producer type, and the largest probability and feature vectors. Immutable; {@code withX} returns a
 * copy. {@link #validate()} (called by {@link DecisionLog#open}) checks everything once.
 *
 * @param directory        directory of the segment files (created if missing).
 * @param segmentBytes     size of a segment file while it is written; a record that does not fit starts the next
 *                         segment. A sealed segment is truncated to its data.
 * @param rollInterval     a segment older than this is sealed at the next record (no time roll when idle).
 * @param ringSize         slots in the hand-off ring, a power of two.
 * @param backPressure     what {@link DecisionLog#claim()} does when the ring is full.
 * @param waitStrategy     how the writer thread waits for decisions.
 * @param multiProducer    whether several threads claim (false: exactly one thread ever claims, and closes the
 *                         log or stops before it is closed).
 * @param maxActions       longest probability vector, 1..65535.
 * @param maxFeatures      longest feature vector, 0..65535; 0 means features are not logged.
 * @param forceOnSeal      whether sealing a segment waits for its pages to reach the storage device (msync); the
 *                         page cache alone already survives a crash of the process.
 */
public record DecisionLogConfig(
    Path directory,
    long segmentBytes,
    Duration rollInterval,
    int ringSize,
    BackPressure backPressure,
    WaitStrategyKind waitStrategy,
    boolean multiProducer,
    int maxActions,
    int maxFeatures,
    boolean forceOnSeal)
{
    /** Default segment size: 64 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    /** Default segment age: one hour. */
    public static final Duration DEFAULT_ROLL_INTERVAL = Duration.ofHours(1);
    /** Default ring: 65,536 slots. */
    public static final int DEFAULT_RING_SIZE = 1 << 16;
    /** Default longest probability vector. */
    public static final int DEFAULT_MAX_ACTIONS = 64;
    /** Largest segment: offsets in a segment are ints. */
    public static final long MAX_SEGMENT_BYTES = Integer.MAX_VALUE & ~7L;

    /** What a producer does when every ring slot holds a decision not yet written. */
    public enum BackPressure
    {
        /** Wait (parking 1 ns at a time) until the writer frees a slot: nothing is lost, the decision waits. */
        BLOCK,
        /** Return {@link DecisionLog#DROPPED} at once and count the decision in {@link DecisionLog#dropped()}. */
        DROP
    }

    /** The writer thread's Disruptor wait strategy. */
    public enum WaitStrategyKind
    {
        /**
         * Spin 100 times, yield 100 times, then {@code parkNanos(100)} per try (tens of µs on Linux); publishing
         * costs producers nothing extra. The default: on 2 cores a spinning writer would take a core from the
         * deciders, and BLOCKING makes every publish take a lock.
         */
        SLEEPING,
        /** Lock and condition: no CPU when idle, but every publish takes the lock to signal. */
        BLOCKING,
        /** Spin 100 times, then {@code Thread.yield()}: lowest latency short of spinning, burns a core. */
        YIELDING,
        /** Busy spin: a dedicated core only. */
        BUSY_SPIN
    }

    /**
     * @param directory directory of the segment files.
     * @return the defaults: 64 MiB segments, 1 h roll, 65,536 slots, BLOCK, SLEEPING, multi-producer, 64 actions,
     *     no features, no msync.
     */
    public static DecisionLogConfig defaults(final Path directory)
    {
        return new DecisionLogConfig(directory, DEFAULT_SEGMENT_BYTES, DEFAULT_ROLL_INTERVAL, DEFAULT_RING_SIZE,
            BackPressure.BLOCK, WaitStrategyKind.SLEEPING, true, DEFAULT_MAX_ACTIONS, 0, false);
    }

    /**
     * @param bytes segment size.
     * @return a copy with it.
     */
    public DecisionLogConfig withSegmentBytes(final long bytes)
    {
        return new DecisionLogConfig(directory, bytes, rollInterval, ringSize, backPressure, waitStrategy,
            multiProducer, maxActions, maxFeatures, forceOnSeal);
    }

    /**
     * @param interval segment age.
     * @return a copy with it.
     */
    public DecisionLogConfig withRollInterval(final Duration interval)
    {
        return new DecisionLogConfig(directory, segmentBytes, interval, ringSize, backPressure, waitStrategy,
            multiProducer, maxActions, maxFeatures, forceOnSeal);
    }

    /**
     * @param size ring slots, a power of two.
     * @return a copy with it.
     */
    public DecisionLogConfig withRingSize(final int size)
    {
        return new DecisionLogConfig(directory, segmentBytes, rollInterval, size, backPressure, waitStrategy,
            multiProducer, maxActions, maxFeatures, forceOnSeal);
    }

    /**
     * @param policy back-pressure policy.
     * @return a copy with it.
     */
    public DecisionLogConfig withBackPressure(final BackPressure policy)
    {
        return new DecisionLogConfig(directory, segmentBytes, rollInterval, ringSize, policy, waitStrategy,
            multiProducer, maxActions, maxFeatures, forceOnSeal);
    }

    /**
     * @param kind writer wait strategy.
     * @return a copy with it.
     */
    public DecisionLogConfig withWaitStrategy(final WaitStrategyKind kind)
    {
        return new DecisionLogConfig(directory, segmentBytes, rollInterval, ringSize, backPressure, kind,
            multiProducer, maxActions, maxFeatures, forceOnSeal);
    }

    /**
     * @param multi whether several threads claim.
     * @return a copy with it.
     */
    public DecisionLogConfig withMultiProducer(final boolean multi)
    {
        return new DecisionLogConfig(directory, segmentBytes, rollInterval, ringSize, backPressure, waitStrategy,
            multi, maxActions, maxFeatures, forceOnSeal);
    }

    /**
     * @param actions longest probability vector.
     * @return a copy with it.
     */
    public DecisionLogConfig withMaxActions(final int actions)
    {
        return new DecisionLogConfig(directory, segmentBytes, rollInterval, ringSize, backPressure, waitStrategy,
            multiProducer, actions, maxFeatures, forceOnSeal);
    }

    /**
     * @param features longest feature vector; 0 turns feature logging off.
     * @return a copy with it.
     */
    public DecisionLogConfig withMaxFeatures(final int features)
    {
        return new DecisionLogConfig(directory, segmentBytes, rollInterval, ringSize, backPressure, waitStrategy,
            multiProducer, maxActions, features, forceOnSeal);
    }

    /**
     * @param force whether sealing msyncs the segment.
     * @return a copy with it.
     */
    public DecisionLogConfig withForceOnSeal(final boolean force)
    {
        return new DecisionLogConfig(directory, segmentBytes, rollInterval, ringSize, backPressure, waitStrategy,
            multiProducer, maxActions, maxFeatures, force);
    }

    /** @return the longest record this configuration writes. */
    public int maxRecordLength()
    {
        return DecisionLogDescriptor.recordLength(maxActions, maxFeatures);
    }

    /**
     * Check every setting once.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting and what was expected.
     */
    public DecisionLogConfig validate()
    {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(rollInterval, "rollInterval");
        Objects.requireNonNull(backPressure, "backPressure");
        Objects.requireNonNull(waitStrategy, "waitStrategy");
        if (maxActions < 1 || maxActions > DecisionLogDescriptor.MAX_COUNT)
        {
            throw new IllegalArgumentException("maxActions " + maxActions + ", expected 1.." +
                DecisionLogDescriptor.MAX_COUNT);
        }
        if (maxFeatures < 0 || maxFeatures > DecisionLogDescriptor.MAX_COUNT)
        {
            throw new IllegalArgumentException("maxFeatures " + maxFeatures + ", expected 0.." +
                DecisionLogDescriptor.MAX_COUNT);
        }
        final long least = DecisionLogDescriptor.HEADER_LENGTH + maxRecordLength();
        if (segmentBytes < least || segmentBytes > MAX_SEGMENT_BYTES || (segmentBytes & 7) != 0)
        {
            throw new IllegalArgumentException("segmentBytes " + segmentBytes + ", expected a multiple of 8 in " +
                least + ".." + MAX_SEGMENT_BYTES + " (header plus the longest record)");
        }
        if (rollInterval.isNegative() || rollInterval.isZero())
        {
            throw new IllegalArgumentException("rollInterval " + rollInterval + ", expected > 0");
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ringSize " + ringSize + ", expected a power of two >= 2");
        }
        return this;
    }
}
