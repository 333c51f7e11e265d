package io.decide.engine.service;

import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.adslot.AdSlotLogging;
import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;

import java.util.Arrays;

/**
 * Hands the ad-slot decisions a {@link DecisionEngine} makes to a {@link DecisionLog}, as {@link AdSlotLogging}
 * writes them: request id, user, request time, artifact, pattern, propensity, probabilities and, when the log's
 * feature slots are wide enough, the replay row that {@code decide ope --policy} replays. An artifact with more
 * patterns than the log's action slots is not logged. The sidecar daemon and the C ABI both log through this class.
 * <p>
 * Thread-safe when the log was opened multi-producer (the default): artifact names are registered once per engine
 * handle (registering is idempotent, so racing threads compute the same id) and a claim is per call. No allocation
 * after a handle's first logged decision.
 */
public final class AdSlotLogSink
{
    private final DecisionLog log;
    private volatile int[] logIds = new int[0];

    /**
     * @param log the open decision log (its owner closes it).
     */
    public AdSlotLogSink(final DecisionLog log)
    {
        this.log = log;
    }

    /** @return the log. */
    public DecisionLog log()
    {
        return log;
    }

    /**
     * Log one decision.
     *
     * @param decision  what {@link DecisionEngine#adSlot} decided ({@link DecisionContext#adSlotDecision()}).
     * @param handle    the engine handle it was decided with.
     * @param engine    the engine.
     * @param nowMillis the request's time, epoch milliseconds.
     * @return whether a record was handed to the log (false: too many patterns for its slots, or refused by its
     *         back-pressure policy, which counts it).
     */
    public boolean log(
        final AdSlotDecision decision, final int handle, final DecisionEngine engine, final long nowMillis)
    {
        final DecisionLogConfig config = log.config();
        final boolean withFeatures =
            decision.features().length + AdSlotLogging.REPLAY_FIELDS <= config.maxFeatures();
        if (decision.probabilities().length > config.maxActions())
        {
            return false;
        }
        final long sequence = log.claim();
        if (sequence < 0)
        {
            return false;
        }
        AdSlotLogging.fill(decision, log.event(sequence), logId(handle, engine), nowMillis * 1_000_000L, withFeatures);
        log.publish(sequence);
        return true;
    }

    private int logId(final int handle, final DecisionEngine engine)
    {
        int[] ids = logIds;
        if (handle >= ids.length || ids[handle] == 0)
        {
            ids = Arrays.copyOf(ids, Math.max(ids.length, handle + 1));
            ids[handle] = 1 + log.artifactId(engine.name(handle));
            logIds = ids;
        }
        return ids[handle] - 1;
    }
}
