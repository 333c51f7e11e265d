package io.decide.tools.ope.replay;

import io.decide.engine.adslot.AdSlotContext;
import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.adslot.AdSlotLogging;
import io.decide.engine.log.DecisionLogDescriptor;
import io.decide.engine.log.DecisionLogReader;
import io.decide.engine.log.DecisionRecordFlyweight;
import io.decide.engine.log.TornTail;
import io.decide.tools.log.Rewards;
import io.decide.tools.ope.BanditFeedback;
import io.decide.tools.ope.BanditLog;
import io.decide.tools.ope.OpeInputException;
import org.agrona.collections.LongHashSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Replays a decision log through a candidate ad-slot policy. For every ad-slot record with a reward (joined by
 * request id, {@code reward = λ·sat + (1−λ)·ads} for sat,ads rewards, as {@code decide log join} computes it) it
 * calls {@link AdSlotDecider#replay} of the candidate on the record's replay row ({@link AdSlotLogging}: the C context
 * features, posts since the last ad, the had-ad flag) with the record's request and user ids, and keeps the
 * candidate's probability vector as π_e(· | x_i). Optionally a reward-model artifact (an ad-slot policy with SAT and
 * ADS models) gives q̂(x_i, a) = λ·SAT + (1−λ)·ADS of its models for every pattern a (scored with no pattern
 * disallowed), for DM and the DR family.
 * <p>
 * Checked per record, naming the segment file and offset: the record is of kind ad-slot, holds P probabilities
 * (P = the candidate's pattern count) and C + 2 features (C = the candidate's context width); a request id appears
 * once. Records of other artifacts are skipped when an artifact name is given; records without a reward are counted
 * and left out.
 */
public final class PolicyReplay
{
    private PolicyReplay()
    {
    }

    /**
     * What a replay produced.
     *
     * @param log            the logged data (actions, position 0, rewards, logged propensities) of the rows kept.
     * @param actionCount    P.
     * @param dist           π_e, row-major rows × P, from the candidate.
     * @param q              q̂, row-major rows × P, or null without a reward model.
     * @param requestIds     request ids of the rows kept, in log order.
     * @param recordsRead    records read from the log.
     * @param skipped        records of other artifacts (when filtered by name).
     * @param withoutReward  records kept by the filter that had no reward.
     * @param tornTails      torn tails the reader skipped.
     */
    public record Result(BanditLog log, int actionCount, double[] dist, double[] q, long[] requestIds,
        long recordsRead, long skipped, long withoutReward, List<TornTail> tornTails)
    {
        /** @return rows kept. */
        public int rows()
        {
            return log.rows();
        }

        /**
         * @param tolerance allowed |Σ_a π_e(a | x_i) − 1|.
         * @return the estimators' input, validated.
         */
        public BanditFeedback feedback(final double tolerance)
        {
            return BanditFeedback.of(log, actionCount, dist, q, tolerance);
        }
    }

    /**
     * Replay a log directory.
     *
     * @param logDir      the decision log directory (its writer closed or crashed).
     * @param rewards     rewards keyed by request id.
     * @param lambda      λ for sat,ads rewards; null for reward rewards.
     * @param candidate   the candidate policy's decider.
     * @param rewardModel decider whose models give q̂, or null.
     * @param artifact    only records of this artifact name, or null for all.
     * @return the replayed rows.
     * @throws IOException when the log is corrupt or a record does not fit the candidate (naming file and offset).
     */
    public static Result replay(final Path logDir, final Rewards rewards, final Double lambda,
        final AdSlotDecider candidate, final AdSlotDecider rewardModel, final String artifact) throws IOException
    {
        if (rewards.satAds() && lambda == null)
        {
            throw new IllegalArgumentException(rewards.file() + " has sat,ads: give lambda (reward = lambda*sat + " +
                "(1-lambda)*ads)");
        }
        if (!rewards.satAds() && lambda != null)
        {
            throw new IllegalArgumentException(rewards.file() + " has a reward column: lambda applies only to sat,ads");
        }
        final int p = candidate.patternCount();
        final int c = candidate.contextFeatureCount();
        if (rewardModel != null && (rewardModel.patternCount() != p || rewardModel.contextFeatureCount() != c))
        {
            throw new IllegalArgumentException("reward model " + rewardModel.artifactName() + " v" +
                rewardModel.artifactVersion() + " has " + rewardModel.patternCount() + " patterns and " +
                rewardModel.contextFeatureCount() + " context features; the candidate " + candidate.artifactName() +
                " has " + p + " and " + c);
        }
        for (int i = 0; rewardModel != null && i < p; i++)
        {
            if (rewardModel.mask(i) != candidate.mask(i))
            {
                throw new IllegalArgumentException("reward model pattern " + i + " has mask " + rewardModel.mask(i) +
                    ", the candidate's " + candidate.mask(i));
            }
        }
        final AdSlotContext context = candidate.newContext();
        final AdSlotContext modelContext = rewardModel == null ? null : rewardModel.newContext();
        final double[] row = new double[c];
        int capacity = 1 << 12;
        int[] actions = new int[capacity];
        double[] rewardColumn = new double[capacity];
        double[] pscores = new double[capacity];
        long[] requestIds = new long[capacity];
        double[] dist = new double[capacity * p];
        double[] q = rewardModel == null ? null : new double[capacity * p];
        final LongHashSet seen = new LongHashSet();
        int n = 0;
        long skipped = 0;
        long withoutReward = 0;
        try (DecisionLogReader reader = DecisionLogReader.open(logDir))
        {
            while (reader.next())
            {
                if (artifact != null && !artifact.equals(reader.artifactName()))
                {
                    skipped++;
                    continue;
                }
                final DecisionRecordFlyweight record = reader.record();
                final long requestId = record.requestId();
                if (!seen.add(requestId))
                {
                    throw new OpeInputException(where(reader) + ": request_id " + requestId + " appears twice in " +
                        "the log");
                }
                final int rewardRow = rewards.row(requestId);
                if (rewardRow < 0)
                {
                    withoutReward++;
                    continue;
                }
                if (record.kind() != DecisionLogDescriptor.KIND_AD_SLOT)
                {
                    throw new OpeInputException(where(reader) + ": decision kind " +
                        DecisionLogDescriptor.kindName(record.kind()) + ", replay evaluates ad-slot decisions " +
                        "(give --artifact to pick one artifact's records)");
                }
                if (record.actionCount() != p)
                {
                    throw new OpeInputException(where(reader) + ": " + record.actionCount() + " probabilities, the " +
                        "candidate " + candidate.artifactName() + " has " + p + " patterns");
                }
                if (record.featureCount() != c + AdSlotLogging.REPLAY_FIELDS)
                {
                    throw new OpeInputException(where(reader) + ": " + record.featureCount() + " features, replay " +
                        "needs C + " + AdSlotLogging.REPLAY_FIELDS + " = " + (c + AdSlotLogging.REPLAY_FIELDS) +
                        " (the candidate's " + c + " context features, then posts since the last ad and the " +
                        "had-ad flag: log with AdSlotLogging and features on)");
                }
                if (n == capacity)
                {
                    capacity *= 2;
                    actions = Arrays.copyOf(actions, capacity);
                    rewardColumn = Arrays.copyOf(rewardColumn, capacity);
                    pscores = Arrays.copyOf(pscores, capacity);
                    requestIds = Arrays.copyOf(requestIds, capacity);
                    dist = Arrays.copyOf(dist, capacity * p);
                    q = q == null ? null : Arrays.copyOf(q, capacity * p);
                }
                for (int f = 0; f < c; f++)
                {
                    row[f] = record.feature(f);
                }
                final double posts = record.feature(c);
                final double hadAd = record.feature(c + 1);
                if (!(posts >= 0 && posts <= Integer.MAX_VALUE && posts == Math.rint(posts)) ||
                    !(hadAd == 0 || hadAd == 1))
                {
                    throw new OpeInputException(where(reader) + ": replay fields posts since last ad " + posts +
                        " and had-ad " + hadAd + ", expected a count >= 0 and 0 or 1");
                }
                final AdSlotDecision d = candidate.replay(requestId, record.userId(), row, (int)posts, hadAd == 1,
                    context);
                System.arraycopy(d.probabilities(), 0, dist, n * p, p);
                if (q != null)
                {
                    final AdSlotDecision m = rewardModel.replay(requestId, record.userId(), row, (int)posts, false,
                        modelContext);
                    for (int a = 0; a < p; a++)
                    {
                        final double v = m.reward(a);
                        if (!Double.isFinite(v))
                        {
                            throw new OpeInputException(where(reader) + ": reward model " +
                                rewardModel.artifactName() + " gives " + v + " for pattern " + a + " (a reward " +
                                "model must be an ad-slot policy with SAT and ADS models)");
                        }
                        q[n * p + a] = v;
                    }
                }
                actions[n] = record.action();
                pscores[n] = record.propensity();
                rewardColumn[n] = rewards.satAds() ?
                    lambda * rewards.sat(rewardRow) + (1 - lambda) * rewards.ads(rewardRow) : rewards.reward(rewardRow);
                requestIds[n] = requestId;
                n++;
            }
            if (n == 0)
            {
                throw new OpeInputException(logDir + ": no ad-slot record" + (artifact != null ? " of artifact " +
                    artifact : "") + " has a reward in " + rewards.file() + " (" + reader.recordsRead() +
                    " records read, " + withoutReward + " without a reward)");
            }
            final BanditLog log;
            try
            {
                log = new BanditLog(n, actions, null, rewardColumn, pscores);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new OpeInputException(logDir + ": " + ex.getMessage() + " (rows in log order after the join)");
            }
            return new Result(log, p, Arrays.copyOf(dist, n * p), q == null ? null : Arrays.copyOf(q, n * p),
                Arrays.copyOf(requestIds, n), reader.recordsRead(), skipped, withoutReward,
                List.copyOf(reader.tornTails()));
        }
    }

    private static String where(final DecisionLogReader reader)
    {
        return reader.file() + " offset " + reader.offset();
    }
}
