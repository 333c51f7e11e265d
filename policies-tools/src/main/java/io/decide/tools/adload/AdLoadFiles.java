package io.decide.tools.adload;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a simulated ad-load log (formats in {@code docs/OPE.md}): log.csv ({@code action,reward,pscore,sat,ads}),
 * and optionally contexts.csv (the observable features), joined.csv (features, action, its encoding, pscore, sat,
 * ads, reward — the input of {@code decide train-reward}), dist.csv and q.csv (π_e and q̂ per row, columns
 * a0..a{K-1}). Numbers are written as Java's shortest round-trip decimals.
 */
public final class AdLoadFiles implements Closeable
{
    private final AdSlotPatterns patterns;
    private final BufferedWriter log;
    private final BufferedWriter contexts;
    private final BufferedWriter joined;
    private final BufferedWriter dist;
    private final BufferedWriter q;
    private final StringBuilder line = new StringBuilder(256);
    private final double[] encoding;

    /**
     * Create the files and write their headers; null paths are skipped.
     *
     * @param patterns the actions.
     * @param log      log.csv (required).
     * @param contexts contexts.csv or null.
     * @param joined   joined.csv or null.
     * @param dist     dist.csv or null.
     * @param q        q.csv or null.
     * @throws IOException when a file cannot be written.
     */
    public AdLoadFiles(final AdSlotPatterns patterns, final Path log, final Path contexts, final Path joined,
        final Path dist, final Path q) throws IOException
    {
        this.patterns = patterns;
        this.encoding = new double[patterns.encodingWidth()];
        this.log = open(log);
        this.contexts = open(contexts);
        this.joined = open(joined);
        this.dist = open(dist);
        this.q = open(q);
        this.log.write("action,reward,pscore,sat,ads\n");
        final String features = String.join(",", AdLoadSimulator.FEATURE_NAMES);
        if (this.contexts != null)
        {
            this.contexts.write(features + "\n");
        }
        if (this.joined != null)
        {
            final StringBuilder header = new StringBuilder(features).append(",action,ad_count");
            for (int j = 0; j < patterns.slots(); j++)
            {
                header.append(",ad_at_").append(j);
            }
            this.joined.write(header.append(",pscore,sat,ads,reward\n").toString());
        }
        final StringBuilder actions = new StringBuilder();
        for (int a = 0; a < patterns.count(); a++)
        {
            actions.append(a == 0 ? "" : ",").append('a').append(a);
        }
        actions.append('\n');
        if (this.dist != null)
        {
            this.dist.write(actions.toString());
        }
        if (this.q != null)
        {
            this.q.write(actions.toString());
        }
    }

    private static BufferedWriter open(final Path file) throws IOException
    {
        return file == null ? null : Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
    }

    /**
     * Append one row to every file.
     *
     * @param row the row.
     * @throws IOException on a write error.
     */
    public void write(final AdLoadLogger.Row row) throws IOException
    {
        line.setLength(0);
        line.append(row.action).append(',').append(row.reward).append(',').append(row.pscore).append(',')
            .append(row.sat).append(',').append(row.ads).append('\n');
        log.append(line);
        if (contexts != null || joined != null)
        {
            line.setLength(0);
            features(row);
            if (contexts != null)
            {
                contexts.append(line).append('\n');
            }
            if (joined != null)
            {
                patterns.encode(row.action, encoding, 0);
                line.append(',').append(row.action);
                for (final double e : encoding)
                {
                    line.append(',').append((int)e);
                }
                line.append(',').append(row.pscore).append(',').append(row.sat).append(',').append(row.ads)
                    .append(',').append(row.reward).append('\n');
                joined.append(line);
            }
        }
        if (dist != null)
        {
            vector(dist, row.dist);
        }
        if (q != null)
        {
            vector(q, row.q);
        }
    }

    private void features(final AdLoadLogger.Row row)
    {
        final double[] x = row.context;
        line.append((int)x[AdLoadSimulator.LANGUAGE]).append(',').append(x[AdLoadSimulator.ACTIVITY]).append(',')
            .append(x[AdLoadSimulator.FATIGUE]).append(',').append((int)x[AdLoadSimulator.PREV_ADS]).append(',')
            .append((int)x[AdLoadSimulator.POSTS_SINCE_AD]);
    }

    private void vector(final BufferedWriter writer, final double[] values) throws IOException
    {
        line.setLength(0);
        for (int a = 0; a < values.length; a++)
        {
            if (a > 0)
            {
                line.append(',');
            }
            line.append(values[a]);
        }
        writer.append(line.append('\n'));
    }

    @Override
    public void close() throws IOException
    {
        IOException first = null;
        for (final BufferedWriter w : new BufferedWriter[]{log, contexts, joined, dist, q})
        {
            if (w != null)
            {
                try
                {
                    w.close();
                }
                catch (final IOException ex)
                {
                    first = first == null ? ex : first;
                }
            }
        }
        if (first != null)
        {
            throw first;
        }
    }
}
