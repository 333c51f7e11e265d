package io.decide.tools.rank;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Logged early- and final-stage scores, read from scores.csv: a header row naming the columns (any order, extra
 * columns ignored) {@code request,candidate,early_score,final_total_value}, then one row per (request, candidate).
 * {@code early_score} is the early stage's total value for the candidate (what it ranked by, e.g.
 * {@code RankContext.totalValue}); {@code final_total_value} is the final stage's total value. Rows of a request
 * need not be contiguous; within a request a candidate appears once; scores are finite decimals. Every error names
 * the file, the 1-based line and the column.
 *
 * @param requests requests in order of first appearance.
 */
public record RankingScores(List<Request> requests)
{
    /**
     * The candidates of one request, in row order.
     *
     * @param id         request id.
     * @param candidates candidate ids.
     * @param early      early-stage scores (TV_early).
     * @param finals     final-stage total values (TV_final).
     */
    public record Request(String id, List<String> candidates, double[] early, double[] finals)
    {
    }

    /** The CSV columns, in the order the tools write them. */
    public static final String[] COLUMNS = {"request", "candidate", "early_score", "final_total_value"};

    /**
     * @param file scores.csv.
     * @return the scores.
     * @throws IOException           when the file cannot be read.
     * @throws RankingInputException when its content is malformed.
     */
    public static RankingScores read(final Path file) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final String header = reader.readLine();
            if (header == null || header.isBlank())
            {
                throw new RankingInputException(file + ":1: empty file, expected a header row " +
                    String.join(",", COLUMNS));
            }
            final String[] names = split(header);
            final int[] index = new int[COLUMNS.length];
            for (int c = 0; c < COLUMNS.length; c++)
            {
                index[c] = -1;
                for (int i = 0; i < names.length; i++)
                {
                    if (names[i].equals(COLUMNS[c]))
                    {
                        if (index[c] >= 0)
                        {
                            throw new RankingInputException(file + ":1: column '" + COLUMNS[c] + "' appears twice");
                        }
                        index[c] = i;
                    }
                }
                if (index[c] < 0)
                {
                    throw new RankingInputException(file + ":1: no column '" + COLUMNS[c] + "' in header '" +
                        header.strip() + "', expected " + String.join(",", COLUMNS));
                }
            }
            final Map<String, Builder> builders = new LinkedHashMap<>();
            String line;
            int lineNumber = 1;
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
                    throw new RankingInputException(file + ":" + lineNumber + ": " + fields.length +
                        " fields, the header has " + names.length);
                }
                final String request = fields[index[0]];
                final String candidate = fields[index[1]];
                if (request.isEmpty())
                {
                    throw new RankingInputException(file + ":" + lineNumber + ": column 'request' is empty");
                }
                if (candidate.isEmpty())
                {
                    throw new RankingInputException(file + ":" + lineNumber + ": column 'candidate' is empty");
                }
                final double early = number(file, lineNumber, COLUMNS[2], fields[index[2]]);
                final double fin = number(file, lineNumber, COLUMNS[3], fields[index[3]]);
                final Builder builder = builders.computeIfAbsent(request, Builder::new);
                final Integer previous = builder.lines.putIfAbsent(candidate, lineNumber);
                if (previous != null)
                {
                    throw new RankingInputException(file + ":" + lineNumber + ": column 'candidate': candidate '" +
                        candidate + "' of request '" + request + "' already on line " + previous);
                }
                builder.add(candidate, early, fin);
            }
            if (builders.isEmpty())
            {
                throw new RankingInputException(file + ": no rows after the header");
            }
            final List<Request> requests = new ArrayList<>(builders.size());
            for (final Builder builder : builders.values())
            {
                requests.add(builder.build());
            }
            return new RankingScores(requests);
        }
    }

    private static double number(final Path file, final int line, final String column, final String text)
        throws RankingInputException
    {
        final double v;
        try
        {
            v = Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new RankingInputException(file + ":" + line + ": column '" + column + "': '" + text +
                "' is not a number");
        }
        if (!Double.isFinite(v))
        {
            throw new RankingInputException(file + ":" + line + ": column '" + column + "': " + text +
                " is not finite");
        }
        return v + 0.0;
    }

    private static String[] split(final String line)
    {
        final String[] fields = line.strip().split(",", -1);
        for (int i = 0; i < fields.length; i++)
        {
            fields[i] = fields[i].strip();
        }
        return fields;
    }

    private static final class Builder
    {
        final String id;
        final Map<String, Integer> lines = new HashMap<>();
        final List<String> candidates = new ArrayList<>();
        double[] early = new double[8];
        double[] finals = new double[8];

        Builder(final String id)
        {
            this.id = id;
        }

        void add(final String candidate, final double e, final double f)
        {
            final int n = candidates.size();
            if (n == early.length)
            {
                early = java.util.Arrays.copyOf(early, 2 * n);
                finals = java.util.Arrays.copyOf(finals, 2 * n);
            }
            candidates.add(candidate);
            early[n] = e;
            finals[n] = f;
        }

        Request build()
        {
            final int n = candidates.size();
            return new Request(id, List.copyOf(candidates), java.util.Arrays.copyOf(early, n),
                java.util.Arrays.copyOf(finals, n));
        }
    }
}
