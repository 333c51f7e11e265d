package io.decide.tools.quota;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaInputsTest
{
    @TempDir
    Path dir;

    private Path csv(final String... lines) throws IOException
    {
        final Path file = dir.resolve("items.csv");
        Files.write(file, List.of(lines));
        return file;
    }

    private void assertRefused(final String expected, final double weight, final String... lines)
    {
        final QuotaInputException ex = assertThrows(QuotaInputException.class,
            () -> QuotaCsvReader.read(csv(lines), weight));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(dir.resolve("items.csv").toString()), ex.getMessage());
    }

    @Test
    void readsTheLongFormatInAnyColumnOrder() throws IOException
    {
        final QuotaInstance instance = QuotaCsvReader.read(csv(
            "item,k,cost,value", "a,1,0,0", "a,2,1,2.5", "a,3,3,4", "b,1,0,0.5", "b,2,1,1", "b,3,3,1.25"), Double.NaN);
        assertEquals(2, instance.itemCount());
        assertEquals(3, instance.optionCount());
        assertArrayEquals(new double[]{0, 1, 3}, instance.costs());
        assertArrayEquals(new double[]{1, 2, 3}, instance.labels());
        assertArrayEquals(new double[]{0, 2.5, 4, 0.5, 1, 1.25}, instance.values());
        assertEquals("b", instance.itemName(1));
        assertEquals("3", instance.optionName(2));
        final QuotaInstance reordered = QuotaCsvReader.read(csv("value,cost,item,k", "1,0,x,none", "2,5,x,many"),
            Double.NaN);
        assertArrayEquals(new double[]{1, 2}, reordered.values());
        assertEquals("many", reordered.optionName(1));
        assertArrayEquals(new double[]{0, 1}, reordered.labels(), "non-numeric option names: labels are indices");
    }

    @Test
    void exploreFormatAddsTheWeightedExploreScore() throws IOException
    {
        final QuotaInstance instance = QuotaCsvReader.read(csv(
            "item,k,cost,pvalue,explore", "a,0,0,1,0.5", "a,1,2,3,0.25"), 2.0);
        assertArrayEquals(new double[]{2, 3.5}, instance.values());
        assertRefused("give --explore-weight", Double.NaN, "item,k,cost,pvalue,explore", "a,0,0,1,0.5");
    }

    @Test
    void errorsNameTheFileTheLineAndTheColumn()
    {
        assertRefused("empty file", Double.NaN);
        assertRefused(":1: no column 'cost'", Double.NaN, "item,k,value", "a,0,1");
        assertRefused(":1: header item,k,cost needs columns", Double.NaN, "item,k,cost", "a,0,1");
        assertRefused(":3: column 'value': 'x1' is not a number", Double.NaN, "item,k,cost,value", "a,0,0,1", "a,1,1,x1");
        assertRefused(":2: column 'value': NaN is not finite", Double.NaN, "item,k,cost,value", "a,0,0,NaN");
        assertRefused(":3: 3 fields, the header has 4", Double.NaN, "item,k,cost,value", "a,0,0,1", "a,1,1");
        assertRefused(":3: column 'cost': option 1 costs 0.5, less than the option before it", Double.NaN,
            "item,k,cost,value", "a,0,1,1", "a,1,0.5,2");
        assertRefused(":2: column 'cost': -1.0 is negative", Double.NaN, "item,k,cost,value", "a,0,-1,1");
        assertRefused(":5: column 'cost': option 1 costs 2.0 here but 1.0 for the first item", Double.NaN,
            "item,k,cost,value", "a,0,0,1", "a,1,1,2", "b,0,0,1", "b,1,2,2");
        assertRefused(":5: column 'k': option 2 where the first item (line 2) has option 1", Double.NaN,
            "item,k,cost,value", "a,0,0,1", "a,1,1,2", "b,0,0,1", "b,2,1,2");
        assertRefused(":4: item 'b' has 1 options, the first item has 2", Double.NaN,
            "item,k,cost,value", "a,0,0,1", "a,1,1,2", "b,0,0,1");
        assertRefused(":6: column 'item': rows of item 'a' are not contiguous", Double.NaN,
            "item,k,cost,value", "a,0,0,1", "a,1,1,2", "b,0,0,1", "b,1,1,2", "a,0,0,1");
        assertRefused(":3: column 'k': option 0 listed twice", Double.NaN, "item,k,cost,value", "a,0,0,1", "a,0,1,2");
        assertRefused("no rows after the header", Double.NaN, "item,k,cost,value");
    }

    @Test
    void binaryFilesRoundTripAndBadOnesAreRefusedWithTheOffset() throws IOException
    {
        final QuotaInstance instance = QuotaSimulator.generate(1000, 7, 0.5, 0.1, 9);
        final Path file = dir.resolve("items.bin");
        ItemsBinary.write(instance, file);
        assertEquals(64 + 16 * 7 + 8 * 1000 + 8 * 7000, Files.size(file));
        final QuotaInstance back = ItemsBinary.read(file);
        assertArrayEquals(instance.costs(), back.costs());
        assertArrayEquals(instance.labels(), back.labels());
        assertArrayEquals(instance.values(), back.values());
        assertEquals("999", back.itemName(999));

        patch(file, 0, ByteBuffer.allocate(1).put((byte)'X'));
        assertRefusedBinary(file, "offset 0: bad magic");
        ItemsBinary.write(instance, file);
        patch(file, 64 + 8 * 2, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, 0.5));
        assertRefusedBinary(file, "offset 80: cost of option 2 is 0.5");
        ItemsBinary.write(instance, file);
        final long valuesAt = 64 + 16 * 7 + 8 * 1000;
        patch(file, valuesAt + 8 * 15, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, Double.NaN));
        assertRefusedBinary(file, "offset " + (valuesAt + 120) + ": value of item 2 option 1 is not finite");
        ItemsBinary.write(instance, file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(Files.size(file) - 8);
        }
        assertRefusedBinary(file, "expected " + (valuesAt + 8 * 7000) + " for 1000 items x 7 options");
    }

    private static void patch(final Path file, final long at, final ByteBuffer bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            bytes.clear();
            channel.write(bytes, at);
        }
    }

    private static void assertRefusedBinary(final Path file, final String expected)
    {
        final QuotaInputException ex = assertThrows(QuotaInputException.class, () -> ItemsBinary.read(file));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    @Test
    void curvesAreCheckedAndRepairedIntoMonotoneDiminishingOnes()
    {
        final double[] costs = {0, 1, 2, 4};
        final double[] values = {
            0, 1, 1.5, 2,        // fine: slopes 1, 0.5, 0.25
            0, 2, 1, 3,          // not monotone, not diminishing
            0, 1, 3, 4,          // monotone, slopes 1, 2, 0.5: not diminishing
        };
        final QuotaInstance instance = new QuotaInstance(costs, new double[4], null, values, null, null);
        final ValueCurves.Report before = ValueCurves.check(instance);
        assertEquals(new ValueCurves.Report(1, 2, 3), before);
        assertEquals(before, ValueCurves.repair(instance));
        assertEquals(new ValueCurves.Report(0, 0, 3), ValueCurves.check(instance));
        assertArrayEquals(new double[]{0, 1, 1.5, 2}, java.util.Arrays.copyOfRange(values, 0, 4), "untouched");
        assertArrayEquals(new double[]{0, 1.5, 2, 3}, java.util.Arrays.copyOfRange(values, 4, 8), 1e-12,
            "isotonic: 0, 1.5, 1.5, 3; slopes 1.5 | 0 (width 1), 0.75 (width 2) pooled to 0.5 over width 3");
        assertEquals(0, values[8]);
        assertEquals(4, values[11], 1e-12, "the total rise is kept");

        final QuotaInstance noisy = QuotaSimulator.generate(5000, 10, 0.3, 0.2, 4);
        final ValueCurves.Report found = ValueCurves.repair(noisy);
        assertTrue(found.nonMonotone() > 100 && found.nonDiminishing() > 100, found.toString());
        assertEquals(new ValueCurves.Report(0, 0, 5000), ValueCurves.check(noisy));
        assertEquals(new ValueCurves.Report(0, 0, 5000),
            ValueCurves.check(QuotaSimulator.generate(5000, 10, 0.3, 0, 4)), "clean simulated curves");
    }

    @Test
    void exploreScoresFollowTheUcbFormula() throws IOException
    {
        final Path in = csv("item,k,cost,pvalue,trials", "a,0,0,1,0", "a,1,2,3,4", "b,0,0,1,16", "b,1,2,3,80");
        final Path out = dir.resolve("explore.csv");
        assertEquals(4, ExploreScores.write(in, out));
        final List<String> lines = Files.readAllLines(out);
        assertEquals("item,k,cost,pvalue,explore", lines.get(0));
        final double lnT = Math.log(100);
        assertEquals("a,0,0,1," + Math.sqrt(2 * lnT), lines.get(1));
        assertEquals("a,1,2,3," + Math.sqrt(2 * lnT / 4), lines.get(2));
        assertEquals("b,1,2,3," + Math.sqrt(2 * lnT / 80), lines.get(4));
        final QuotaInstance instance = QuotaCsvReader.read(out, 1.0);
        assertEquals(3 + Math.sqrt(2 * lnT / 4), instance.values()[1], 1e-12);
        final Path bad = dir.resolve("bad.csv");
        Files.write(bad, List.of("item,k,cost,pvalue,trials", "a,0,0,1,-2"));
        final QuotaInputException ex = assertThrows(QuotaInputException.class, () -> ExploreScores.write(bad, out));
        assertTrue(ex.getMessage().contains("bad.csv:2: column 'trials': -2.0"), ex.getMessage());
    }
}
