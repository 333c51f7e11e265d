package io.decide.tools.scalars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalarResponsesReaderTest
{
    private static final String HEADER = "bid,cohort,scalar,engagement,performance\n";

    @TempDir
    Path dir;

    private String refusal(final String content, final int minDistinct) throws Exception
    {
        final Path file = dir.resolve("r.csv");
        Files.writeString(file, content);
        return assertThrows(ScalarsInputException.class, () -> ResponsesCsvReader.read(file, minDistinct))
            .getMessage();
    }

    @Test
    void readsColumnsInAnyOrderAndGroupsByBidAndCohort() throws Exception
    {
        final Path file = dir.resolve("r.csv");
        Files.writeString(file, "performance,engagement,scalar,cohort,bid\n" +
            "10,1,0.5,1,3\n11,2,1,1,3\n5,3,0.5,0,3\n6,4,2,0,3\n\n7,5,1,0,0\n8,6,2,0,0\n");
        final List<BidResponses> bids = ResponsesCsvReader.read(file, 2);
        assertEquals(2, bids.size());
        assertEquals(0, bids.get(0).bid());
        assertEquals(3, bids.get(1).bid());
        assertEquals(2, bids.get(1).cohortCount());
        assertArrayEquals(new double[]{0.5, 2}, bids.get(1).scalars()[0]);
        assertArrayEquals(new double[]{1, 2}, bids.get(1).engagement()[1]);
        assertArrayEquals(new double[]{10, 11}, bids.get(1).performance()[1]);
    }

    @Test
    void errorsNameFileLineAndColumn() throws Exception
    {
        assertTrue(refusal("bid,cohort,scalar,engagement\n", 2).contains(":1: header has no column 'performance'"));
        assertTrue(refusal(HEADER + "0,0,1,2\n", 2).contains("r.csv:2: 4 fields, the header has 5"));
        assertTrue(refusal(HEADER + "0,,1,2,3\n", 2).contains("r.csv:2: column 'cohort' is empty"));
        assertTrue(refusal(HEADER + "0,-1,1,2,3\n", 2).contains("column 'cohort' is '-1', expected a non-negative"));
        assertTrue(refusal(HEADER + "0,0,1,2,3\n0,0,Infinity,2,3\n", 2)
            .contains("r.csv:3: column 'scalar' is 'Infinity', expected a finite number"));
        assertTrue(refusal(HEADER + "0,0,1,x,3\n", 2).contains("column 'engagement' is 'x', expected a number"));
        assertTrue(refusal(HEADER + "0,0,1,2,3\n0,0,1,2,3\n", 2)
            .contains("r.csv:3: column 'scalar': bid 0 cohort 0 has 1 distinct scalars, a linear fit needs 2"));
        assertTrue(refusal(HEADER + "0,0,1,2,3\n0,0,2,2,3\n0,2,1,2,3\n0,2,2,2,3\n", 2)
            .contains("bid 0 has no rows for cohort 1"));
        assertTrue(refusal(HEADER, 2).contains("no data rows"));
    }

    @Test
    void fitsRecoverExactCurves()
    {
        final double[] x = {0.5, 1, 1.5, 2};
        final double[] e = new double[4];
        final double[] p = new double[4];
        for (int j = 0; j < 4; j++)
        {
            e[j] = -0.25 * x[j] + 3;
            p[j] = -0.5 * x[j] * x[j] + 2 * x[j] + 1;
        }
        final CohortFit fit = CohortFit.fit(0, x, e, p, true);
        assertEquals(-0.25, fit.k(), 1e-12);
        assertEquals(3, fit.d(), 1e-12);
        assertEquals(-0.5, fit.a(), 1e-12);
        assertEquals(2, fit.b(), 1e-12);
        assertEquals(1, fit.c(), 1e-12);
        final CohortFit linear = CohortFit.fit(0, x, e, e, false);
        assertEquals(0, linear.a());
        assertEquals(-0.25, linear.b(), 1e-12);
    }
}
