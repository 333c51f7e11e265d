package io.decide.tools.ope.replay;

import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.log.DecisionLogDescriptor;
import io.decide.engine.log.DecisionLogReader;
import io.decide.engine.log.DecisionRecordFlyweight;
import io.decide.tools.log.Rewards;
import io.decide.tools.ope.OpeInputException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training table of joint SAT and ADS reward models, from a decision log joined with sat,ads rewards: one row
 * per ad-slot record with a reward, columns {@code request_id}, the C context features of the replay row (named by
 * the caller), {@code ad_count,ad_mask} of the logged pattern (the action encoding a joint model of an
 * AD_SLOT_POLICY takes after the context), then {@code action,pscore,sat,ads}. Every column but
 * {@code request_id,action,pscore,sat,ads} is a feature for {@code decide train-reward}, so a model trained on it
 * takes exactly the row the decider builds.
 */
public final class RewardTable
{
    private RewardTable()
    {
    }

    /**
     * @param logDir       the decision log directory.
     * @param rewards      sat,ads rewards keyed by request id.
     * @param patterns     the decider whose patterns the log's actions index (the logging artifact).
     * @param featureNames names of the C context features.
     * @param artifact     only records of this artifact, or null.
     * @param out          the table to write.
     * @return rows written.
     * @throws IOException when the log is corrupt, a record does not fit, or the file cannot be written.
     */
    public static long write(final Path logDir, final Rewards rewards, final AdSlotDecider patterns,
        final String[] featureNames, final String artifact, final Path out) throws IOException
    {
        if (!rewards.satAds())
        {
            throw new IllegalArgumentException(rewards.file() + " has a reward column; reward models need sat,ads");
        }
        final int c = featureNames.length;
        long rows = 0;
        try (DecisionLogReader reader = DecisionLogReader.open(logDir);
            BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.US_ASCII))
        {
            final StringBuilder line = new StringBuilder(256).append("request_id");
            for (final String name : featureNames)
            {
                line.append(',').append(name);
            }
            w.append(line.append(",ad_count,ad_mask,action,pscore,sat,ads\n"));
            while (reader.next())
            {
                if (artifact != null && !artifact.equals(reader.artifactName()))
                {
                    continue;
                }
                final DecisionRecordFlyweight record = reader.record();
                final int row = rewards.row(record.requestId());
                if (row < 0)
                {
                    continue;
                }
                if (record.kind() != DecisionLogDescriptor.KIND_AD_SLOT || record.featureCount() < c ||
                    record.action() >= patterns.patternCount())
                {
                    throw new OpeInputException(reader.file() + " offset " + reader.offset() + ": expected an " +
                        "ad-slot record with >= " + c + " features and an action < " + patterns.patternCount() +
                        ", found kind " + DecisionLogDescriptor.kindName(record.kind()) + ", " +
                        record.featureCount() + " features, action " + record.action());
                }
                line.setLength(0);
                line.append(record.requestId());
                for (int f = 0; f < c; f++)
                {
                    line.append(',').append(record.feature(f));
                }
                final int mask = patterns.mask(record.action());
                line.append(',').append(Integer.bitCount(mask)).append(',').append(mask).append(',')
                    .append(record.action()).append(',').append(record.propensity()).append(',')
                    .append(rewards.sat(row)).append(',').append(rewards.ads(row)).append('\n');
                w.append(line);
                rows++;
            }
        }
        return rows;
    }
}
