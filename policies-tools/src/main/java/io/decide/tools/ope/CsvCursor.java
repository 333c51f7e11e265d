package io.decide.tools.ope;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A streaming reader of numeric CSV files over bytes: one header row of column names, then one row per line,
 * fields separated by commas (no quoting; spaces and tabs around a field and a trailing CR are ignored). The cursor
 * splits a row into fields when {@link #next()} moves to it and parses only the fields asked for, with an exact
 * fast path for short decimals (see {@link #parseDouble(byte[], int, int)}); {@link #nextDoubles} and
 * {@link #nextRow} parse a row of plain numbers in one pass instead, falling back to the same path for any other
 * row.
 * <p>
 * Strict: an empty line, a row whose field count differs from the header's, a field that is not a number, and a
 * non-finite number (NaN, inf) are errors naming the file, the 1-based line, the 0-based data row and the column.
 * Data row {@code r} is on line {@code r + 2}.
 */
public final class CsvCursor implements AutoCloseable
{
    private static final int BUFFER_BYTES = 1 << 20;
    private static final int FAST_LOOKAHEAD = 1 << 16;
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    };
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    private static final long[] LONG_POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L,
    };

    /** {@link #nextRow}: the row's fields were all parsed into the array. */
    public static final int ROW_PARSED = 1;
    /** {@link #nextRow}: the row was split into fields; parse them with the getters. */
    public static final int ROW_SPLIT = 0;
    /** {@link #nextRow}: the end of the file. */
    public static final int ROW_END = -1;

    private final Path file;
    private final InputStream in;
    private final String[] header;
    private byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private boolean endOfInput;
    private int[] starts;
    private int[] ends;
    private int fieldCount;
    private long line;
    private long row = -1;
    private int fastMisses;

    private CsvCursor(final Path file, final InputStream in) throws IOException
    {
        this.file = file;
        this.in = in;
        final int width = 64;
        starts = new int[width];
        ends = new int[width];
        if (!readLine())
        {
            throw new OpeInputException(file + ": empty file, expected a header row");
        }
        header = new String[fieldCount];
        for (int i = 0; i < fieldCount; i++)
        {
            header[i] = new String(buffer, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
        }
        if (header.length == 1 && header[0].isEmpty())
        {
            throw new OpeInputException(file + ":1: empty header row");
        }
    }

    /**
     * Open a file and read its header row.
     *
     * @param file the CSV file.
     * @return the cursor, before the first data row.
     * @throws IOException when the file cannot be read or has no header.
     */
    public static CsvCursor open(final Path file) throws IOException
    {
        final InputStream in = Files.newInputStream(file);
        try
        {
            return new CsvCursor(file, in);
        }
        catch (final IOException | RuntimeException ex)
        {
            in.close();
            throw ex;
        }
    }

    /** @return the file read. */
    public Path file()
    {
        return file;
    }

    /** @return the column names of the header row (a copy). */
    public String[] header()
    {
        return header.clone();
    }

    /**
     * @param name a column name.
     * @return its 0-based index, or -1 when the header has no such column.
     * @throws OpeInputException when the header names it twice.
     */
    public int column(final String name) throws OpeInputException
    {
        int found = -1;
        for (int i = 0; i < header.length; i++)
        {
            if (header[i].equals(name))
            {
                if (found >= 0)
                {
                    throw new OpeInputException(file + ":1: column '" + name + "' appears twice in the header");
                }
                found = i;
            }
        }
        return found;
    }

    /**
     * @param name a column name that must be present.
     * @param expected what the header should look like, for the message.
     * @return its index.
     * @throws OpeInputException when absent or repeated.
     */
    public int requireColumn(final String name, final String expected) throws OpeInputException
    {
        final int c = column(name);
        if (c < 0)
        {
            throw new OpeInputException(file + ":1: no column '" + name + "' in header " + Arrays.toString(header) +
                "; expected " + expected);
        }
        return c;
    }

    /**
     * An estimate of the number of data rows, from the file size and the mean length of the lines read ahead
     * after the header, with a few percent of slack; for sizing arrays once (they may still need to grow).
     *
     * @return the estimate, at least 1024 and at most 2^24 (larger files grow their arrays as they are read, so a
     *         misleading start cannot reserve much more memory than the data needs).
     * @throws IOException when the file size cannot be read.
     */
    public int estimatedRows() throws IOException
    {
        int lines = 0;
        final int to = Math.min(limit, position + (1 << 20));
        for (int i = position; i < to; i++)
        {
            if (buffer[i] == '\n')
            {
                lines++;
            }
        }
        if (lines == 0)
        {
            return 1024;
        }
        final double bytesPerLine = (double)(to - position) / lines;
        final double estimate = Files.size(file) / bytesPerLine * 1.03 + 1024;
        return (int)Math.min(1 << 24, estimate);
    }

    /** @return the 1-based line number of the current row. */
    public long line()
    {
        return line;
    }

    /** @return the 0-based data row index of the current row (-1 before the first). */
    public long row()
    {
        return row;
    }

    /**
     * Move to the next data row.
     *
     * @return false at the end of the file.
     * @throws IOException on a read error, an empty line, or a field count that differs from the header's.
     */
    public boolean next() throws IOException
    {
        if (!readLine())
        {
            return false;
        }
        row++;
        if (fieldCount != header.length)
        {
            if (fieldCount == 1 && starts[0] == ends[0])
            {
                throw new OpeInputException(where() + ": empty line");
            }
            throw new OpeInputException(where() + ": " + fieldCount + " fields, the header has " + header.length);
        }
        return true;
    }

    /**
     * Move to the next data row and parse all its fields as doubles into {@code out[offset..offset+columns)}, in
     * one pass over the bytes: each field is parsed while it is scanned, up to its comma or the line end. Fields
     * of the common form ({@code [+-]digits[.digits][(e|E)[+-]digits]}, no spaces, at most 18 significant digits
     * and decimal exponent within the exact paths of {@link #parseDouble(byte[], int, int)}) take this fast
     * path; for any other row (spaces, long or odd numbers, NaN, a wrong field count, an empty line, a line
     * running past the buffer) the row is re-read with {@link #next()} and {@link #getDouble(int)}, so the values
     * are bit-identical to {@link Double#parseDouble(String)} and the errors are the same as theirs.
     *
     * @param out    destination.
     * @param offset first index written.
     * @return false at the end of the file.
     * @throws IOException on a read error or a malformed row (same messages as {@link #next()} and
     *                     {@link #getDouble(int)}).
     */
    public boolean nextDoubles(final double[] out, final int offset) throws IOException
    {
        if (limit - position < FAST_LOOKAHEAD && !endOfInput)
        {
            fill();
        }
        final int end = parseRowFast(buffer, position, limit, header.length, out, offset, 0L);
        if (end >= 0)
        {
            position = end;
            line++;
            row++;
            return true;
        }
        if (!next())
        {
            return false;
        }
        for (int c = 0; c < header.length; c++)
        {
            out[offset + c] = getDouble(c);
        }
        return true;
    }

    /**
     * Move to the next data row, trying the one-pass parse of {@link #nextDoubles} on every field first: when it
     * succeeds, {@code out[0..columns)} holds every field's value and the result is {@link #ROW_PARSED}; columns
     * whose bit is set in {@code integerColumns} must then be plain decimal integers of at most 9 digits (an
     * optional sign, no point or exponent), so their doubles are exact ints. Otherwise the row is read with
     * {@link #next()} and the result is {@link #ROW_SPLIT}: the caller parses the fields it needs with
     * {@link #getInt(int)} and {@link #getDouble(int)}, which give the usual errors. After 64 rows in a row that
     * need the general path (say, a file with text columns) the one-pass parse is no longer tried.
     *
     * @param out            destination of the values, at least {@code columns} long.
     * @param integerColumns bit c set when column c (below 64) must be an integer.
     * @return {@link #ROW_PARSED}, {@link #ROW_SPLIT}, or {@link #ROW_END} at the end of the file.
     * @throws IOException on a read error, an empty line, or a field count that differs from the header's.
     */
    public int nextRow(final double[] out, final long integerColumns) throws IOException
    {
        if (fastMisses < 64)
        {
            if (limit - position < FAST_LOOKAHEAD && !endOfInput)
            {
                fill();
            }
            final int end = parseRowFast(buffer, position, limit, header.length, out, 0, integerColumns);
            if (end >= 0)
            {
                position = end;
                line++;
                row++;
                fastMisses = 0;
                return ROW_PARSED;
            }
            fastMisses++;
        }
        return next() ? ROW_SPLIT : ROW_END;
    }

    /**
     * Parse {@code columns} comma-separated plain decimals ending in LF or CRLF from {@code b[from..limit)}.
     *
     * @return the index after the line's LF, or -1 when the row needs the general path.
     */
    private static int parseRowFast(final byte[] b, final int from, final int limit, final int columns,
        final double[] out, final int offset, final long integerColumns)
    {
        int i = from;
        for (int c = 0; c < columns; c++)
        {
            if (i >= limit)
            {
                return -1;
            }
            boolean negative = false;
            byte ch = b[i];
            if (ch == '-' || ch == '+')
            {
                negative = ch == '-';
                if (++i >= limit)
                {
                    return -1;
                }
                ch = b[i];
            }
            final int fieldStart = i;
            long mantissa = 0;
            int digits = 0;
            int exponent = 0;
            boolean any = false;
            int d = ch - '0';
            while (d >= 0 && d <= 9)
            {
                any = true;
                if (mantissa != 0 || d != 0)
                {
                    if (++digits > 18)
                    {
                        return -1;
                    }
                    mantissa = mantissa * 10 + d;
                }
                if (++i >= limit)
                {
                    return -1;
                }
                ch = b[i];
                d = ch - '0';
            }
            if (c < 64 && (integerColumns & (1L << c)) != 0 &&
                (ch == '.' || ch == 'e' || ch == 'E' || i - fieldStart > 9))
            {
                return -1;
            }
            if (ch == '.')
            {
                if (++i >= limit)
                {
                    return -1;
                }
                ch = b[i];
                d = ch - '0';
                while (d >= 0 && d <= 9)
                {
                    any = true;
                    if (mantissa != 0 || d != 0)
                    {
                        if (++digits > 18)
                        {
                            return -1;
                        }
                        mantissa = mantissa * 10 + d;
                    }
                    exponent--;
                    if (++i >= limit)
                    {
                        return -1;
                    }
                    ch = b[i];
                    d = ch - '0';
                }
            }
            if (!any)
            {
                return -1;
            }
            if (ch == 'e' || ch == 'E')
            {
                if (++i >= limit)
                {
                    return -1;
                }
                ch = b[i];
                boolean negativeExponent = false;
                if (ch == '-' || ch == '+')
                {
                    negativeExponent = ch == '-';
                    if (++i >= limit)
                    {
                        return -1;
                    }
                    ch = b[i];
                }
                int e = 0;
                int eDigits = 0;
                d = ch - '0';
                while (d >= 0 && d <= 9)
                {
                    if (++eDigits > 4)
                    {
                        return -1;
                    }
                    e = e * 10 + d;
                    if (++i >= limit)
                    {
                        return -1;
                    }
                    ch = b[i];
                    d = ch - '0';
                }
                if (eDigits == 0)
                {
                    return -1;
                }
                exponent += negativeExponent ? -e : e;
            }
            if (c < columns - 1)
            {
                if (ch != ',')
                {
                    return -1;
                }
            }
            else if (ch == '\r')
            {
                if (i + 1 >= limit || b[i + 1] != '\n')
                {
                    return -1;
                }
                i++;
            }
            else if (ch != '\n')
            {
                return -1;
            }
            i++;
            final double v;
            if (mantissa == 0)
            {
                v = 0.0;
            }
            else if (mantissa < MAX_EXACT_MANTISSA && exponent >= -22 && exponent <= 22)
            {
                final double m = mantissa;
                v = exponent < 0 ? m / POW10[-exponent] : m * POW10[exponent];
            }
            else if (exponent < 0 && exponent >= -18)
            {
                v = nearestQuotient(mantissa, -exponent);
                if (Double.isNaN(v))
                {
                    return -1;
                }
            }
            else
            {
                return -1;
            }
            out[offset + c] = negative ? -v : v;
        }
        return i;
    }

    /**
     * @param column a column index.
     * @return the field parsed as a finite double.
     * @throws OpeInputException when it is not a number or not finite.
     */
    public double getDouble(final int column) throws OpeInputException
    {
        final int s = starts[column];
        final int e = ends[column];
        final double v;
        try
        {
            v = parseDouble(buffer, s, e);
        }
        catch (final NumberFormatException ex)
        {
            throw new OpeInputException(where() + ": column '" + header[column] + "': '" + text(column) +
                "' is not a number");
        }
        if (!Double.isFinite(v))
        {
            throw new OpeInputException(where() + ": column '" + header[column] + "': " + text(column) +
                " is not finite");
        }
        return v;
    }

    /**
     * @param column a column index.
     * @return the field parsed as a decimal integer (optional sign, digits only).
     * @throws OpeInputException when it is not such an integer or does not fit an int.
     */
    public int getInt(final int column) throws OpeInputException
    {
        final int s = starts[column];
        final int e = ends[column];
        int i = s;
        boolean negative = false;
        if (i < e && (buffer[i] == '-' || buffer[i] == '+'))
        {
            negative = buffer[i] == '-';
            i++;
        }
        long v = 0;
        final int digitsFrom = i;
        while (i < e)
        {
            final int d = buffer[i] - '0';
            if (d < 0 || d > 9 || i - digitsFrom >= 10)
            {
                throw new OpeInputException(where() + ": column '" + header[column] + "': '" + text(column) +
                    "' is not an integer");
            }
            v = v * 10 + d;
            i++;
        }
        if (i == digitsFrom)
        {
            throw new OpeInputException(where() + ": column '" + header[column] + "': '" + text(column) +
                "' is not an integer");
        }
        v = negative ? -v : v;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)
        {
            throw new OpeInputException(where() + ": column '" + header[column] + "': " + text(column) +
                " does not fit a 32-bit integer");
        }
        return (int)v;
    }

    /**
     * @param column a column index.
     * @return the field's text.
     */
    public String text(final int column)
    {
        return new String(buffer, starts[column], ends[column] - starts[column], StandardCharsets.UTF_8);
    }

    /** @return "file:line (row r)" for messages about the current row. */
    public String where()
    {
        return file + ":" + line + " (data row " + row + ")";
    }

    @Override
    public void close() throws IOException
    {
        in.close();
    }

    /**
     * Parse a decimal number {@code [+-]digits[.digits][(e|E)[+-]digits]}. When it has at most 18 significant
     * digits, a mantissa below 2^53 and a decimal exponent within ±22, the result is one correctly rounded
     * multiplication or division of two exact doubles (Clinger's fast path) and equals
     * {@link Double#parseDouble(String)}; with a larger mantissa (up to 18 digits, as in the 17-digit shortest
     * decimals Java and Python print) and 1 to 18 decimals, {@link #nearestQuotient} rounds exactly with integer
     * arithmetic; anything else is handed to {@link Double#parseDouble(String)}, which also turns NaN and Infinity
     * into their values (callers reject them).
     *
     * @param b bytes.
     * @param start first byte.
     * @param end one past the last byte.
     * @return the value.
     * @throws NumberFormatException when it is not a number.
     */
    public static double parseDouble(final byte[] b, final int start, final int end)
    {
        int i = start;
        boolean negative = false;
        if (i < end && (b[i] == '-' || b[i] == '+'))
        {
            negative = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean any = false;
        while (i < end)
        {
            final int d = b[i] - '0';
            if (d < 0 || d > 9)
            {
                break;
            }
            any = true;
            if (mantissa != 0 || d != 0)
            {
                if (++digits > 18)
                {
                    return slowParse(b, start, end);
                }
                mantissa = mantissa * 10 + d;
            }
            i++;
        }
        if (i < end && b[i] == '.')
        {
            i++;
            while (i < end)
            {
                final int d = b[i] - '0';
                if (d < 0 || d > 9)
                {
                    break;
                }
                any = true;
                if (mantissa != 0 || d != 0)
                {
                    if (++digits > 18)
                    {
                        return slowParse(b, start, end);
                    }
                    mantissa = mantissa * 10 + d;
                }
                exponent--;
                i++;
            }
        }
        if (!any)
        {
            return slowParse(b, start, end);
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E'))
        {
            i++;
            boolean negativeExponent = false;
            if (i < end && (b[i] == '-' || b[i] == '+'))
            {
                negativeExponent = b[i] == '-';
                i++;
            }
            final int from = i;
            int e = 0;
            while (i < end)
            {
                final int d = b[i] - '0';
                if (d < 0 || d > 9 || i - from >= 5)
                {
                    return slowParse(b, start, end);
                }
                e = e * 10 + d;
                i++;
            }
            if (i == from)
            {
                return slowParse(b, start, end);
            }
            exponent += negativeExponent ? -e : e;
        }
        if (i != end)
        {
            return slowParse(b, start, end);
        }
        if (mantissa == 0)
        {
            return negative ? -0.0 : 0.0;
        }
        if (mantissa < MAX_EXACT_MANTISSA && exponent >= -22 && exponent <= 22)
        {
            final double m = mantissa;
            final double v = exponent < 0 ? m / POW10[-exponent] : m * POW10[exponent];
            return negative ? -v : v;
        }
        if (exponent < 0 && exponent >= -18)
        {
            final double v = nearestQuotient(mantissa, -exponent);
            if (!Double.isNaN(v))
            {
                return negative ? -v : v;
            }
        }
        return slowParse(b, start, end);
    }

    /**
     * The double nearest to m / 10^k (ties to even) for 0 &lt; m &lt; 10^18 and 1 ≤ k ≤ 18, or NaN when this method
     * cannot decide (the caller then parses the text with the JDK). A candidate from one floating division is
     * within a few ulps; it is moved until the exact value lies between the midpoints to its neighbours, each
     * comparison done exactly in 128-bit integers: m / 10^k &gt; (2M ± 1)·2^(E-1) ⟺ m·2^(1-E) &gt; (2M ± 1)·10^k
     * for the candidate M·2^E.
     */
    static double nearestQuotient(final long m, final int k)
    {
        final long tenK = LONG_POW10[k];
        double d = (double)m / POW10[k];
        final int mBits = 64 - Long.numberOfLeadingZeros(m);
        for (int step = 0; step < 4; step++)
        {
            final long bits = Double.doubleToRawLongBits(d);
            final int biased = (int)(bits >>> 52) & 0x7ff;
            final long significand = (bits & ((1L << 52) - 1)) | (1L << 52);
            if (biased == 0 || biased == 0x7ff || significand == 1L << 52)
            {
                return Double.NaN;
            }
            final int shift = 1 - (biased - 1075);
            if (shift < 0 || mBits + shift > 126)
            {
                return Double.NaN;
            }
            final int above = compareScaled(m, shift, 2 * significand + 1, tenK);
            if (above > 0)
            {
                d = Math.nextUp(d);
                continue;
            }
            if (above == 0)
            {
                return (significand & 1) == 0 ? d : Math.nextUp(d);
            }
            final int below = compareScaled(m, shift, 2 * significand - 1, tenK);
            if (below < 0)
            {
                d = Math.nextDown(d);
                continue;
            }
            if (below == 0)
            {
                return (significand & 1) == 0 ? d : Math.nextDown(d);
            }
            return d;
        }
        return Double.NaN;
    }

    /** Compares m·2^shift with a·b as unsigned 128-bit integers (m, a, b positive; no overflow by the caller). */
    private static int compareScaled(final long m, final int shift, final long a, final long b)
    {
        final long leftHigh;
        final long leftLow;
        if (shift == 0)
        {
            leftHigh = 0;
            leftLow = m;
        }
        else if (shift < 64)
        {
            leftHigh = m >>> (64 - shift);
            leftLow = m << shift;
        }
        else
        {
            leftHigh = m << (shift - 64);
            leftLow = 0;
        }
        final long rightHigh = Math.multiplyHigh(a, b);
        final long rightLow = a * b;
        final int high = Long.compareUnsigned(leftHigh, rightHigh);
        return high != 0 ? high : Long.compareUnsigned(leftLow, rightLow);
    }

    private static double slowParse(final byte[] b, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            final byte c = b[i];
            final boolean numeric = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!numeric)
            {
                final String text = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
                final String lower = text.toLowerCase(java.util.Locale.ROOT);
                if (lower.equals("nan") || lower.equals("+nan") || lower.equals("-nan"))
                {
                    return Double.NaN;
                }
                if (lower.equals("inf") || lower.equals("+inf") || lower.equals("infinity") ||
                    lower.equals("+infinity"))
                {
                    return Double.POSITIVE_INFINITY;
                }
                if (lower.equals("-inf") || lower.equals("-infinity"))
                {
                    return Double.NEGATIVE_INFINITY;
                }
                throw new NumberFormatException(text);
            }
        }
        if (start == end)
        {
            throw new NumberFormatException("empty");
        }
        return Double.parseDouble(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
    }

    /** Read one line into the field arrays; false at the end of input. */
    private boolean readLine() throws IOException
    {
        int scan = position;
        while (true)
        {
            int newline = -1;
            for (int i = scan; i < limit; i++)
            {
                if (buffer[i] == '\n')
                {
                    newline = i;
                    break;
                }
            }
            if (newline >= 0)
            {
                split(position, newline);
                position = newline + 1;
                line++;
                return true;
            }
            if (endOfInput)
            {
                if (position >= limit)
                {
                    return false;
                }
                split(position, limit);
                position = limit;
                line++;
                return true;
            }
            scan = limit - position;
            fill();
        }
    }

    private void fill() throws IOException
    {
        if (position > 0)
        {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length)
        {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        final int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0)
        {
            endOfInput = true;
        }
        else
        {
            limit += n;
        }
    }

    private void split(final int from, final int to)
    {
        int end = to;
        if (end > from && buffer[end - 1] == '\r')
        {
            end--;
        }
        int count = 0;
        int fieldStart = from;
        for (int i = from; i <= end; i++)
        {
            if (i == end || buffer[i] == ',')
            {
                int s = fieldStart;
                int e = i;
                while (s < e && (buffer[s] == ' ' || buffer[s] == '\t'))
                {
                    s++;
                }
                while (e > s && (buffer[e - 1] == ' ' || buffer[e - 1] == '\t'))
                {
                    e--;
                }
                if (count == starts.length)
                {
                    starts = Arrays.copyOf(starts, count * 2);
                    ends = Arrays.copyOf(ends, count * 2);
                }
                starts[count] = s;
                ends[count] = e;
                count++;
                fieldStart = i + 1;
            }
        }
        fieldCount = count;
    }
}
