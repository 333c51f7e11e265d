package io.decide.tools.log;

import io.decide.engine.log.DecisionLogReader;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code decide log export}: every record of a decision log directory (optionally of one artifact) as a row of
 * log.csv ({@link LogCsv#LOG_COLUMNS}, reward empty until joined) and, when asked, its probability vector as a row
 * of dist.csv. Files are written to temporaries renamed over the targets at the end, so a failure leaves no
 * partial file.
 */
public final class LogExport
{
    private LogExport()
    {
    }

    /**
     * @param logDir   the log directory.
     * @param out      log.csv to write.
     * @param dist     dist.csv to write, or null.
     * @param artifact only records of this artifact name, or null for all.
     * @return what was done.
     * @throws IOException when the log is corrupt (not a torn tail) or a file cannot be read or written.
     */
    public static LogSummary export(final Path logDir, final Path out, final Path dist, final String artifact)
        throws IOException
    {
        final int k = dist == null ? 0 : LogJoin.maxActions(logDir, artifact, null);
        final Path outTemp = LogCsv.temporary(out);
        final Path distTemp = dist == null ? null : LogCsv.temporary(dist);
        boolean done = false;
        try (DecisionLogReader reader = DecisionLogReader.open(logDir);
            BufferedWriter w = LogCsv.writer(outTemp);
            BufferedWriter d = dist == null ? null : LogCsv.writer(distTemp))
        {
            w.write(LogCsv.LOG_COLUMNS);
            w.write('\n');
            if (d != null)
            {
                d.write(LogCsv.distHeader(k));
            }
            long rows = 0;
            while (reader.next())
            {
                if (artifact != null && !artifact.equals(reader.artifactName()))
                {
                    continue;
                }
                LogCsv.writeKeyColumns(w, reader);
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
            final LogSummary summary = new LogSummary(reader.segments().size(), reader.recordsRead(), rows, k, 0, 0,
                reader.tornTails());
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
}
