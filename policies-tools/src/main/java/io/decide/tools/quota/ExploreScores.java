package io.decide.tools.quota;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * UCB explore scores for items.csv: reads {@code item,k,cost,pvalue,trials} (header required, columns in that
 * order), where {@code trials} is how often that (item, option) has been tried, and writes
 * {@code item,k,cost,pvalue,explore} with {@code explore = sqrt(2·ln T / max(n, 1))}, T the sum of all trials and
 * n the row's trials (an untried option gets the bonus of one trial). The output feeds
 * {@code decide solve-quota --explore-weight w}.
 */
public final class ExploreScores
{
    private static final String HEADER = "item,k,cost,pvalue,trials";

    private ExploreScores()
    {
    }

    /**
     * @param in  input CSV.
     * @param out output CSV.
     * @return number of rows written.
     * @throws IOException when a file cannot be read or written, or the input is malformed.
     */
    public static long write(final Path in, final Path out) throws IOException
    {
        double total = 0;
        try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8))
        {
            final String header = reader.readLine();
            if (header == null || !header.strip().equals(HEADER))
            {
                throw new QuotaInputException(in + ":1: header must be " + HEADER);
            }
            String line;
            int number = 1;
            while ((line = reader.readLine()) != null)
            {
                number++;
                if (!line.isBlank())
                {
                    total += trials(in, number, line);
                }
            }
        }
        final double logTotal = Math.log(Math.max(total, 1.0));
        long rows = 0;
        try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
            BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8))
        {
            reader.readLine();
            writer.write("item,k,cost,pvalue,explore\n");
            String line;
            int number = 1;
            while ((line = reader.readLine()) != null)
            {
                number++;
                if (line.isBlank())
                {
                    continue;
                }
                final double n = trials(in, number, line);
                final double explore = Math.sqrt(2 * logTotal / Math.max(n, 1.0));
                writer.write(line.substring(0, line.lastIndexOf(',')).strip());
                writer.write(',');
                writer.write(Double.toString(explore));
                writer.write('\n');
                rows++;
            }
        }
        return rows;
    }

    private static double trials(final Path file, final int line, final String text) throws QuotaInputException
    {
        final String[] fields = text.split(",", -1);
        if (fields.length != 5)
        {
            throw new QuotaInputException(file + ":" + line + ": " + fields.length + " fields, expected 5 (" +
                HEADER + ")");
        }
        final double n;
        try
        {
            n = Double.parseDouble(fields[4].strip());
        }
        catch (final NumberFormatException ex)
        {
            throw new QuotaInputException(file + ":" + line + ": column 'trials': '" + fields[4].strip() +
                "' is not a number");
        }
        if (!(n >= 0) || Double.isInfinite(n))
        {
            throw new QuotaInputException(file + ":" + line + ": column 'trials': " + n +
                ", expected a finite count >= 0");
        }
        return n;
    }
}
