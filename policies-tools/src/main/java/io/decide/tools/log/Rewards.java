package io.decide.tools.log;

import org.agrona.collections.Long2LongHashMap;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * rewards.csv: a header with {@code request_id} and either {@code reward} or both {@code sat} and {@code ads}
 * (in any order, no other columns), then one row per request: a decimal signed 64-bit request id, unique, and
 * finite numbers. Blank lines are skipped. Every error names the file, the 1-based line and the column; a repeated
 * request id names the line that had it first.
 */
public final class Rewards
{
    private final Path file;
    private final boolean satAds;
    private final long[] requestIds;
    private final double[] first;
    private final double[] second;
    private final int[] lines;
    private final Long2LongHashMap index;

    private Rewards(final Path file, final boolean satAds, final long[] requestIds, final double[] first,
        final double[] second, final int[] lines, final Long2LongHashMap index)
    {
        this.file = file;
        this.satAds = satAds;
        this.requestIds = requestIds;
        this.first = first;
        this.second = second;
        this.lines = lines;
        this.index = index;
    }

    /**
     * @param file rewards.csv.
     * @return its rows.
     * @throws IOException       when it cannot be read.
     * @throws LogInputException when it is malformed or repeats a request id.
     */
    public static Rewards read(final Path file) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final String header = reader.readLine();
            if (header == null || header.isBlank())
            {
                throw new LogInputException(file + ":1: empty file, expected a header request_id,reward or " +
                    "request_id,sat,ads");
            }
            final String[] names = split(header);
            int id = -1;
            int reward = -1;
            int sat = -1;
            int ads = -1;
            for (int c = 0; c < names.length; c++)
            {
                final int previous;
                switch (names[c])
                {
                    case "request_id":
                        previous = id;
                        id = c;
                        break;
                    case "reward":
                        previous = reward;
                        reward = c;
                        break;
                    case "sat":
                        previous = sat;
                        sat = c;
                        break;
                    case "ads":
                        previous = ads;
                        ads = c;
                        break;
                    default:
                        throw new LogInputException(file + ":1: unknown column '" + names[c] +
                            "', expected request_id,reward or request_id,sat,ads");
                }
                if (previous >= 0)
                {
                    throw new LogInputException(file + ":1: column '" + names[c] + "' appears twice");
                }
            }
            final boolean satAds = sat >= 0 || ads >= 0;
            if (id < 0 || (satAds ? (sat < 0 || ads < 0 || reward >= 0) : reward < 0))
            {
                throw new LogInputException(file + ":1: columns " + String.join(",", names) +
                    ", expected request_id,reward or request_id,sat,ads");
            }
            final int firstColumn = satAds ? sat : reward;
            final int secondColumn = satAds ? ads : -1;
            long[] ids = new long[1024];
            double[] first = new double[1024];
            double[] second = new double[satAds ? 1024 : 0];
            int[] lines = new int[1024];
            final Long2LongHashMap index = new Long2LongHashMap(-1);
            int count = 0;
            int lineNumber = 1;
            String line;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
                if (line.isBlank())
                {
                    continue;
                }
                final String[] fields = split(line);
                if (fields.length != names.length)
                {
                    throw new LogInputException(file + ":" + lineNumber + ": " + fields.length +
                        " fields, the header has " + names.length);
                }
                final long requestId;
                try
                {
                    requestId = Long.parseLong(fields[id]);
                }
                catch (final NumberFormatException ex)
                {
                    throw new LogInputException(file + ":" + lineNumber + ": column 'request_id': '" + fields[id] +
                        "' is not a 64-bit integer");
                }
                final long previous = index.get(requestId);
                if (previous != -1)
                {
                    throw new LogInputException(file + ":" + lineNumber + ": duplicate request_id " + requestId +
                        ", first on line " + lines[(int)previous]);
                }
                if (count == ids.length)
                {
                    ids = Arrays.copyOf(ids, 2 * count);
                    first = Arrays.copyOf(first, 2 * count);
                    second = satAds ? Arrays.copyOf(second, 2 * count) : second;
                    lines = Arrays.copyOf(lines, 2 * count);
                }
                index.put(requestId, count);
                ids[count] = requestId;
                lines[count] = lineNumber;
                first[count] = number(file, lineNumber, names[firstColumn], fields[firstColumn]);
                if (satAds)
                {
                    second[count] = number(file, lineNumber, names[secondColumn], fields[secondColumn]);
                }
                count++;
            }
            return new Rewards(file, satAds, Arrays.copyOf(ids, count), Arrays.copyOf(first, count),
                satAds ? Arrays.copyOf(second, count) : second, Arrays.copyOf(lines, count), index);
        }
    }

    private static double number(final Path file, final int line, final String column, final String text)
        throws LogInputException
    {
        final double value;
        try
        {
            value = Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new LogInputException(file + ":" + line + ": column '" + column + "': '" + text +
                "' is not a number");
        }
        if (!Double.isFinite(value))
        {
            throw new LogInputException(file + ":" + line + ": column '" + column + "': " + text +
                ", expected a finite number");
        }
        return value;
    }

    private static String[] split(final String line)
    {
        final String[] fields = line.split(",", -1);
        for (int i = 0; i < fields.length; i++)
        {
            fields[i] = fields[i].trim();
        }
        return fields;
    }

    /** @return the file read. */
    public Path file()
    {
        return file;
    }

    /** @return whether the rows have sat and ads (else one reward). */
    public boolean satAds()
    {
        return satAds;
    }

    /** @return number of rows. */
    public int size()
    {
        return requestIds.length;
    }

    /**
     * @param requestId a request id.
     * @return its row, or -1.
     */
    public int row(final long requestId)
    {
        return (int)index.get(requestId);
    }

    /**
     * @param row a row.
     * @return its request id.
     */
    public long requestId(final int row)
    {
        return requestIds[row];
    }

    /**
     * @param row a row.
     * @return its reward (rewards with a reward column).
     */
    public double reward(final int row)
    {
        return first[row];
    }

    /**
     * @param row a row.
     * @return its SAT (rewards with sat,ads).
     */
    public double sat(final int row)
    {
        return first[row];
    }

    /**
     * @param row a row.
     * @return its ADS (rewards with sat,ads).
     */
    public double ads(final int row)
    {
        return second[row];
    }

    /**
     * @param row a row.
     * @return its 1-based line in the file.
     */
    public int line(final int row)
    {
        return lines[row];
    }
}
