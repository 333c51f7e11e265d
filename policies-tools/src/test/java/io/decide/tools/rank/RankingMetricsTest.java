package io.decide.tools.rank;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-computed metrics. Tolerance 1e-15 where a value is a ratio of small integers computed in double (one
 * rounding in the division, a few in the sums of exactly representable integers).
 */
class RankingMetricsTest
{
    private static final double EPS = 1e-15;

    @TempDir
    Path dir;

    private RankingScores read(final String csv) throws IOException
    {
        final Path file = dir.resolve("scores.csv");
        Files.writeString(file, csv);
        return RankingScores.read(file);
    }

    @Test
    void handComputedExample() throws IOException
    {
        // r1: early top-2 {a, b}, final top-2 {b, c}: hard 1/2; soft (1 + 5) / (5 + 4) = 2/3;
        //     TVD (|1−4| + |5−3| + |4−2| + |0−1|) / (1 + 5 + 4 + 0) = 8/10.
        // r2: n = 2 = K: hard 1; soft 4/4; TVD (|2−1| + 0) / 4 = 1/4.  Pooled TVD (8 + 1) / (10 + 4) = 9/14.
        final RankingScores scores = read("""
            final_total_value,candidate,request,early_score,note
            1,a,r1,4,x
            5,b,r1,3,
            2,x,r2,1,
            4,c,r1,2,
            0,d,r1,1,
            2,y,r2,2,
            """);
        final RankingMetrics.Summary s = RankingMetrics.compute(scores, 2);
        assertEquals(2, s.requests().size());
        final RankingMetrics.PerRequest r1 = s.requests().get(0);
        assertEquals("r1", r1.request());
        assertEquals(4, r1.candidates());
        assertEquals(0.5, r1.hardRecall());
        assertEquals(2.0 / 3.0, r1.softRecall(), EPS);
        assertEquals(0.8, r1.tvd(), EPS);
        final RankingMetrics.PerRequest r2 = s.requests().get(1);
        assertEquals(1.0, r2.hardRecall());
        assertEquals(1.0, r2.softRecall());
        assertEquals(0.25, r2.tvd());
        assertEquals(0.75, s.meanHardRecall());
        assertEquals(5.0 / 6.0, s.meanSoftRecall(), EPS);
        assertEquals(0.525, s.meanTvd(), EPS);
        assertEquals(9.0 / 14.0, s.pooledTvd(), EPS);
    }

    @Test
    void kAboveNUsesNAndTiesGoToTheEarlierRow() throws IOException
    {
        // Early ties u, v at 1: u (earlier row) wins; final ties u, v, w at 1: u wins. K = 1: hard 1.
        // With K = 5 > n = 3: k = 3, every candidate in both sets: hard 1, soft 1.
        final RankingScores scores = read("request,candidate,early_score,final_total_value\n" +
            "q,u,1,1\nq,v,1,1\nq,w,0,1\n");
        assertEquals(1.0, RankingMetrics.of(scores.requests().get(0), 1).hardRecall());
        final RankingMetrics.PerRequest all = RankingMetrics.of(scores.requests().get(0), 5);
        assertEquals(3, all.k());
        assertEquals(1.0, all.hardRecall());
        assertEquals(1.0, all.softRecall());
        // Ties resolved the other way round: w first in the file is picked by the early stage only if it scores.
        final RankingScores swapped = read("request,candidate,early_score,final_total_value\n" +
            "q,w,1,0\nq,u,1,3\n");
        final RankingMetrics.PerRequest p = RankingMetrics.of(swapped.requests().get(0), 1);
        assertEquals(0.0, p.hardRecall());
        assertEquals(0.0, p.softRecall());
    }

    @Test
    void undefinedMetricsAreNanAndLeftOutOfTheMeans() throws IOException
    {
        final RankingScores scores = read("request,candidate,early_score,final_total_value\n" +
            "z,a,1,0\nz,b,2,0\nr,a,1,1\n");
        final RankingMetrics.Summary s = RankingMetrics.compute(scores, 1);
        assertTrue(Double.isNaN(s.requests().get(0).softRecall()));
        assertTrue(Double.isNaN(s.requests().get(0).tvd()));
        assertEquals(1, s.undefinedSoft());
        assertEquals(1, s.undefinedTvd());
        assertEquals(1.0, s.meanSoftRecall());
        assertEquals(0.0, s.meanTvd());
        assertEquals(3.0, s.pooledTvd(), "(1 + 2 + 0) / (0 + 0 + 1)");
    }

    @Test
    void errorsNameFileLineAndColumn() throws IOException
    {
        final Path file = dir.resolve("scores.csv");
        assertMessage(file, "request,candidate,early\n", file + ":1: no column 'early_score'");
        assertMessage(file, "request,candidate,early_score,final_total_value\nr,a,1\n",
            file + ":2: 3 fields, the header has 4");
        assertMessage(file, "request,candidate,early_score,final_total_value\nr,a,1,2\n\nr,b,1,NaN\n",
            file + ":4: column 'final_total_value': NaN is not finite");
        assertMessage(file, "request,candidate,early_score,final_total_value\nr,a,1,2\nr,a,1,3\n",
            file + ":3: column 'candidate': candidate 'a' of request 'r' already on line 2");
        assertMessage(file, "request,candidate,early_score,final_total_value\n,a,1,2\n",
            file + ":2: column 'request' is empty");
        assertMessage(file, "", file + ":1: empty file");
        assertMessage(file, "request,candidate,early_score,final_total_value\n", file + ": no rows after the header");
    }

    private static void assertMessage(final Path file, final String csv, final String prefix) throws IOException
    {
        Files.writeString(file, csv);
        final RankingInputException ex = assertThrows(RankingInputException.class, () -> RankingScores.read(file));
        assertTrue(ex.getMessage().startsWith(prefix), ex.getMessage());
    }
}
