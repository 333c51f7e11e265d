package io.decide.tools.ope;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Parses a numeric CSV file of K columns on its own thread, in blocks of rows handed over through a small bounded
 * queue, so other cores parse dist.csv and q.csv while the caller parses log.csv. Values are validated (finite)
 * by the producer with the cursor's usual file/line/row messages; an error travels in the stream and is thrown to
 * the consumer at the row where it happened. Blocks are recycled, so memory stays at a few blocks whatever the
 * file size. {@link #close()} stops the producer.
 */
final class RowBlockReader implements AutoCloseable
{
    private static final int BLOCK_ROWS = 4096;
    private static final int QUEUE_BLOCKS = 4;

    /** A block of parsed rows, or the end of the file, or an error. */
    private static final class Block
    {
        final double[] values;
        int rows;
        boolean end;
        IOException error;

        Block(final int columns)
        {
            values = new double[BLOCK_ROWS * columns];
        }
    }

    private final CsvCursor cursor;
    private final int columns;
    private final BlockingQueue<Block> full = new ArrayBlockingQueue<>(QUEUE_BLOCKS + 2);
    private final BlockingQueue<Block> free = new ArrayBlockingQueue<>(QUEUE_BLOCKS + 2);
    private final Thread thread;
    private volatile boolean cancelled;
    private Block current;
    private int next;

    /**
     * Start parsing.
     *
     * @param cursor  the opened file (header read); closed by {@link #close()}.
     * @param columns K.
     */
    RowBlockReader(final CsvCursor cursor, final int columns)
    {
        this.cursor = cursor;
        this.columns = columns;
        for (int i = 0; i < QUEUE_BLOCKS + 2; i++)
        {
            free.add(new Block(columns));
        }
        thread = new Thread(this::produce, "decide-csv-" + cursor.file().getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    private void produce()
    {
        try
        {
            while (!cancelled)
            {
                final Block block = free.poll(100, TimeUnit.MILLISECONDS);
                if (block == null)
                {
                    continue;
                }
                block.rows = 0;
                block.end = false;
                block.error = null;
                try
                {
                    while (block.rows < BLOCK_ROWS)
                    {
                        if (!cursor.nextDoubles(block.values, block.rows * columns))
                        {
                            block.end = true;
                            break;
                        }
                        block.rows++;
                    }
                }
                catch (final IOException ex)
                {
                    block.error = ex;
                }
                catch (final RuntimeException ex)
                {
                    block.error = new IOException(cursor.file() + ": " + ex, ex);
                }
                while (!cancelled && !full.offer(block, 100, TimeUnit.MILLISECONDS))
                {
                    Thread.onSpinWait();
                }
                if (block.end || block.error != null)
                {
                    return;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Move to the next row.
     *
     * @return false at the end of the file.
     * @throws IOException the producer's error, at the row it happened.
     */
    boolean next() throws IOException
    {
        if (current != null && next + 1 < current.rows)
        {
            next++;
            return true;
        }
        while (true)
        {
            if (current != null)
            {
                if (current.end || current.error != null)
                {
                    if (current.error != null)
                    {
                        throw current.error;
                    }
                    return false;
                }
                free.add(current);
                current = null;
            }
            try
            {
                current = full.take();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException(cursor.file() + ": interrupted while reading");
            }
            next = 0;
            if (current.rows > 0)
            {
                return true;
            }
        }
    }

    /**
     * @param column 0..K-1.
     * @return the current row's value.
     */
    double get(final int column)
    {
        return current.values[next * columns + column];
    }

    /** @return K, the values per row. */
    int columns()
    {
        return columns;
    }

    /** @return the file read. */
    java.nio.file.Path file()
    {
        return cursor.file();
    }

    /** @return "file:line (data row r)" of the current row, for messages. */
    String where(final long row)
    {
        return cursor.file() + ":" + (row + 2) + " (data row " + row + ")";
    }

    @Override
    public void close() throws IOException
    {
        cancelled = true;
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        cursor.close();
    }
}
