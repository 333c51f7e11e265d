package io.decide.tools.quota;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads either input format (told apart by the items.bin magic) and writes CSV forms of instances and choices. */
public final class QuotaFiles
{
    private QuotaFiles()
    {
    }

    /**
     * @param file          items.csv or items.bin.
     * @param exploreWeight explore weight for a CSV with pvalue/explore columns, NaN when not given.
     * @return the instance.
     * @throws IOException when the file cannot be read or is malformed ({@link QuotaInputException}).
     */
    public static QuotaInstance read(final Path file, final double exploreWeight) throws IOException
    {
        final byte[] head = new byte[8];
        int read = 0;
        try (InputStream in = Files.newInputStream(file))
        {
            int n;
            while (read < 8 && (n = in.read(head, read, 8 - read)) > 0)
            {
                read += n;
            }
        }
        if (read == 8 && new String(head, StandardCharsets.ISO_8859_1).equals("DQITEMS1"))
        {
            return ItemsBinary.read(file);
        }
        return QuotaCsvReader.read(file, exploreWeight);
    }

    /**
     * Write an instance as items.csv ({@code item,k,cost,value}).
     *
     * @param instance the instance.
     * @param file     target.
     * @throws IOException when writing fails.
     */
    public static void writeCsv(final QuotaInstance instance, final Path file) throws IOException
    {
        final int k = instance.optionCount();
        final double[] values = instance.values();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            out.write("item,k,cost,value\n");
            for (int i = 0; i < instance.itemCount(); i++)
            {
                final String item = instance.itemName(i);
                for (int o = 0; o < k; o++)
                {
                    out.write(item);
                    out.write(',');
                    out.write(instance.optionName(o));
                    out.write(',');
                    out.write(Double.toString(instance.costs()[o]));
                    out.write(',');
                    out.write(Double.toString(values[i * k + o]));
                    out.write('\n');
                }
            }
        }
    }

    /**
     * Write assignments as {@code item,k}.
     *
     * @param instance the instance.
     * @param chosen   option index per item.
     * @param file     target.
     * @throws IOException when writing fails.
     */
    public static void writeAssignments(final QuotaInstance instance, final int[] chosen, final Path file)
        throws IOException
    {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            out.write("item,k\n");
            for (int i = 0; i < instance.itemCount(); i++)
            {
                out.write(instance.itemName(i));
                out.write(',');
                out.write(instance.optionName(chosen[i]));
                out.write('\n');
            }
        }
    }
}
