package io.decide.engine.cohort;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.values.Values;

/**
 * One thread's view of a {@link CohortTable}: a reused key and value instance, so {@link #lookup} allocates nothing.
 * Not thread-safe; create one per thread with {@link CohortTable#newReader()}.
 */
public final class CohortReader
{
    /** Returned for an unknown user (or the reserved id). */
    public static final int MISS = -1;

    private final ChronicleMap<LongValue, byte[]> map;
    private final int bidCount;
    private final LongValue key;
    private byte[] value;

    CohortReader(final ChronicleMap<LongValue, byte[]> map, final int bidCount)
    {
        this.map = map;
        this.bidCount = bidCount;
        this.key = Values.newHeapInstance(LongValue.class);
        this.value = new byte[bidCount];
    }

    /**
     * The user's cohort for every bid.
     *
     * @param userId  user id.
     * @param cohorts receives B cohorts, {@code cohorts[b]} for bid b; length >= B.
     * @return B when found, else {@link #MISS} (cohorts untouched).
     */
    public int lookup(final long userId, final int[] cohorts)
    {
        if (userId == CohortTable.RESERVED_USER_ID)
        {
            return MISS;
        }
        final LongValue k = key;
        k.setValue(userId);
        final byte[] found = map.getUsing(k, value);
        if (found == null)
        {
            return MISS;
        }
        value = found;
        final int n = bidCount;
        for (int b = 0; b < n; b++)
        {
            cohorts[b] = found[b] & 0xFF;
        }
        return n;
    }

    /** @return B. */
    public int bidCount()
    {
        return bidCount;
    }
}
