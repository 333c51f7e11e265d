package io.decide.tools.adload;

import java.util.ArrayList;
import java.util.List;

/**
 * The allowed ad-slot patterns of a feed of {@code slots} positions (0-based): every set of at most {@code maxAds}
 * ad positions that avoids the forbidden positions and leaves at least {@code minGap} organic posts between two
 * ads. A pattern is a bit mask (bit j = an ad at slot j); patterns are numbered by ad count, then by mask, so
 * pattern 0 is always the empty feed. Depends on nothing but the JDK, so the runtime ad-slot decider can use the
 * same enumeration and numbering.
 * <p>
 * The default of the ShareChat paper: 5 slots, up to 2 ads, no ad at the first slot, gap ≥ 1, giving 8 patterns:
 * {}, {1}, {2}, {3}, {4}, {1,3}, {1,4}, {2,4}.
 */
public final class AdSlotPatterns
{
    /** Most slots a feed may have (masks are ints). */
    public static final int MAX_SLOTS = 30;

    private final int slots;
    private final int maxAds;
    private final int forbiddenMask;
    private final int minGap;
    private final int[] masks;
    private final int[] adCounts;

    private AdSlotPatterns(final int slots, final int maxAds, final int forbiddenMask, final int minGap,
        final int[] masks)
    {
        this.slots = slots;
        this.maxAds = maxAds;
        this.forbiddenMask = forbiddenMask;
        this.minGap = minGap;
        this.masks = masks;
        this.adCounts = new int[masks.length];
        for (int p = 0; p < masks.length; p++)
        {
            adCounts[p] = Integer.bitCount(masks[p]);
        }
    }

    /** @return the paper's default: 5 slots, up to 2 ads, first slot forbidden, gap ≥ 1. */
    public static AdSlotPatterns defaults()
    {
        return enumerate(5, 2, 1, 1);
    }

    /**
     * Enumerate the allowed patterns.
     *
     * @param slots         feed length n, 1..{@link #MAX_SLOTS}.
     * @param maxAds        most ads m ≥ 0.
     * @param forbiddenMask bit j set = no ad at slot j.
     * @param minGap        least number of organic posts between two ads, ≥ 0.
     * @return the patterns.
     */
    public static AdSlotPatterns enumerate(final int slots, final int maxAds, final int forbiddenMask,
        final int minGap)
    {
        if (slots < 1 || slots > MAX_SLOTS)
        {
            throw new IllegalArgumentException("slots must be 1.." + MAX_SLOTS + ": " + slots);
        }
        if (maxAds < 0 || minGap < 0)
        {
            throw new IllegalArgumentException("maxAds and minGap must be >= 0");
        }
        if ((forbiddenMask & ~((1 << slots) - 1)) != 0)
        {
            throw new IllegalArgumentException("forbidden positions outside 0.." + (slots - 1));
        }
        final List<Integer> found = new ArrayList<>();
        for (int count = 0; count <= Math.min(maxAds, slots); count++)
        {
            collect(0, count, 0, -1, slots, forbiddenMask, minGap, found);
        }
        final int[] masks = new int[found.size()];
        for (int i = 0; i < masks.length; i++)
        {
            masks[i] = found.get(i);
        }
        // Within one ad count, order by mask value.
        int from = 0;
        while (from < masks.length)
        {
            int to = from;
            while (to < masks.length && Integer.bitCount(masks[to]) == Integer.bitCount(masks[from]))
            {
                to++;
            }
            java.util.Arrays.sort(masks, from, to);
            from = to;
        }
        return new AdSlotPatterns(slots, maxAds, forbiddenMask, minGap, masks);
    }

    private static void collect(final int mask, final int remaining, final int fromSlot, final int lastAd,
        final int slots, final int forbidden, final int minGap, final List<Integer> out)
    {
        if (remaining == 0)
        {
            out.add(mask);
            return;
        }
        for (int j = fromSlot; j < slots; j++)
        {
            if ((forbidden & (1 << j)) != 0 || (lastAd >= 0 && j - lastAd - 1 < minGap))
            {
                continue;
            }
            collect(mask | (1 << j), remaining - 1, j + 1, j, slots, forbidden, minGap, out);
        }
    }

    /** @return the number of allowed patterns K. */
    public int count()
    {
        return masks.length;
    }

    /** @return feed length n. */
    public int slots()
    {
        return slots;
    }

    /** @return most ads m. */
    public int maxAds()
    {
        return maxAds;
    }

    /** @return the forbidden-slot mask. */
    public int forbiddenMask()
    {
        return forbiddenMask;
    }

    /** @return the least number of posts between two ads. */
    public int minGap()
    {
        return minGap;
    }

    /**
     * @param pattern 0..K-1.
     * @return its mask (bit j = ad at slot j).
     */
    public int mask(final int pattern)
    {
        return masks[pattern];
    }

    /**
     * @param pattern 0..K-1.
     * @return its number of ads.
     */
    public int adCount(final int pattern)
    {
        return adCounts[pattern];
    }

    /**
     * @param pattern 0..K-1.
     * @param slot    0..n-1.
     * @return whether the pattern puts an ad at the slot.
     */
    public boolean hasAdAt(final int pattern, final int slot)
    {
        return (masks[pattern] & (1 << slot)) != 0;
    }

    /**
     * @param mask a mask.
     * @return its pattern number, or -1 if the mask is not allowed.
     */
    public int indexOf(final int mask)
    {
        for (int p = 0; p < masks.length; p++)
        {
            if (masks[p] == mask)
            {
                return p;
            }
        }
        return -1;
    }

    /**
     * Organic posts before the first ad (n for the empty pattern): with the posts since the user's last ad in the
     * previous feed, this gives the gap across consecutive feeds.
     *
     * @param pattern 0..K-1.
     * @return leading posts.
     */
    public int leadingPosts(final int pattern)
    {
        final int mask = masks[pattern];
        return mask == 0 ? slots : Integer.numberOfTrailingZeros(mask);
    }

    /**
     * Organic posts after the last ad (n for the empty pattern).
     *
     * @param pattern 0..K-1.
     * @return trailing posts.
     */
    public int trailingPosts(final int pattern)
    {
        final int mask = masks[pattern];
        return mask == 0 ? slots : slots - 1 - (31 - Integer.numberOfLeadingZeros(mask));
    }

    /**
     * Whether the pattern keeps the minimum gap across feeds, given the posts since the user's last ad.
     *
     * @param pattern          0..K-1.
     * @param postsSinceLastAd organic posts the user saw since the last ad (large when none).
     * @return whether allowed.
     */
    public boolean allowedAfter(final int pattern, final int postsSinceLastAd)
    {
        return masks[pattern] == 0 || postsSinceLastAd + leadingPosts(pattern) >= minGap;
    }

    /** Width of {@link #encode}: ad count plus one indicator per slot. */
    public int encodingWidth()
    {
        return 1 + slots;
    }

    /**
     * The action encoding models use as features: {@code [adCount, ad_at_0, .., ad_at_{n-1}]}.
     *
     * @param pattern 0..K-1.
     * @param out     destination.
     * @param offset  first index written.
     */
    public void encode(final int pattern, final double[] out, final int offset)
    {
        final int mask = masks[pattern];
        out[offset] = adCounts[pattern];
        for (int j = 0; j < slots; j++)
        {
            out[offset + 1 + j] = (mask >>> j) & 1;
        }
    }

    /**
     * @param pattern 0..K-1.
     * @return e.g. "{1,3}".
     */
    public String describe(final int pattern)
    {
        final StringBuilder s = new StringBuilder("{");
        for (int j = 0; j < slots; j++)
        {
            if (hasAdAt(pattern, j))
            {
                if (s.length() > 1)
                {
                    s.append(',');
                }
                s.append(j);
            }
        }
        return s.append('}').toString();
    }
}
