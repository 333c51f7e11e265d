package io.decide.tools.log;

import io.decide.engine.log.DecisionLogReader;
import org.agrona.collections.Long2LongHashMap;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * {@code decide log join}: the decision log joined with rewards that arrived later, keyed by request id. Each log
 * record with a reward becomes a row of joined.csv — the export's columns with the reward filled in, and with
 * {@code sat,ads} before it when the rewards have them ({@code reward = λ·sat + (1-λ)·ads}) — and, when asked, a
 * row of dist.csv aligned with it. Log records without a reward are counted and left out (OPE needs a reward per
 * row); rewards whose request id is not in the log are counted. A request id twice in the rewards or twice in the
 * log is an error naming both places.
 */
public final class LogJoin
{
    private LogJoin()
    {
    }

    /**
     * @param logDir   the log directory.
     * @param rewards  the rewards.
     * @param out      joined.csv to write.
     * @param dist     dist.csv to write, or null.
     * @param artifact only records of this artifact name, or null for all.
     * @param lambda   λ for sat,ads rewards; must be null for reward rewards.
     * @return what was done.
     * @throws IOException when the log is corrupt (not a torn tail), a request id repeats, or a file cannot be read
     *                     or written.
     */
    public static LogSummary join(final Path logDir, final Rewards rewards, final Path out, final Path dist,
        final String artifact, final Double lambda) throws IOException
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
        final int k = dist == null ? 0 : maxActions(logDir, artifact, rewards);
        final Path outTemp = LogCsv.temporary(out);
        final Path distTemp = dist == null ? null : LogCsv.temporary(dist);
        final BitSet used = new BitSet(rewards.size());
        final Long2LongHashMap seen = new Long2LongHashMap(-1);
        boolean done = false;
        try (DecisionLogReader reader = DecisionLogReader.open(logDir);
            BufferedWriter w = LogCsv.writer(outTemp);
            BufferedWriter d = dist == null ? null : LogCsv.writer(distTemp))
        {
            final List<Path> segments = reader.segments();
            w.write(rewards.satAds() ? LogCsv.LOG_COLUMNS.replace(",reward,", ",sat,ads,reward,") :
                LogCsv.LOG_COLUMNS);
            w.write('\n');
            if (d != null)
            {
                d.write(LogCsv.distHeader(k));
            }
            long rows = 0;
            long withoutReward = 0;
            int segmentOrdinal = -1;
            Path segment = null;
            while (reader.next())
            {
                if (artifact != null && !artifact.equals(reader.artifactName()))
                {
                    continue;
                }
                if (!reader.file().equals(segment))
                {
                    segment = reader.file();
                    segmentOrdinal = segments.indexOf(segment);
                }
                final long requestId = reader.record().requestId();
                final long where = ((long)segmentOrdinal << 32) | reader.offset();
                final long first = seen.put(requestId, where);
                if (first != -1)
                {
                    throw new LogInputException(logDir + ": duplicate request_id " + requestId + ": record at " +
                        segment.getFileName() + " offset " + reader.offset() + ", first at " +
                        segments.get((int)(first >>> 32)).getFileName() + " offset " + (first & 0xFFFF_FFFFL));
                }
                final int row = rewards.row(requestId);
                if (row < 0)
                {
                    withoutReward++;
                    continue;
                }
                used.set(row);
                LogCsv.writeKeyColumns(w, reader);
                if (rewards.satAds())
                {
                    final double sat = rewards.sat(row);
                    final double ads = rewards.ads(row);
                    w.write(Double.toString(sat));
                    w.write(',');
                    w.write(Double.toString(ads));
                    w.write(',');
                    w.write(Double.toString(lambda * sat + (1 - lambda) * ads));
                }
                else
                {
                    w.write(Double.toString(rewards.reward(row)));
                }
                w.write(',');
                w.write(Double.toString(reader.record().propensity()));
                w.write('\n');
                if (d != null)
                {
                    LogCsv.writeDistRow(d, reader.record(), k);
                }
                rows++;
            }
            w.close();
            if (d != null)
            {
                d.close();
            }
            final LogSummary summary = new LogSummary(segments.size(), reader.recordsRead(), rows, k, withoutReward,
                rewards.size() - used.cardinality(), reader.tornTails());
            LogCsv.publish(outTemp, out);
            if (dist != null)
            {
                LogCsv.publish(distTemp, dist);
            }
            done = true;
            return summary;
        }
        finally
        {
            if (!done)
            {
                Files.deleteIfExists(outTemp);
                if (distTemp != null)
                {
                    Files.deleteIfExists(distTemp);
                }
            }
        }
    }

    /**
     * The longest probability vector among the rows that will be written (a first pass over the log).
     *
     * @param logDir   the log directory.
     * @param artifact only this artifact, or null.
     * @param rewards  only records with a reward here, or null for all.
     * @return K.
     * @throws IOException when the log cannot be read.
     */
    static int maxActions(final Path logDir, final String artifact, final Rewards rewards) throws IOException
    {
        int k = 0;
        try (DecisionLogReader reader = DecisionLogReader.open(logDir))
        {
            while (reader.next())
            {
                if ((artifact == null || artifact.equals(reader.artifactName())) &&
                    (rewards == null || rewards.row(reader.record().requestId()) >= 0))
                {
                    k = Math.max(k, reader.record().actionCount());
                }
            }
        }
        return k;
    }
}
