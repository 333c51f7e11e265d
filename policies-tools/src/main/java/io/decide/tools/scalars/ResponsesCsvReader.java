package io.decide.tools.scalars;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads responses.csv: a header naming the columns {@code bid,cohort,scalar,engagement,performance} (any order),
 * then one row per (bid, cohort, tested scalar). Bids and cohorts are non-negative integers; each bid's cohorts are
 * 0..N-1 with none missing; numbers are finite. Each cohort needs at least {@code minDistinct} distinct scalars
 * (2 for a linear fit, 3 for a quadratic one). Every error names the file, the 1-based line and the column.
 */
public final class ResponsesCsvReader
{
    private static final String[] COLUMNS = {"bid", "cohort", "scalar", "engagement", "performance"};

    private ResponsesCsvReader()
    {
    }

    /**
     * @param file        the CSV file.
     * @param minDistinct fewest distinct scalars per cohort (2 linear, 3 quadratic).
     * @return the bids in ascending id order.
     * @throws IOException            when the file cannot be read.
     * @throws ScalarsInputException when its content is malformed.
     */
    public static List<BidResponses> read(final Path file, final int minDistinct) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final String header = reader.readLine();
            if (header == null)
            {
                throw new ScalarsInputException(file + ": empty file, expected a header row " + String.join(",", COLUMNS));
            }
            final String[] names = split(header.strip());
            final int[] at = new int[COLUMNS.length];
            for (int c = 0; c < COLUMNS.length; c++)
            {
                at[c] = Arrays.asList(names).indexOf(COLUMNS[c]);
                if (at[c] < 0)
                {
                    throw new ScalarsInputException(file + ":1: header has no column '" + COLUMNS[c] + "', expected " +
                        String.join(",", COLUMNS));
                }
            }
            final Map<Integer, Map<Integer, List<double[]>>> rows = new TreeMap<>();
            final Map<Long, Integer> lastLine = new TreeMap<>();
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
                if (line.isBlank())
                {
                    continue;
                }
                final String[] fields = split(line.strip());
                if (fields.length != names.length)
                {
                    throw new ScalarsInputException(file + ":" + lineNumber + ": " + fields.length +
                        " fields, the header has " + names.length);
                }
                final int bid = integer(file, lineNumber, COLUMNS[0], fields[at[0]]);
                final int cohort = integer(file, lineNumber, COLUMNS[1], fields[at[1]]);
                final double[] row = new double[3];
                for (int c = 0; c < 3; c++)
                {
                    row[c] = number(file, lineNumber, COLUMNS[2 + c], fields[at[2 + c]]);
                }
                rows.computeIfAbsent(bid, b -> new TreeMap<>()).computeIfAbsent(cohort, c -> new ArrayList<>())
                    .add(row);
                lastLine.put(((long)bid << 32) | cohort, lineNumber);
            }
            if (rows.isEmpty())
            {
                throw new ScalarsInputException(file + ": no data rows");
            }
            final List<BidResponses> bids = new ArrayList<>();
            for (final Map.Entry<Integer, Map<Integer, List<double[]>>> bid : rows.entrySet())
            {
                final Map<Integer, List<double[]>> cohorts = bid.getValue();
                final int n = cohorts.size();
                final double[][] x = new double[n][];
                final double[][] e = new double[n][];
                final double[][] p = new double[n][];
                int expected = 0;
                for (final Map.Entry<Integer, List<double[]>> cohort : cohorts.entrySet())
                {
                    if (cohort.getKey() != expected)
                    {
                        throw new ScalarsInputException(file + ": column 'cohort': bid " + bid.getKey() +
                            " has no rows for cohort " + expected + " (cohorts must be 0..N-1)");
                    }
                    final List<double[]> list = cohort.getValue();
                    final int i = expected++;
                    x[i] = new double[list.size()];
                    e[i] = new double[list.size()];
                    p[i] = new double[list.size()];
                    for (int j = 0; j < list.size(); j++)
                    {
                        x[i][j] = list.get(j)[0];
                        e[i][j] = list.get(j)[1];
                        p[i][j] = list.get(j)[2];
                    }
                    final long distinct = Arrays.stream(x[i]).distinct().count();
                    if (distinct < minDistinct)
                    {
                        throw new ScalarsInputException(file + ":" + lastLine.get(((long)bid.getKey() << 32) | i) +
                            ": column 'scalar': bid " + bid.getKey() + " cohort " + i + " has " + distinct +
                            " distinct scalars, a " + (minDistinct >= 3 ? "quadratic" : "linear") + " fit needs " +
                            minDistinct);
                    }
                }
                bids.add(new BidResponses(bid.getKey(), x, e, p));
            }
            return bids;
        }
    }

    private static String[] split(final String line)
    {
        final String[] fields = line.split(",", -1);
        for (int i = 0; i < fields.length; i++)
        {
            fields[i] = fields[i].strip();
        }
        return fields;
    }

    private static int integer(final Path file, final int line, final String column, final String text)
        throws ScalarsInputException
    {
        if (text.isEmpty())
        {
            throw new ScalarsInputException(file + ":" + line + ": column '" + column + "' is empty");
        }
        try
        {
            final int value = Integer.parseInt(text);
            if (value < 0)
            {
                throw new NumberFormatException();
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new ScalarsInputException(file + ":" + line + ": column '" + column + "' is '" + text +
                "', expected a non-negative integer");
        }
    }

    private static double number(final Path file, final int line, final String column, final String text)
        throws ScalarsInputException
    {
        if (text.isEmpty())
        {
            throw new ScalarsInputException(file + ":" + line + ": column '" + column + "' is empty");
        }
        final double value;
        try
        {
            value = Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new ScalarsInputException(file + ":" + line + ": column '" + column + "' is '" + text +
                "', expected a number");
        }
        if (!Double.isFinite(value))
        {
            throw new ScalarsInputException(file + ":" + line + ": column '" + column + "' is '" + text +
                "', expected a finite number");
        }
        return value;
    }
}
