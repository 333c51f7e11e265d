package io.decide.tools.cohort;

import io.decide.engine.cohort.CohortTable;
import org.agrona.collections.Long2LongHashMap;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * users.csv: a header row {@code user_id,bid0,bid1,...,bid{B-1}} (exactly these names, in this order, 1 <= B <=
 * {@link CohortTable#MAX_BIDS}), then one row per user: a decimal signed 64-bit user id (unique, not
 * {@link CohortTable#RESERVED_USER_ID}) and the user's cohort for each quality bid, an integer 0 ..
 * {@link CohortTable#MAX_COHORT}. Blank lines are skipped. Every error names the file, the 1-based line and the
 * column.
 *
 * @param bidCount B.
 * @param userIds  user ids in file order.
 * @param cohorts  user-major cohorts, {@code cohorts[u·B + b]}.
 */
public record UsersCsv(int bidCount, long[] userIds, byte[] cohorts)
{
    /** @return number of users. */
    public int userCount()
    {
        return userIds.length;
    }

    /**
     * @param file users.csv.
     * @return its rows.
     * @throws IOException          when it cannot be read.
     * @throws CohortInputException when it is malformed.
     */
    public static UsersCsv read(final Path file) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final String header = reader.readLine();
            if (header == null || header.isBlank())
            {
                throw new CohortInputException(file + ":1: empty file, expected a header row user_id,bid0,bid1,...");
            }
            final String[] names = split(header);
            if (!names[0].equals("user_id"))
            {
                throw new CohortInputException(file + ":1: column 1 is '" + names[0] + "', expected 'user_id'");
            }
            final int bids = names.length - 1;
            if (bids < 1 || bids > CohortTable.MAX_BIDS)
            {
                throw new CohortInputException(file + ":1: " + bids + " bid columns, expected 1.." +
                    CohortTable.MAX_BIDS);
            }
            for (int b = 0; b < bids; b++)
            {
                if (!names[b + 1].equals("bid" + b))
                {
                    throw new CohortInputException(file + ":1: column " + (b + 2) + " is '" + names[b + 1] +
                        "', expected 'bid" + b + "'");
                }
            }
            long[] ids = new long[1024];
            byte[] cohorts = new byte[1024 * bids];
            int count = 0;
            final Long2LongHashMap lines = new Long2LongHashMap(-1);
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
                    throw new CohortInputException(file + ":" + lineNumber + ": " + fields.length +
                        " fields, the header has " + names.length);
                }
                final long id;
                try
                {
                    id = Long.parseLong(fields[0]);
                }
                catch (final NumberFormatException ex)
                {
                    throw new CohortInputException(file + ":" + lineNumber + ": column 'user_id': '" + fields[0] +
                        "' is not a 64-bit integer");
                }
                if (id == CohortTable.RESERVED_USER_ID)
                {
                    throw new CohortInputException(file + ":" + lineNumber + ": column 'user_id': " + id +
                        " is reserved for the table header");
                }
                final long previous = lines.put(id, lineNumber);
                if (previous != -1)
                {
                    throw new CohortInputException(file + ":" + lineNumber + ": column 'user_id': user " + id +
                        " already on line " + previous);
                }
                if (count == ids.length)
                {
                    ids = Arrays.copyOf(ids, 2 * count);
                    cohorts = Arrays.copyOf(cohorts, 2 * count * bids);
                }
                ids[count] = id;
                for (int b = 0; b < bids; b++)
                {
                    final String text = fields[b + 1];
                    final int cohort;
                    try
                    {
                        cohort = Integer.parseInt(text);
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw new CohortInputException(file + ":" + lineNumber + ": column 'bid" + b + "': '" + text +
                            "' is not an integer");
                    }
                    if (cohort < 0 || cohort > CohortTable.MAX_COHORT)
                    {
                        throw new CohortInputException(file + ":" + lineNumber + ": column 'bid" + b + "': cohort " +
                            cohort + " outside 0.." + CohortTable.MAX_COHORT);
                    }
                    cohorts[count * bids + b] = (byte)cohort;
                }
                count++;
            }
            return new UsersCsv(bids, Arrays.copyOf(ids, count), Arrays.copyOf(cohorts, count * bids));
        }
    }

    /**
     * Write the rows as a {@link CohortTable} file: built in a temporary file next to {@code out}, then renamed over
     * it, so a reader opening {@code out} sees the old table or the new one, never a partial one.
     *
     * @param out the table file to (re)place.
     * @throws IOException when it cannot be written.
     */
    public void writeTable(final Path out) throws IOException
    {
        final Path absolute = out.toAbsolutePath();
        final Path temporary =
            absolute.resolveSibling(absolute.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temporary);
        try
        {
            try (CohortTable table = CohortTable.create(temporary, bidCount, userIds.length))
            {
                final byte[] row = new byte[bidCount];
                for (int u = 0; u < userIds.length; u++)
                {
                    System.arraycopy(cohorts, u * bidCount, row, 0, bidCount);
                    table.put(userIds[u], row);
                }
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
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
}
