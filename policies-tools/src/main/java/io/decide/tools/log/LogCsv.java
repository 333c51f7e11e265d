package io.decide.tools.log;

import io.decide.engine.log.DecisionLogDescriptor;
import io.decide.engine.log.DecisionLogReader;
import io.decide.engine.log.DecisionRecordFlyweight;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The CSV rows export and join write. log.csv has the columns {@link #LOG_COLUMNS} (join inserts {@code sat,ads}
 * before {@code reward} when the rewards have them): {@code time_ns} is nanoseconds since the Unix epoch,
 * {@code kind} the decision kind's name, {@code position} 0-based, {@code pscore} the logged propensity of the
 * chosen action; numbers are written so they parse back to the same double. dist.csv has the columns
 * {@code a0..a{K-1}}, K the longest probability vector among the rows written; shorter vectors are padded with 0.
 */
final class LogCsv
{
    /** Columns of an exported log.csv. */
    static final String LOG_COLUMNS = "request_id,user_id,time_ns,artifact,version,kind,action,position,reward,pscore";

    private LogCsv()
    {
    }

    /**
     * Write the columns before {@code reward} of the reader's current record.
     *
     * @param out    where.
     * @param reader positioned on a record.
     * @throws IOException when writing fails.
     */
    static void writeKeyColumns(final Writer out, final DecisionLogReader reader) throws IOException
    {
        final DecisionRecordFlyweight record = reader.record();
        out.write(Long.toString(record.requestId()));
        out.write(',');
        out.write(Long.toString(record.userId()));
        out.write(',');
        out.write(Long.toString(record.timeEpochNanos()));
        out.write(',');
        out.write(quote(reader.artifactName()));
        out.write(',');
        out.write(Long.toString(record.artifactVersion()));
        out.write(',');
        out.write(DecisionLogDescriptor.kindName(record.kind()));
        out.write(',');
        out.write(Integer.toString(record.action()));
        out.write(',');
        out.write(Integer.toString(record.position()));
        out.write(',');
    }

    /**
     * Write one dist.csv row.
     *
     * @param out    where.
     * @param record the record.
     * @param k      columns; entries past the record's K are 0.
     * @throws IOException when writing fails.
     */
    static void writeDistRow(final Writer out, final DecisionRecordFlyweight record, final int k) throws IOException
    {
        final int actions = record.actionCount();
        for (int a = 0; a < k; a++)
        {
            if (a > 0)
            {
                out.write(',');
            }
            out.write(a < actions ? Double.toString(record.probability(a)) : "0");
        }
        out.write('\n');
    }

    /**
     * @param k K.
     * @return the dist.csv header {@code a0,...,a{K-1}}.
     */
    static String distHeader(final int k)
    {
        final StringBuilder header = new StringBuilder();
        for (int a = 0; a < k; a++)
        {
            header.append(a > 0 ? "," : "").append('a').append(a);
        }
        return header.append('\n').toString();
    }

    /**
     * @param value a field.
     * @return it, quoted as RFC 4180 wants when it holds a comma, a quote or a line break.
     */
    static String quote(final String value)
    {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0)
        {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /**
     * @param out the file to (re)place.
     * @return a temporary file next to it, renamed over it by {@link #publish}.
     */
    static Path temporary(final Path out)
    {
        final Path absolute = out.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    }

    /**
     * @param file a file.
     * @return a buffered UTF-8 writer that replaces it.
     * @throws IOException when it cannot be created.
     */
    static BufferedWriter writer(final Path file) throws IOException
    {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /**
     * Rename finished temporary files over their targets.
     *
     * @param temporary the temporary file.
     * @param out       the target.
     * @throws IOException when the rename fails.
     */
    static void publish(final Path temporary, final Path out) throws IOException
    {
        Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
