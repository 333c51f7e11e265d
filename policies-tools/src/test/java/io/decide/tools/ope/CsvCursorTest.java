package io.decide.tools.ope;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** The byte-level CSV cursor: exact number parsing (against the JDK) and errors that name line and row. */
class CsvCursorTest
{
    @TempDir
    Path dir;

    private static double parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return CsvCursor.parseDouble(bytes, 0, bytes.length);
    }

    @Test
    void anyDoubleRoundTripsThroughItsShortestDecimal()
    {
        qt().withExamples(50_000).forAll(longs().all()).checkAssert(bits ->
        {
            final double v = Double.longBitsToDouble(bits);
            final String text = Double.toString(v);
            final double expected = Double.parseDouble(text);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(parse(text)), text);
        });
    }

    @Test
    void shortDecimalsTakeTheFastPathAndMatchTheJdk()
    {
        qt().withExamples(50_000).forAll(longs().between(-999_999_999_999L, 999_999_999_999L),
            integers().between(-25, 25)).checkAssert((mantissa, exponent) ->
        {
            final String plain = new java.math.BigDecimal(java.math.BigInteger.valueOf(mantissa), -exponent)
                .toPlainString();
            final String scientific = mantissa + "e" + exponent;
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(plain)), Double.doubleToRawLongBits(
                parse(plain)), plain);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(scientific)), Double.doubleToRawLongBits(
                parse(scientific)), scientific);
        });
        qt().withExamples(30_000).forAll(doubles().between(0, 1)).checkAssert(p ->
        {
            final String text = String.format(java.util.Locale.ROOT, "%.9f", p);
            assertEquals(Double.parseDouble(text), parse(text), text);
        });
    }

    @Test
    void longDecimalsRoundExactlyWithIntegerArithmetic()
    {
        // 15 to 18 significant digits with 1 to 18 decimals: the range of nearestQuotient.
        qt().withExamples(100_000).forAll(longs().between(100_000_000_000_000L, 999_999_999_999_999_999L),
            integers().between(1, 18)).checkAssert((mantissa, decimals) ->
        {
            final String text = new java.math.BigDecimal(java.math.BigInteger.valueOf(mantissa), decimals)
                .toPlainString();
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(
                parse(text)), text);
        });
        // Exact midpoints between two doubles (ties to even) and their neighbours in the last digit.
        qt().withExamples(100_000).forAll(doubles().between(1e-3, 1e3)).checkAssert(v ->
        {
            final java.math.BigDecimal mid = new java.math.BigDecimal(v).add(new java.math.BigDecimal(Math.nextUp(v)))
                .divide(java.math.BigDecimal.valueOf(2));
            if (mid.precision() <= 18 && mid.scale() <= 18)
            {
                final String text = mid.toPlainString();
                assertEquals(Double.parseDouble(text), parse(text), text);
            }
            final String rounded = new java.math.BigDecimal(v).round(new java.math.MathContext(17)).toPlainString();
            assertEquals(Double.parseDouble(rounded), parse(rounded), rounded);
        });
        // Ties: j + 0.5 for 2^52 <= j < 2^53 lies exactly halfway between two doubles.
        qt().withExamples(20_000).forAll(longs().between(1L << 52, (1L << 53) - 2)).checkAssert(j ->
        {
            final String text = j + ".5";
            assertEquals(Double.parseDouble(text), parse(text), text);
            assertEquals(Double.parseDouble(text), CsvCursor.nearestQuotient(j * 10 + 5, 1), text);
        });
        assertEquals(Double.parseDouble("0.12762401393561074"), parse("0.12762401393561074"));
        assertEquals(Double.parseDouble("0.12762401393561074"), CsvCursor.nearestQuotient(12762401393561074L, 17));
        assertEquals(0.1, CsvCursor.nearestQuotient(100_000_000_000_000_000L, 18));
    }

    @Test
    void nextDoublesParsesWholeRowsBitIdenticallyToTheJdk() throws Exception
    {
        // Rows of shortest decimals of random bit patterns (finite), short decimals, scientific forms, and fields
        // the one-pass path hands back to the general one (spaces, 19+ digits, large exponents, CRLF), written
        // as a file larger than the read buffer so rows also straddle refills.
        final String[] forms = {"%s", " %s", "%s\t", "+%s"};
        final java.util.Random random = new java.util.Random(7);
        final int columns = 5;
        final int rows = 60_000;
        final double[] expected = new double[rows * columns];
        final StringBuilder text = new StringBuilder("a0,a1,a2,a3,a4\n");
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                final String number;
                switch (random.nextInt(6))
                {
                    case 0:
                        double v;
                        do
                        {
                            v = Double.longBitsToDouble(random.nextLong());
                        }
                        while (!Double.isFinite(v));
                        number = Double.toString(v);
                        break;
                    case 1:
                        number = Double.toString(random.nextDouble());
                        break;
                    case 2:
                        number = (random.nextInt(2_000_001) - 1_000_000) + "e" + (random.nextInt(61) - 30);
                        break;
                    case 3:
                        number = new java.math.BigDecimal(java.math.BigInteger.valueOf(random.nextLong() >>> 1),
                            random.nextInt(25)).toPlainString();
                        break;
                    case 4:
                        number = String.format(java.util.Locale.ROOT, "%.6f", random.nextDouble() * 100);
                        break;
                    default:
                        number = r % 97 == 0 ? "-0.0" : Integer.toString(random.nextInt());
                        break;
                }
                final String field = random.nextInt(20) == 0 && !number.startsWith("-") && !number.startsWith("+")
                    ? String.format(forms[random.nextInt(forms.length)], number) : number;
                expected[r * columns + c] = Double.parseDouble(field.trim());
                text.append(field).append(c < columns - 1 ? "," : (r % 13 == 0 ? "\r\n" : "\n"));
            }
        }
        final Path file = dir.resolve("rows.csv");
        Files.write(file, text.toString().getBytes(StandardCharsets.US_ASCII));
        final double[] values = new double[rows * columns];
        try (CsvCursor cursor = CsvCursor.open(file))
        {
            int r = 0;
            while (cursor.nextDoubles(values, r * columns))
            {
                assertEquals(r, cursor.row());
                assertEquals(r + 2, cursor.line());
                r++;
            }
            assertEquals(rows, r);
        }
        for (int i = 0; i < values.length; i++)
        {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(values[i]),
                "row " + i / columns + " column " + i % columns);
        }
    }

    @Test
    void nextRowParsesPlainRowsAndHandsOtherRowsToTheGetters() throws Exception
    {
        final Path file = dir.resolve("log.csv");
        Files.write(file, ("action,reward,pscore\n3,1.5,0.125\n-2,0.25,1\n1.0,2,0.5\n1e0,2,0.5\n12345678901,1,1\n" +
            " 4,1,1\n007,1e-3,0.5\n").getBytes(StandardCharsets.US_ASCII));
        final double[] values = new double[3];
        try (CsvCursor cursor = CsvCursor.open(file))
        {
            assertEquals(CsvCursor.ROW_PARSED, cursor.nextRow(values, 1L));
            assertEquals(3.0, values[0]);
            assertEquals(1.5, values[1]);
            assertEquals(0.125, values[2]);
            assertEquals(CsvCursor.ROW_PARSED, cursor.nextRow(values, 1L));
            assertEquals(-2.0, values[0]);
            assertEquals(1.0, values[2]);
            for (final String text : new String[] {"1.0", "1e0", "12345678901", "4"})
            {
                assertEquals(CsvCursor.ROW_SPLIT, cursor.nextRow(values, 1L), text);
                if (text.equals("4"))
                {
                    assertEquals(4, cursor.getInt(0));
                }
                else
                {
                    final OpeInputException ex = assertThrows(OpeInputException.class, () -> cursor.getInt(0));
                    assertTrue(ex.getMessage().contains(text), ex.getMessage());
                }
            }
            assertEquals(CsvCursor.ROW_PARSED, cursor.nextRow(values, 1L));
            assertEquals(7.0, values[0]);
            assertEquals(1e-3, values[1]);
            assertEquals(8, cursor.line());
            assertEquals(CsvCursor.ROW_END, cursor.nextRow(values, 1L));
        }
    }

    @Test
    void nextDoublesReportsTheSameErrorsAsTheGeneralPath() throws Exception
    {
        final String[][] cases = {
            {"a0,a1\n0.5,0.5\n0.25,0.5,0.25\n", "f.csv:3 (data row 1): 3 fields, the header has 2"},
            {"a0,a1\n0.5,0.5\n\n", "f.csv:3 (data row 1): empty line"},
            {"a0,a1\n0.5,x\n", "f.csv:2 (data row 0): column 'a1': 'x' is not a number"},
            {"a0,a1\n0.5,0.5\n0.5,NaN\n", "f.csv:3 (data row 1): column 'a1': NaN is not finite"},
            {"a0,a1\n0.5\n", "f.csv:2 (data row 0): 1 fields, the header has 2"},
        };
        for (final String[] c : cases)
        {
            final Path file = dir.resolve("f.csv");
            Files.write(file, c[0].getBytes(StandardCharsets.US_ASCII));
            final double[] values = new double[2];
            final OpeInputException ex = assertThrows(OpeInputException.class, () ->
            {
                try (CsvCursor cursor = CsvCursor.open(file))
                {
                    while (cursor.nextDoubles(values, 0))
                    {
                        assertTrue(values[0] >= 0);
                    }
                }
            });
            assertEquals(file + c[1].substring("f.csv".length()), ex.getMessage(), c[0]);
        }
    }

    @Test
    void specialAndMalformedNumbers()
    {
        assertEquals(0.0, parse("0"));
        assertEquals(-0.0, parse("-0.0"));
        assertEquals(0.125, parse("+.125"));
        assertEquals(5.0, parse("5."));
        assertEquals(1e300, parse("1e300"));
        assertEquals(0.1, parse("0.1000000000000000000000000001"));
        assertTrue(Double.isNaN(parse("NaN")));
        assertTrue(Double.isNaN(parse("nan")));
        assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-Infinity"));
        for (final String bad : new String[]{"", "-", ".", "e5", "1e", "1x", "0x10", "1d", "1,5", "--1", "1e+"})
        {
            assertThrows(NumberFormatException.class, () -> parse(bad), bad);
        }
    }

    @Test
    void readsRowsAcrossBufferRefillsAndNamesLinesInErrors() throws Exception
    {
        final StringBuilder text = new StringBuilder("x, y ,name\r\n");
        final int rows = 200_000;
        for (int i = 0; i < rows; i++)
        {
            text.append(i).append(',').append(i * 0.5).append(",row").append(i).append("\r\n");
        }
        final Path file = dir.resolve("big.csv");
        Files.writeString(file, text);
        try (CsvCursor csv = CsvCursor.open(file))
        {
            assertEquals(1, csv.column("y"));
            int i = 0;
            while (csv.next())
            {
                assertEquals(i, csv.getInt(0));
                assertEquals(i * 0.5, csv.getDouble(1));
                assertEquals("row" + i, csv.text(2));
                assertEquals(i, csv.row());
                assertEquals(i + 2, csv.line());
                i++;
            }
            assertEquals(rows, i);
            assertFalse(csv.next());
        }
        final Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,2\n3,NaN\n");
        try (CsvCursor csv = CsvCursor.open(bad))
        {
            csv.next();
            csv.next();
            final OpeInputException ex = assertThrows(OpeInputException.class, () -> csv.getDouble(1));
            assertEquals(bad + ":3 (data row 1): column 'b': NaN is not finite", ex.getMessage());
        }
        final Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "a,b\n1,2\n\n3,4\n");
        try (CsvCursor csv = CsvCursor.open(ragged))
        {
            csv.next();
            final OpeInputException ex = assertThrows(OpeInputException.class, csv::next);
            assertEquals(ragged + ":3 (data row 1): empty line", ex.getMessage());
        }
        final Path noNewline = dir.resolve("last.csv");
        Files.writeString(noNewline, "a\n1\n2");
        try (CsvCursor csv = CsvCursor.open(noNewline))
        {
            assertTrue(csv.next());
            assertTrue(csv.next());
            assertEquals(2.0, csv.getDouble(0));
            assertFalse(csv.next());
        }
    }
}
