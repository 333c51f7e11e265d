package io.decide.engine.adslot;

/**
 * Decisions whose state update waits for the host's {@code commit(requestId)}: an open-addressing table keyed by
 * request id with a fixed capacity, arrays allocated once, linear probing and backward-shift deletion, so put, take
 * and remove allocate nothing. When it holds {@link #capacity()} decisions a further {@link #put} returns false; the
 * decider then applies that decision's state update at once (as in commit-on-decide mode), counts it in
 * {@link #overflows()}, and marks the decision committed, so no update is lost and none waits without bound.
 * Decisions never committed stay until {@link #remove}d (e.g. when the host learns the feed was not shown). Not
 * thread-safe: one per thread, used with that thread's {@link AdSlotContext}.
 */
public final class PendingDecisions
{
    private final int capacity;
    private final int mask;
    private final boolean[] used;
    private final long[] requestIds;
    private final long[] userIds;
    private final long[] times;
    private final int[] adMasks;
    private int size;
    private long overflows;

    /**
     * @param capacity most decisions held, 1 .. 2^28.
     */
    public PendingDecisions(final int capacity)
    {
        if (capacity < 1 || capacity > 1 << 28)
        {
            throw new IllegalArgumentException("capacity " + capacity + ", expected 1.." + (1 << 28));
        }
        this.capacity = capacity;
        final int slots = Integer.highestOneBit(capacity * 2 - 1) << 1;
        this.mask = slots - 1;
        this.used = new boolean[slots];
        this.requestIds = new long[slots];
        this.userIds = new long[slots];
        this.times = new long[slots];
        this.adMasks = new int[slots];
    }

    /** @return most decisions held. */
    public int capacity()
    {
        return capacity;
    }

    /** @return decisions held now. */
    public int size()
    {
        return size;
    }

    /** @return decisions that found the table full and were committed at once. */
    public long overflows()
    {
        return overflows;
    }

    void countOverflow()
    {
        overflows++;
    }

    /**
     * Hold a decision (a second put of the same request id replaces the first).
     *
     * @param requestId request id.
     * @param userId    user id.
     * @param nowMillis decision time.
     * @param adMask    chosen ad mask.
     * @return false when the table is full (nothing held).
     */
    public boolean put(final long requestId, final long userId, final long nowMillis, final int adMask)
    {
        int i = slot(requestId);
        while (used[i])
        {
            if (requestIds[i] == requestId)
            {
                store(i, requestId, userId, nowMillis, adMask);
                return true;
            }
            i = (i + 1) & mask;
        }
        if (size == capacity)
        {
            return false;
        }
        used[i] = true;
        store(i, requestId, userId, nowMillis, adMask);
        size++;
        return true;
    }

    /**
     * @param requestId request id.
     * @return its slot index, or -1 when not held.
     */
    int find(final long requestId)
    {
        int i = slot(requestId);
        while (used[i])
        {
            if (requestIds[i] == requestId)
            {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    long userId(final int slot)
    {
        return userIds[slot];
    }

    long time(final int slot)
    {
        return times[slot];
    }

    int adMask(final int slot)
    {
        return adMasks[slot];
    }

    /**
     * Forget a held decision without updating state.
     *
     * @param requestId request id.
     * @return whether it was held.
     */
    public boolean remove(final long requestId)
    {
        final int slot = find(requestId);
        if (slot < 0)
        {
            return false;
        }
        removeAt(slot);
        return true;
    }

    void removeAt(final int slot)
    {
        int hole = slot;
        int i = (slot + 1) & mask;
        while (used[i])
        {
            final int home = slot(requestIds[i]);
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                store(hole, requestIds[i], userIds[i], times[i], adMasks[i]);
                hole = i;
            }
            i = (i + 1) & mask;
        }
        used[hole] = false;
        size--;
    }

    private void store(final int i, final long requestId, final long userId, final long nowMillis, final int adMask)
    {
        requestIds[i] = requestId;
        userIds[i] = userId;
        times[i] = nowMillis;
        adMasks[i] = adMask;
    }

    private int slot(final long requestId)
    {
        return (int)AdSlotRandom.mix64(requestId) & mask;
    }
}
