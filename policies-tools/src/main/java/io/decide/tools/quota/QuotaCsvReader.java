package io.decide.tools.quota;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads items.csv, long format, one row per (item, option), with a header row naming the columns (any order):
 * {@code item,k,cost,value}, or {@code item,k,cost,pvalue,explore} where value = pvalue + w·explore for the
 * explore weight w. Rows of one item are contiguous and list the same options, in the same order, as the first
 * item; that order must have non-decreasing cost, and an option's cost must be the same for every item (it is
 * stored once in the artifact). Numbers are finite decimals. Every error names the file, the 1-based line and the
 * column.
 */
public final class QuotaCsvReader
{
    private QuotaCsvReader()
    {
    }

    /**
     * @param file          the CSV file.
     * @param exploreWeight w for the pvalue/explore format; NaN when not given (then that format is refused).
     * @return the instance.
     * @throws IOException         when the file cannot be read.
     * @throws QuotaInputException when its content is malformed.
     */
    public static QuotaInstance read(final Path file, final double exploreWeight) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final String header = reader.readLine();
            if (header == null)
            {
                throw new QuotaInputException(file + ": empty file, expected a header row item,k,cost,value");
            }
            final String[] columns = split(header.strip());
            final int item = column(file, columns, "item", true);
            final int k = column(file, columns, "k", true);
            final int cost = column(file, columns, "cost", true);
            final int value = column(file, columns, "value", false);
            final int pvalue = column(file, columns, "pvalue", false);
            final int explore = column(file, columns, "explore", false);
            final boolean exploreFormat = value < 0;
            if (exploreFormat && (pvalue < 0 || explore < 0))
            {
                throw new QuotaInputException(file + ":1: header " + header + " needs columns item,k,cost,value or " +
                    "item,k,cost,pvalue,explore");
            }
            if (exploreFormat && Double.isNaN(exploreWeight))
            {
                throw new QuotaInputException(file + ": has pvalue and explore columns; give --explore-weight w " +
                    "(value = pvalue + w*explore)");
            }
            final int width = columns.length;

            final List<String> optionNames = new ArrayList<>();
            final DoubleList costs = new DoubleList(16);
            final DoubleList values = new DoubleList(1 << 16);
            final List<String> items = new ArrayList<>();
            final Set<String> seen = new HashSet<>();
            String current = null;
            int position = 0;
            int optionCount = -1;
            int firstItemLine = 2;
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
                if (fields.length != width)
                {
                    throw new QuotaInputException(file + ":" + lineNumber + ": " + fields.length +
                        " fields, the header has " + width);
                }
                final String name = fields[item];
                if (name.isEmpty())
                {
                    throw new QuotaInputException(file + ":" + lineNumber + ": column 'item' is empty");
                }
                if (!name.equals(current))
                {
                    if (current != null)
                    {
                        if (optionCount < 0)
                        {
                            optionCount = position;
                        }
                        else if (position != optionCount)
                        {
                            throw new QuotaInputException(file + ":" + (lineNumber - 1) + ": item '" + current +
                                "' has " + position + " options, the first item has " + optionCount);
                        }
                    }
                    if (!seen.add(name))
                    {
                        throw new QuotaInputException(file + ":" + lineNumber + ": column 'item': rows of item '" +
                            name + "' are not contiguous");
                    }
                    items.add(name);
                    current = name;
                    position = 0;
                }
                final String option = fields[k];
                final double c = number(file, lineNumber, "cost", fields[cost]);
                if (optionCount < 0)
                {
                    if (c < 0)
                    {
                        throw new QuotaInputException(file + ":" + lineNumber + ": column 'cost': " + c +
                            " is negative");
                    }
                    if (position > 0 && c < costs.get(position - 1))
                    {
                        throw new QuotaInputException(file + ":" + lineNumber + ": column 'cost': option " + option +
                            " costs " + c + ", less than the option before it (" + costs.get(position - 1) +
                            "); list options in non-decreasing cost order");
                    }
                    if (optionNames.contains(option))
                    {
                        throw new QuotaInputException(file + ":" + lineNumber + ": column 'k': option " + option +
                            " listed twice for item '" + name + "'");
                    }
                    optionNames.add(option);
                    costs.add(c);
                }
                else
                {
                    if (position >= optionCount)
                    {
                        throw new QuotaInputException(file + ":" + lineNumber + ": item '" + name + "' has more than " +
                            optionCount + " options, the first item has " + optionCount);
                    }
                    if (!option.equals(optionNames.get(position)))
                    {
                        throw new QuotaInputException(file + ":" + lineNumber + ": column 'k': option " + option +
                            " where the first item (line " + firstItemLine + ") has option " +
                            optionNames.get(position) + " in position " + (position + 1));
                    }
                    if (c != costs.get(position))
                    {
                        throw new QuotaInputException(file + ":" + lineNumber + ": column 'cost': option " + option +
                            " costs " + c + " here but " + costs.get(position) + " for the first item; an option's " +
                            "cost must be the same for every item");
                    }
                }
                final double v = exploreFormat ?
                    number(file, lineNumber, "pvalue", fields[pvalue]) +
                    exploreWeight * number(file, lineNumber, "explore", fields[explore]) :
                    number(file, lineNumber, "value", fields[value]);
                values.add(v);
                position++;
            }
            if (current == null)
            {
                throw new QuotaInputException(file + ": no rows after the header");
            }
            if (optionCount < 0)
            {
                optionCount = position;
            }
            else if (position != optionCount)
            {
                throw new QuotaInputException(file + ":" + lineNumber + ": item '" + current + "' has " + position +
                    " options, the first item has " + optionCount);
            }
            final double[] labels = new double[optionCount];
            for (int o = 0; o < optionCount; o++)
            {
                try
                {
                    labels[o] = Double.parseDouble(optionNames.get(o));
                    if (!Double.isFinite(labels[o]))
                    {
                        labels[o] = o;
                    }
                }
                catch (final NumberFormatException ex)
                {
                    labels[o] = o;
                }
            }
            return new QuotaInstance(costs.toArray(), labels, optionNames.toArray(new String[0]), values.toArray(),
                items.toArray(new String[0]), null);
        }
    }

    private static int column(final Path file, final String[] columns, final String name, final boolean required)
        throws QuotaInputException
    {
        int found = -1;
        for (int i = 0; i < columns.length; i++)
        {
            if (columns[i].equals(name))
            {
                if (found >= 0)
                {
                    throw new QuotaInputException(file + ":1: column '" + name + "' appears twice");
                }
                found = i;
            }
        }
        if (found < 0 && required)
        {
            throw new QuotaInputException(file + ":1: no column '" + name + "' in header " +
                Arrays.toString(columns) + "; expected item,k,cost,value or item,k,cost,pvalue,explore");
        }
        return found;
    }

    private static double number(final Path file, final int line, final String column, final String text)
        throws QuotaInputException
    {
        final double v;
        try
        {
            v = Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new QuotaInputException(file + ":" + line + ": column '" + column + "': '" + text +
                "' is not a number");
        }
        if (!Double.isFinite(v))
        {
            throw new QuotaInputException(file + ":" + line + ": column '" + column + "': " + text + " is not finite");
        }
        return v;
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

    /** A growable primitive list. */
    static final class DoubleList
    {
        private double[] data;
        private int size;

        DoubleList(final int capacity)
        {
            data = new double[capacity];
        }

        void add(final double v)
        {
            if (size == data.length)
            {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        double get(final int i)
        {
            return data[i];
        }

        double[] toArray()
        {
            return Arrays.copyOf(data, size);
        }
    }
}
