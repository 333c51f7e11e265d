package io.decide.engine.cohort;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.values.Values;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * User id → cohort per quality bid, in a Chronicle Map persisted to a file ({@code users.cmap}) that any number of
 * threads and processes read through the page cache. Keys are {@link LongValue} (8 bytes), values a fixed-size
 * {@code byte[B]}, B = bid count: byte b is the user's cohort for quality bid b, unsigned, 0 ..
 * {@link #MAX_COHORT}. User id {@link #RESERVED_USER_ID} holds the table's header entry (B bytes of
 * {@link #HEADER_BYTE}), from which {@link #open} learns B; it is never a user.
 * <p>
 * Built offline by {@code decide cohorts load} (which writes a temporary file and renames it, so readers never see
 * a half-written table) or with {@link #create} and {@link #put}. Lookups go through a per-thread
 * {@link CohortReader}, which allocates nothing and returns {@link CohortReader#MISS} for unknown users. The map
 * is thread-safe; a table is closed once, after its readers are done.
 */
public final class CohortTable implements AutoCloseable
{
    /** Key of the header entry; not a valid user id. */
    public static final long RESERVED_USER_ID = Long.MIN_VALUE;
    /** Every byte of the header entry's value. */
    public static final byte HEADER_BYTE = (byte)0xFF;
    /** Largest cohort index (255 is the header marker). */
    public static final int MAX_COHORT = 254;
    /** Most quality bids per user. */
    public static final int MAX_BIDS = 64;

    private final ChronicleMap<LongValue, byte[]> map;
    private final int bidCount;
    private final Path file;
    private final LongValue putKey;

    private CohortTable(final ChronicleMap<LongValue, byte[]> map, final int bidCount, final Path file)
    {
        this.map = map;
        this.bidCount = bidCount;
        this.file = file;
        this.putKey = Values.newHeapInstance(LongValue.class);
    }

    /**
     * Create a new, empty table file (it must not exist) sized for {@code users} users.
     *
     * @param file     the file to create.
     * @param bidCount B, 1 .. {@link #MAX_BIDS}.
     * @param users    how many users will be put, >= 0 (Chronicle Map sizes its segments from this).
     * @return the table, open for {@link #put}.
     * @throws IOException when the file exists or cannot be created.
     */
    public static CohortTable create(final Path file, final int bidCount, final long users) throws IOException
    {
        if (bidCount < 1 || bidCount > MAX_BIDS)
        {
            throw new IllegalArgumentException("bid count " + bidCount + ", expected 1.." + MAX_BIDS);
        }
        if (users < 0)
        {
            throw new IllegalArgumentException("users " + users + " < 0");
        }
        if (Files.exists(file))
        {
            throw new java.nio.file.FileAlreadyExistsException(file.toString());
        }
        final ChronicleMap<LongValue, byte[]> map = ChronicleMap
            .of(LongValue.class, byte[].class)
            .name("decide-cohorts")
            .entries(Math.max(16, users + 1))
            .constantValueSizeBySample(new byte[bidCount])
            .createPersistedTo(file.toFile());
        final CohortTable table = new CohortTable(map, bidCount, file);
        final byte[] header = new byte[bidCount];
        java.util.Arrays.fill(header, HEADER_BYTE);
        table.putKey.setValue(RESERVED_USER_ID);
        map.put(table.putKey, header);
        return table;
    }

    /**
     * Open an existing table file.
     *
     * @param file a file written by {@link #create} (e.g. through {@code decide cohorts load}).
     * @return the table.
     * @throws IOException when the file is missing, empty or not a cohort table (the message names the file); a
     *                     refused file is left as it was.
     */
    public static CohortTable open(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        if (Files.size(file) == 0)
        {
            // Chronicle Map would initialise an empty file as a new map; a table is never empty on disk.
            throw new IOException(file + ": empty file, not a cohort table");
        }
        final ChronicleMap<LongValue, byte[]> map;
        try
        {
            map = ChronicleMap
                .of(LongValue.class, byte[].class)
                .name("decide-cohorts")
                .entries(16)
                .constantValueSizeBySample(new byte[1])
                .createPersistedTo(file.toFile());
        }
        catch (final IOException ex)
        {
            throw new IOException(file + ": not a cohort table (" + ex.getMessage() + ")", ex);
        }
        catch (final RuntimeException ex)
        {
            throw new IOException(file + ": not a cohort table (" + ex + ")", ex);
        }
        final LongValue key = Values.newHeapInstance(LongValue.class);
        key.setValue(RESERVED_USER_ID);
        final byte[] header = map.get(key);
        boolean valid = header != null && header.length >= 1 && header.length <= MAX_BIDS;
        for (int b = 0; valid && b < header.length; b++)
        {
            valid = header[b] == HEADER_BYTE;
        }
        if (!valid)
        {
            map.close();
            throw new IOException(file + ": not a cohort table (no header entry of 1.." + MAX_BIDS + " bytes of 0xFF " +
                "under user id " + RESERVED_USER_ID + ")");
        }
        return new CohortTable(map, header.length, file);
    }

    /**
     * Put one user's cohorts (load time; not for concurrent use with other puts).
     *
     * @param userId  user id, not {@link #RESERVED_USER_ID}.
     * @param cohorts B cohorts, each 0 .. {@link #MAX_COHORT}.
     */
    public void put(final long userId, final byte[] cohorts)
    {
        if (userId == RESERVED_USER_ID)
        {
            throw new IllegalArgumentException("user id " + userId + " is reserved for the table header");
        }
        if (cohorts.length != bidCount)
        {
            throw new IllegalArgumentException(cohorts.length + " cohorts, the table has " + bidCount + " bids");
        }
        for (final byte c : cohorts)
        {
            if ((c & 0xFF) > MAX_COHORT)
            {
                throw new IllegalArgumentException("cohort " + (c & 0xFF) + " > " + MAX_COHORT);
            }
        }
        putKey.setValue(userId);
        map.put(putKey, cohorts);
    }

    /** @return B, the number of quality bids. */
    public int bidCount()
    {
        return bidCount;
    }

    /** @return number of users (the header entry is not counted). */
    public long userCount()
    {
        return map.longSize() - 1;
    }

    /** @return the file. */
    public Path file()
    {
        return file;
    }

    /** @return a new reader for the calling thread. */
    public CohortReader newReader()
    {
        return new CohortReader(map, bidCount);
    }

    /** Close the map; readers must not be used afterwards. */
    @Override
    public void close()
    {
        map.close();
    }

    @Override
    public String toString()
    {
        return "CohortTable(" + file + ", " + bidCount + " bids)";
    }
}
