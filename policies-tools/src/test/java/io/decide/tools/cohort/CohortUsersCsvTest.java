package io.decide.tools.cohort;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CohortUsersCsvTest
{
    @TempDir
    Path dir;

    @Test
    void readsUsers() throws IOException
    {
        final Path file = dir.resolve("users.csv");
        Files.writeString(file, "user_id, bid0 ,bid1\n5,1,2\n-6,0,254\n");
        final UsersCsv users = UsersCsv.read(file);
        assertEquals(2, users.bidCount());
        assertArrayEquals(new long[]{5, -6}, users.userIds());
        assertArrayEquals(new byte[]{1, 2, 0, (byte)254}, users.cohorts());
    }

    @Test
    void errorsNameFileLineAndColumn() throws IOException
    {
        final Path file = dir.resolve("users.csv");
        assertMessage(file, "", file + ":1: empty file");
        assertMessage(file, "id,bid0\n", file + ":1: column 1 is 'id', expected 'user_id'");
        assertMessage(file, "user_id\n", file + ":1: 0 bid columns");
        assertMessage(file, "user_id,bid0,bid2\n", file + ":1: column 3 is 'bid2', expected 'bid1'");
        assertMessage(file, "user_id,bid0\n1,2,3\n", file + ":2: 3 fields, the header has 2");
        assertMessage(file, "user_id,bid0\n1x,2\n", file + ":2: column 'user_id': '1x' is not a 64-bit integer");
        assertMessage(file, "user_id,bid0\n1,2\n\n1,3\n", file + ":4: column 'user_id': user 1 already on line 2");
        assertMessage(file, "user_id,bid0\n-9223372036854775808,2\n", file + ":2: column 'user_id': " +
            "-9223372036854775808 is reserved");
        assertMessage(file, "user_id,bid0\n1,a\n", file + ":2: column 'bid0': 'a' is not an integer");
        assertMessage(file, "user_id,bid0\n1,-1\n", file + ":2: column 'bid0': cohort -1 outside 0..254");
    }

    private static void assertMessage(final Path file, final String csv, final String prefix) throws IOException
    {
        Files.writeString(file, csv);
        final CohortInputException ex = assertThrows(CohortInputException.class, () -> UsersCsv.read(file));
        assertTrue(ex.getMessage().startsWith(prefix), ex.getMessage());
    }
}
