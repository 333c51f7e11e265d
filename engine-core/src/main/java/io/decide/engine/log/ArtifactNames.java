package io.decide.engine.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The artifact names a {@link DecisionLog} has been told about, id = order of registration. Registered once, at
 * setup, by any thread; read by the writer thread through a volatile array that only grows (copy on write).
 */
final class ArtifactNames
{
    private volatile byte[][] bytes = new byte[0][];
    private String[] names = new String[0];
    private int tableLength;

    /**
     * @param name artifact name: 1 .. {@link DecisionLogDescriptor#MAX_NAME_BYTES} UTF-8 bytes.
     * @return its id: the existing one when already registered.
     * @throws IllegalArgumentException when the name is empty, too long, or the segment header's names table would
     *                                  overflow.
     */
    synchronized int register(final String name)
    {
        for (int i = 0; i < names.length; i++)
        {
            if (names[i].equals(name))
            {
                return i;
            }
        }
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == 0 || utf8.length > DecisionLogDescriptor.MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException("artifact name '" + name + "' is " + utf8.length +
                " UTF-8 bytes, expected 1.." + DecisionLogDescriptor.MAX_NAME_BYTES);
        }
        final int entry = DecisionLogDescriptor.nameEntryLength(utf8.length);
        final int capacity = DecisionLogDescriptor.HEADER_LENGTH - DecisionLogDescriptor.NAMES_OFFSET;
        if (tableLength + entry > capacity)
        {
            throw new IllegalArgumentException("artifact name '" + name + "' does not fit the segment header's " +
                "names table (" + tableLength + " of " + capacity + " bytes used by " + names.length + " names)");
        }
        tableLength += entry;
        names = Arrays.copyOf(names, names.length + 1);
        names[names.length - 1] = name;
        final byte[][] grown = Arrays.copyOf(bytes, bytes.length + 1);
        grown[grown.length - 1] = utf8;
        bytes = grown;
        return grown.length - 1;
    }

    /** @return how many names are registered. */
    int count()
    {
        return bytes.length;
    }

    /**
     * @param id a registered id.
     * @return the name's UTF-8 bytes.
     */
    byte[] bytes(final int id)
    {
        return bytes[id];
    }
}
