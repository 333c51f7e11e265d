package io.decide.engine.adslot;

import io.decide.engine.log.DecisionEvent;
import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.log.DecisionLogDescriptor;

/**
 * Hands {@link AdSlotDecision}s to a {@link DecisionLog}: one record per decision, of kind
 * {@link DecisionLogDescriptor#KIND_AD_SLOT}, holding the request and user ids, the time, the artifact's name and
 * version, the chosen pattern (action, position 0), its propensity, the whole probability vector (P entries) and,
 * when configured, the <em>replay row</em>:
 * <pre>
 *   features[0 .. C-1]  the context features the models saw (state features in their slots)
 *   features[C]         posts since the session's last ad, as the allowed subset saw it
 *   features[C + 1]     1 when the session had shown an ad, else 0
 * </pre>
 * so that {@link AdSlotDecider#replay} of any artifact with the same patterns and context recomputes the decision
 * offline (off-policy evaluation, {@code docs/OPE.md} "Replay"). Use after {@link AdSlotDecider#decide} or
 * {@link AdSlotDecider#replay}, on the thread that made the decision, before its context decides again:
 * <pre>{@code
 * final AdSlotLogging logging = new AdSlotLogging(log, decider, true);    // once, at setup
 * ...
 * logging.log(decider.decide(requestId, userId, now, features, state, context));
 * }</pre>
 * {@link #log} allocates nothing and takes no lock: the artifact name's id is cached by identity of the name string
 * (a decider's name is one string), so a hot-swapped artifact registers its name once, on its first decision.
 * Which deciders fit is checked once, by {@link #validate}, against the log's preallocated slot sizes.
 */
public final class AdSlotLogging
{
    /** Features a replay row holds after the C context features. */
    public static final int REPLAY_FIELDS = 2;

    private final DecisionLog log;
    private final boolean logFeatures;
    private final int maxActions;
    private final int maxFeatures;
    private String lastName;
    private int lastId;

    /**
     * @param log         the log (its {@link DecisionLogConfig#maxActions()} and, with features,
     *                    {@link DecisionLogConfig#maxFeatures()} must fit the decider).
     * @param decider     the first decider whose decisions will be logged; checked with {@link #validate}.
     * @param logFeatures whether records carry the replay row (needed for {@code decide ope --policy}).
     * @throws IllegalArgumentException when the decider does not fit the log.
     */
    public AdSlotLogging(final DecisionLog log, final AdSlotDecider decider, final boolean logFeatures)
    {
        this.log = log;
        this.logFeatures = logFeatures;
        final DecisionLogConfig config = log.config();
        this.maxActions = config.maxActions();
        this.maxFeatures = config.maxFeatures();
        validate(decider);
        lastName = decider.artifactName();
        lastId = log.artifactId(lastName);
    }

    /**
     * Check, once (at setup or when a new artifact is swapped in), that a decider's decisions fit the log's slots.
     *
     * @param decider a decider.
     * @throws IllegalArgumentException naming the artifact, what it needs and what the log holds.
     */
    public void validate(final AdSlotDecider decider)
    {
        if (decider.patternCount() > maxActions)
        {
            throw new IllegalArgumentException("artifact " + decider.artifactName() + " v" +
                decider.artifactVersion() + " has " + decider.patternCount() + " patterns; the decision log holds " +
                maxActions + " probabilities per record (DecisionLogConfig.withMaxActions)");
        }
        final int needed = decider.contextFeatureCount() + REPLAY_FIELDS;
        if (logFeatures && needed > maxFeatures)
        {
            throw new IllegalArgumentException("artifact " + decider.artifactName() + " v" +
                decider.artifactVersion() + " logs " + needed + " features (C = " + decider.contextFeatureCount() +
                " + " + REPLAY_FIELDS + " replay fields); the decision log holds " + maxFeatures +
                " per record (DecisionLogConfig.withMaxFeatures)");
        }
    }

    /** @return whether records carry the replay row. */
    public boolean logsFeatures()
    {
        return logFeatures;
    }

    /**
     * Log a decision, timed now ({@link DecisionLog#epochNanos()}).
     *
     * @param decision a decision of a {@link #validate validated} decider.
     * @return the log's sequence (>= 0), or {@link DecisionLog#DROPPED} / {@link DecisionLog#CLOSED}.
     */
    public long log(final AdSlotDecision decision)
    {
        return log(decision, log.epochNanos());
    }

    /**
     * Log a decision with an explicit time (simulations, replays of recorded traffic).
     *
     * @param decision       a decision of a {@link #validate validated} decider.
     * @param timeEpochNanos the record's time, nanoseconds since the Unix epoch.
     * @return the log's sequence (>= 0), or {@link DecisionLog#DROPPED} / {@link DecisionLog#CLOSED}.
     */
    public long log(final AdSlotDecision decision, final long timeEpochNanos)
    {
        final DecisionLog log = this.log;
        final long sequence = log.claim();
        if (sequence >= 0)
        {
            fill(decision, log.event(sequence), artifactId(decision.artifactName), timeEpochNanos, logFeatures);
            log.publish(sequence);
        }
        return sequence;
    }

    private int artifactId(final String name)
    {
        if (name != lastName)
        {
            lastId = log.artifactId(name);
            lastName = name;
        }
        return lastId;
    }

    /**
     * Copy a decision into a claimed log slot (every field of the slot is set).
     *
     * @param decision       the decision.
     * @param event          the claimed slot.
     * @param artifactNameId the id of the decision's artifact name in the log.
     * @param timeEpochNanos the record's time.
     * @param withFeatures   whether to write the replay row (the slot must hold C + {@link #REPLAY_FIELDS}).
     */
    public static void fill(
        final AdSlotDecision decision,
        final DecisionEvent event,
        final int artifactNameId,
        final long timeEpochNanos,
        final boolean withFeatures)
    {
        final double[] probabilities = decision.probabilities;
        event.requestId(decision.requestId).userId(decision.userId).timeEpochNanos(timeEpochNanos)
            .artifact(artifactNameId, decision.artifactVersion).kind(DecisionLogDescriptor.KIND_AD_SLOT)
            .choice(decision.pattern, 0, decision.propensity).probabilities(probabilities, probabilities.length);
        if (withFeatures)
        {
            final double[] source = decision.features;
            final int c = source.length;
            final double[] target = event.features();
            System.arraycopy(source, 0, target, 0, c);
            target[c] = decision.postsSinceLastAd;
            target[c + 1] = decision.hadAdInSession ? 1 : 0;
            event.featureCount(c + REPLAY_FIELDS);
        }
        else
        {
            event.featureCount(0);
        }
    }
}
