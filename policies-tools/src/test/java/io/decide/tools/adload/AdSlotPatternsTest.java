package io.decide.tools.adload;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/** Pattern enumeration against brute force over every mask, and the paper's default. */
class AdSlotPatternsTest
{
    @Test
    void paperDefaultHasEightPatterns()
    {
        final AdSlotPatterns p = AdSlotPatterns.defaults();
        final List<String> described = new ArrayList<>();
        for (int i = 0; i < p.count(); i++)
        {
            described.add(p.describe(i));
        }
        assertEquals(List.of("{}", "{1}", "{2}", "{3}", "{4}", "{1,3}", "{1,4}", "{2,4}"), described);
        final double[] encoded = new double[p.encodingWidth()];
        p.encode(6, encoded, 0);
        assertArrayEquals(new double[]{2, 0, 1, 0, 0, 1}, encoded);
        assertEquals(1, p.leadingPosts(6));
        assertEquals(0, p.trailingPosts(6));
        assertEquals(5, p.leadingPosts(0));
        assertFalse(AdSlotPatterns.enumerate(5, 2, 0, 2).allowedAfter(
            AdSlotPatterns.enumerate(5, 2, 0, 2).indexOf(1), 1));
        assertTrue(AdSlotPatterns.enumerate(5, 2, 0, 2).allowedAfter(
            AdSlotPatterns.enumerate(5, 2, 0, 2).indexOf(2), 1));
    }

    @Test
    void enumerationEqualsBruteForce()
    {
        qt().withExamples(500).forAll(integers().between(1, 10), integers().between(0, 4), integers().between(0, 1023),
            integers().between(0, 3)).checkAssert((slots, maxAds, forbiddenBits, gap) ->
        {
            final int forbidden = forbiddenBits & ((1 << slots) - 1);
            final AdSlotPatterns p = AdSlotPatterns.enumerate(slots, maxAds, forbidden, gap);
            final List<Integer> expected = new ArrayList<>();
            for (int count = 0; count <= maxAds; count++)
            {
                for (int mask = 0; mask < 1 << slots; mask++)
                {
                    if (Integer.bitCount(mask) == count && (mask & forbidden) == 0 && gapsOk(mask, gap))
                    {
                        expected.add(mask);
                    }
                }
            }
            assertEquals(expected.size(), p.count());
            for (int i = 0; i < p.count(); i++)
            {
                assertEquals(expected.get(i), p.mask(i));
                assertEquals(i, p.indexOf(p.mask(i)));
                assertEquals(Integer.bitCount(p.mask(i)), p.adCount(i));
            }
        });
    }

    private static boolean gapsOk(final int mask, final int gap)
    {
        int last = -1;
        for (int j = 0; j < 31; j++)
        {
            if ((mask & (1 << j)) != 0)
            {
                if (last >= 0 && j - last - 1 < gap)
                {
                    return false;
                }
                last = j;
            }
        }
        return true;
    }
}
