package io.decide.tools.cli;

import io.decide.engine.cohort.CohortReader;
import io.decide.engine.cohort.CohortTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CohortsCommandTest
{
    @TempDir
    Path dir;

    @Test
    void loadWritesATableTheEngineReadsAndReplacesItAtomically() throws Exception
    {
        final Path in = dir.resolve("users.csv");
        Files.writeString(in, "user_id,bid0,bid1\n7,0,3\n-9000000000000000000,254,1\n\n123456789012,2,2\n");
        final Path out = dir.resolve("users.cmap");
        final CliRun.Result result = CliRun.run("cohorts", "load", "--in", in, "--out", out);
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith("users 3  bids 2  "), result.toString());
        try (CohortTable table = CohortTable.open(out))
        {
            final CohortReader reader = table.newReader();
            final int[] cohorts = new int[2];
            assertEquals(2, reader.lookup(-9000000000000000000L, cohorts));
            assertArrayEquals(new int[]{254, 1}, cohorts);
            assertEquals(2, reader.lookup(123456789012L, cohorts));
            assertArrayEquals(new int[]{2, 2}, cohorts);
            assertEquals(CohortReader.MISS, reader.lookup(8, cohorts));
        }
        Files.writeString(in, "user_id,bid0\n8,5\n");
        assertEquals(ExitCodes.OK, CliRun.run("cohorts", "load", "--in", in, "--out", out).exitCode());
        try (CohortTable table = CohortTable.open(out))
        {
            assertEquals(1, table.bidCount());
            assertEquals(1, table.userCount());
        }
        try (var files = Files.list(dir))
        {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "temporary file left");
        }
    }

    @Test
    void malformedInputNamesLineAndColumnAndKeepsTheOldTable() throws Exception
    {
        final Path in = dir.resolve("users.csv");
        Files.writeString(in, "user_id,bid0,bid1\n1,0,0\n2,0,255\n");
        final Path out = dir.resolve("users.cmap");
        final CliRun.Result result = CliRun.run("cohorts", "load", "--in", in, "--out", out);
        assertEquals(ExitCodes.IO_ERROR, result.exitCode(), result.toString());
        assertEquals(List.of("decide cohorts: " + in + ":3: column 'bid1': cohort 255 outside 0..254"),
            result.errLines());
        assertFalse(Files.exists(out));
        assertEquals(ExitCodes.USAGE, CliRun.run("cohorts", "unload", "--in", in, "--out", out).exitCode());
    }
}
