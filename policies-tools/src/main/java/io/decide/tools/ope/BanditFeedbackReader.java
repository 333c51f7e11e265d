package io.decide.tools.ope;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads OPE inputs from CSV files in one streaming pass (formats in {@code docs/OPE.md}):
 * <ul>
 *   <li>log.csv: columns {@code action,reward,pscore} and optionally {@code position} (0-based), in any order;
 *       other columns are ignored;</li>
 *   <li>dist.csv: exactly the columns {@code a0..a{K-1}}, one row per log row: π_e(a | x_i, position_i);</li>
 *   <li>q.csv (optional): the same columns, q̂(x_i, a, position_i).</li>
 * </ul>
 * Stricter than the Open Bandit Pipeline: NaN and infinities, a pscore outside (0, 1], a probability outside
 * [0, 1], a dist row whose sum differs from 1 by more than the tolerance, an action outside 0..K-1 and files with
 * different row counts are refused with a message naming the file, the line and the data row. dist.csv and q.csv
 * are each parsed on their own thread ({@link RowBlockReader}, one pass per row with
 * {@link CsvCursor#nextDoubles}) while this one parses log.csv and combines the rows; arrays are sized once from
 * the estimated row count.
 */
public final class BanditFeedbackReader
{
    private static final String LOG_COLUMNS = "action,reward,pscore[,position]";

    private BanditFeedbackReader()
    {
    }

    /**
     * Read log.csv alone (for the propensity checks).
     *
     * @param logFile log.csv.
     * @return the log.
     * @throws IOException when unreadable or malformed.
     */
    public static BanditLog readLog(final Path logFile) throws IOException
    {
        try (CsvCursor log = CsvCursor.open(logFile))
        {
            final LogColumns columns = new LogColumns(log);
            while (columns.next(log))
            {
                columns.readRow(log);
            }
            return columns.finish(log);
        }
    }

    /**
     * Read log.csv with dist.csv and optionally q.csv, in lockstep.
     *
     * @param logFile   log.csv.
     * @param distFile  dist.csv.
     * @param qFile     q.csv or null.
     * @param tolerance allowed |Σ_a π_e(a | x_i) - 1|.
     * @return the feedback.
     * @throws IOException when unreadable or malformed.
     */
    public static BanditFeedback read(final Path logFile, final Path distFile, final Path qFile,
        final double tolerance) throws IOException
    {
        try (CsvCursor log = CsvCursor.open(logFile);
            RowBlockReader dist = startDistReader(distFile);
            RowBlockReader q = qFile != null ? startModelReader(qFile, distFile) : null)
        {
            final LogColumns columns = new LogColumns(log);
            final int k = dist.columns();
            final int capacity = columns.capacity;
            double[] target = new double[capacity];
            double[] atAction = q != null ? new double[capacity] : null;
            double[] expected = q != null ? new double[capacity] : null;
            while (columns.next(log))
            {
                final int i = columns.readRow(log);
                if (!dist.next())
                {
                    throw new OpeInputException(dist.file() + ": ends after " + i + " data rows, but " +
                        log.file() + " has more (" + log.where() + ")");
                }
                if (q != null && !q.next())
                {
                    throw new OpeInputException(qFile + ": ends after " + i + " data rows, but " +
                        log.file() + " has more (" + log.where() + ")");
                }
                final int a = columns.lastAction;
                if (a >= k)
                {
                    throw new OpeInputException(log.where() + ": column 'action': " + a + " is out of range 0.." +
                        (k - 1) + " (" + dist.file() + " has K = " + k + " columns a0..a" + (k - 1) + ")");
                }
                if (i == target.length)
                {
                    final int grown = grow(i);
                    target = Arrays.copyOf(target, grown);
                    if (q != null)
                    {
                        atAction = Arrays.copyOf(atAction, grown);
                        expected = Arrays.copyOf(expected, grown);
                    }
                }
                double sum = 0;
                double dm = 0;
                for (int c = 0; c < k; c++)
                {
                    final double p = dist.get(c);
                    if (p < 0 || p > 1)
                    {
                        throw new OpeInputException(dist.where(i) + ": column 'a" + c + "': " + p +
                            " is outside [0, 1]");
                    }
                    sum += p;
                    if (q != null)
                    {
                        dm += p * q.get(c);
                    }
                }
                if (!(Math.abs(sum - 1) <= tolerance))
                {
                    throw new OpeInputException(dist.where(i) + ": probabilities sum to " + sum + ", not 1 within " +
                        tolerance);
                }
                target[i] = dist.get(a);
                if (q != null)
                {
                    atAction[i] = q.get(a);
                    expected[i] = dm;
                }
            }
            if (dist.next())
            {
                throw new OpeInputException(dist.where(columns.rows) + ": more rows than " + log.file() + " (" +
                    columns.rows + " data rows)");
            }
            if (q != null && q.next())
            {
                throw new OpeInputException(q.where(columns.rows) + ": more rows than " + log.file() + " (" +
                    columns.rows + " data rows)");
            }
            return new BanditFeedback(columns.finish(log), k, target, atAction, expected);
        }
    }

    /** Opens dist.csv, checks its header, and starts parsing it on its own thread. */
    private static RowBlockReader startDistReader(final Path distFile) throws IOException
    {
        final CsvCursor dist = CsvCursor.open(distFile);
        try
        {
            return new RowBlockReader(dist, actionColumns(dist, null));
        }
        catch (final IOException | RuntimeException ex)
        {
            dist.close();
            throw ex;
        }
    }

    /** Opens q.csv, checks its header against dist.csv's, and starts parsing it on its own thread. */
    private static RowBlockReader startModelReader(final Path qFile, final Path distFile) throws IOException
    {
        try (CsvCursor dist = CsvCursor.open(distFile))
        {
            final CsvCursor q = CsvCursor.open(qFile);
            try
            {
                return new RowBlockReader(q, actionColumns(q, dist));
            }
            catch (final IOException | RuntimeException ex)
            {
                q.close();
                throw ex;
            }
        }
    }

    private static int grow(final int length)
    {
        if (length >= Integer.MAX_VALUE - 16)
        {
            throw new IllegalStateException("more than 2^31 rows");
        }
        return (int)Math.min(Integer.MAX_VALUE - 16L, 2L * length);
    }

    /** Checks the header is exactly a0..a{K-1} (and the same as {@code like}'s); returns K. */
    private static int actionColumns(final CsvCursor cursor, final CsvCursor like) throws OpeInputException
    {
        final String[] header = cursor.header();
        for (int c = 0; c < header.length; c++)
        {
            if (!header[c].equals("a" + c))
            {
                throw new OpeInputException(cursor.file() + ":1: column " + (c + 1) + " is '" + header[c] +
                    "', expected a" + c + " (the header must be exactly a0,a1,...,a{K-1})");
            }
        }
        if (like != null && header.length != like.header().length)
        {
            throw new OpeInputException(cursor.file() + ":1: " + header.length + " action columns, but " +
                like.file() + " has " + like.header().length);
        }
        return header.length;
    }

    /** The log's columns and growing arrays. */
    private static final class LogColumns
    {
        final int action;
        final int position;
        final int reward;
        final int pscore;
        final int capacity;
        final double[] values;
        final long integerColumns;
        boolean parsed;
        int[] actions;
        int[] positions;
        double[] rewards;
        double[] pscores;
        int rows;
        int lastAction;

        LogColumns(final CsvCursor log) throws IOException
        {
            action = log.requireColumn("action", LOG_COLUMNS);
            reward = log.requireColumn("reward", LOG_COLUMNS);
            pscore = log.requireColumn("pscore", LOG_COLUMNS);
            position = log.column("position");
            values = new double[log.header().length];
            integerColumns = (action < 64 ? 1L << action : 0L) |
                (position >= 0 && position < 64 ? 1L << position : 0L);
            capacity = log.estimatedRows();
            actions = new int[capacity];
            rewards = new double[capacity];
            pscores = new double[capacity];
            positions = position >= 0 ? new int[capacity] : null;
        }

        /**
         * Move to the next row of the log and read it.
         *
         * @return false at the end of the file.
         */
        boolean next(final CsvCursor log) throws IOException
        {
            if (action >= 64 || position >= 64)
            {
                parsed = false;
                return log.next();
            }
            final int state = log.nextRow(values, integerColumns);
            if (state == CsvCursor.ROW_END)
            {
                return false;
            }
            parsed = state == CsvCursor.ROW_PARSED;
            return true;
        }

        int readRow(final CsvCursor log) throws OpeInputException
        {
            final int i = rows;
            if (i == actions.length)
            {
                final int grown = grow(i);
                actions = Arrays.copyOf(actions, grown);
                rewards = Arrays.copyOf(rewards, grown);
                pscores = Arrays.copyOf(pscores, grown);
                if (positions != null)
                {
                    positions = Arrays.copyOf(positions, grown);
                }
            }
            final int a;
            final int pos;
            final double r;
            final double p;
            if (parsed)
            {
                a = (int)values[action];
                pos = position >= 0 ? (int)values[position] : 0;
                r = values[reward];
                p = values[pscore];
            }
            else
            {
                a = log.getInt(action);
                pos = position >= 0 ? log.getInt(position) : 0;
                r = log.getDouble(reward);
                p = log.getDouble(pscore);
            }
            final String problem = BanditLog.problem(a, pos, r, p);
            if (problem != null)
            {
                throw new OpeInputException(log.where() + ": " + problem);
            }
            actions[i] = a;
            if (positions != null)
            {
                positions[i] = pos;
            }
            rewards[i] = r;
            pscores[i] = p;
            lastAction = a;
            rows = i + 1;
            return i;
        }

        BanditLog finish(final CsvCursor log) throws OpeInputException
        {
            if (rows == 0)
            {
                throw new OpeInputException(log.file() + ": no data rows after the header");
            }
            return new BanditLog(rows, actions, positions, rewards, pscores);
        }
    }
}
