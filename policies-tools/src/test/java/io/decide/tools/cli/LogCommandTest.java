package io.decide.tools.cli;

import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.log.DecisionLogDescriptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogCommandTest
{
    private static final int RECORDS = 1000;

    @TempDir
    Path dir;

    private Path logDir;

    /** Request r: artifact "adslot" (even r) or "ad,slot \"b\"" (odd r), K = 2 + r % 3, action r % K, uniform p. */
    @BeforeEach
    void writeLog() throws Exception
    {
        logDir = dir.resolve("log");
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(logDir).withSegmentBytes(64 << 10)
            .withMaxActions(4)))
        {
            final int a = log.artifactId("adslot");
            final int b = log.artifactId("ad,slot \"b\"");
            final double[] p = new double[4];
            for (long r = 0; r < RECORDS; r++)
            {
                final int k = 2 + (int)(r % 3);
                for (int i = 0; i < k; i++)
                {
                    p[i] = 1.0 / k;
                }
                assertTrue(log.offer(1000 + r, 7 * r, 1_700_000_000_000_000_000L + r, (r & 1) == 0 ? a : b, 3 + r % 2,
                    DecisionLogDescriptor.KIND_AD_SLOT, (int)(r % k), 0, 1.0 / k, p, k, null, 0));
            }
        }
    }

    private static List<String> lines(final Path file) throws Exception
    {
        return Files.readAllLines(file);
    }

    @Test
    void exportWritesTheColumnsOpeReadsAndTheProbabilityVectors() throws Exception
    {
        final Path out = dir.resolve("log.csv");
        final Path dist = dir.resolve("dist.csv");
        final CliRun.Result result = CliRun.run("log", "export", "--in", logDir, "--out", out, "--dist", dist);
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.out().contains("records " + RECORDS + "  rows " + RECORDS + "  actions 4"), result.out());
        final List<String> log = lines(out);
        assertEquals("request_id,user_id,time_ns,artifact,version,kind,action,position,reward,pscore", log.get(0));
        assertEquals(RECORDS + 1, log.size());
        assertEquals("1000,0,1700000000000000000,adslot,3,ad_slot,0,0,,0.5", log.get(1));
        assertEquals("1001,7,1700000000000000001,\"ad,slot \"\"b\"\"\",4,ad_slot,1,0,,0.3333333333333333", log.get(2));
        assertEquals("1002,14,1700000000000000002,adslot,3,ad_slot,2,0,,0.25", log.get(3));
        final List<String> d = lines(dist);
        assertEquals("a0,a1,a2,a3", d.get(0));
        assertEquals(RECORDS + 1, d.size());
        assertEquals("0.5,0.5,0,0", d.get(1));
        assertEquals("0.3333333333333333,0.3333333333333333,0.3333333333333333,0", d.get(2));
        assertEquals("0.25,0.25,0.25,0.25", d.get(3));

        final CliRun.Result only = CliRun.run("log", "export", "--in", logDir, "--out", out, "--artifact", "adslot");
        assertEquals(ExitCodes.OK, only.exitCode(), only.toString());
        assertEquals(RECORDS / 2 + 1, lines(out).size());
        assertTrue(lines(out).stream().skip(1).allMatch(l -> l.split(",")[3].equals("adslot")));
    }

    @Test
    void joinFillsRewardsCountsWhatDidNotMatchAndKeepsDistAligned() throws Exception
    {
        final Path rewards = dir.resolve("rewards.csv");
        final StringBuilder csv = new StringBuilder("reward,request_id\n");
        for (long r = 0; r < RECORDS; r += 2)
        {
            csv.append(r * 0.5).append(',').append(1000 + r).append('\n');
        }
        csv.append("1,5\n\n2,6\n");
        Files.writeString(rewards, csv);
        final Path out = dir.resolve("joined.csv");
        final Path dist = dir.resolve("dist.csv");
        final CliRun.Result result = CliRun.run("log", "join", "--log", logDir, "--rewards", rewards, "--out", out,
            "--dist", dist);
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        final int matched = RECORDS / 2;
        assertTrue(result.out().contains("joined " + matched + "  without reward " + (RECORDS - matched) +
            "  rewards not in the log 2  actions 4"), result.out());
        final List<String> joined = lines(out);
        assertEquals("request_id,user_id,time_ns,artifact,version,kind,action,position,reward,pscore", joined.get(0));
        assertEquals(matched + 1, joined.size());
        assertEquals("1002,14,1700000000000000002,adslot,3,ad_slot,2,0,1.0,0.25", joined.get(2));
        final List<String> d = lines(dist);
        assertEquals(joined.size(), d.size());
        assertEquals("0.5,0.5,0,0", d.get(1));
        assertEquals("0.25,0.25,0.25,0.25", d.get(2));
        assertEquals("0.3333333333333333,0.3333333333333333,0.3333333333333333,0", d.get(3));
    }

    @Test
    void joinWithSatAndAdsWeighsThemByLambda() throws Exception
    {
        final Path rewards = dir.resolve("rewards.csv");
        Files.writeString(rewards, "request_id,sat,ads\n1000,1,0\n1001,0.5,2\n");
        final Path out = dir.resolve("joined.csv");
        final CliRun.Result result = CliRun.run("log", "join", "--log", logDir, "--rewards", rewards, "--out", out,
            "--lambda", "0.25");
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        final List<String> joined = lines(out);
        assertEquals("request_id,user_id,time_ns,artifact,version,kind,action,position,sat,ads,reward,pscore",
            joined.get(0));
        assertEquals("1000,0,1700000000000000000,adslot,3,ad_slot,0,0,1.0,0.0,0.25,0.5", joined.get(1));
        assertEquals("1001,7,1700000000000000001,\"ad,slot \"\"b\"\"\",4,ad_slot,1,0,0.5,2.0,1.625," +
            "0.3333333333333333", joined.get(2));
        final CliRun.Result missing = CliRun.run("log", "join", "--log", logDir, "--rewards", rewards, "--out", out);
        assertEquals(ExitCodes.USAGE, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("give --lambda"), missing.err());
    }

    @Test
    void duplicateRewardsAreRejectedNamingTheRowsAndNothingIsWritten() throws Exception
    {
        final Path rewards = dir.resolve("rewards.csv");
        Files.writeString(rewards, "request_id,reward\n1000,1\n1001,0\n\n1000,2\n");
        final Path out = dir.resolve("joined.csv");
        final CliRun.Result result = CliRun.run("log", "join", "--log", logDir, "--rewards", rewards, "--out", out);
        assertEquals(ExitCodes.IO_ERROR, result.exitCode(), result.toString());
        assertEquals(List.of("decide log join: " + rewards + ":5: duplicate request_id 1000, first on line 2"),
            result.errLines());
        assertFalse(Files.exists(out));
        Files.writeString(rewards, "request_id,reward\n1000,NaN\n");
        final CliRun.Result nan = CliRun.run("log", "join", "--log", logDir, "--rewards", rewards, "--out", out);
        assertEquals(ExitCodes.IO_ERROR, nan.exitCode(), nan.toString());
        assertEquals(List.of("decide log join: " + rewards + ":2: column 'reward': NaN, expected a finite number"),
            nan.errLines());
    }

    @Test
    void aTornTailIsReportedAndCorruptionNamesFileAndOffset() throws Exception
    {
        final List<Path> segments;
        try (Stream<Path> files = Files.list(logDir))
        {
            segments = files.sorted().collect(Collectors.toList());
        }
        final Path crashed = logDir.resolve(DecisionLogDescriptor.fileName(segments.size()));
        Files.write(crashed, new byte[4096]);
        final Path out = dir.resolve("log.csv");
        final CliRun.Result torn = CliRun.run("log", "export", "--in", logDir, "--out", out);
        assertEquals(ExitCodes.OK, torn.exitCode(), torn.toString());
        assertEquals("torn tail skipped: " + crashed + " torn at offset 0 (4096 bytes skipped): segment header " +
            "never completed (all 4096 bytes zero)", torn.outLines().get(0));
        assertEquals(RECORDS + 1, lines(out).size());

        final Path first = segments.get(0);
        final long at = DecisionLogDescriptor.HEADER_LENGTH + DecisionLogDescriptor.USER_ID_OFFSET;
        try (RandomAccessFile raf = new RandomAccessFile(first.toFile(), "rw"))
        {
            raf.seek(at);
            raf.write(0x55);
        }
        final CliRun.Result bad = CliRun.run("log", "export", "--in", logDir, "--out", dir.resolve("other.csv"));
        assertEquals(ExitCodes.IO_ERROR, bad.exitCode(), bad.toString());
        assertTrue(bad.err().startsWith("decide log export: " + first + " at offset " +
            DecisionLogDescriptor.HEADER_LENGTH + ": record CRC32C"), bad.err());
        assertFalse(Files.exists(dir.resolve("other.csv")));
        final CliRun.Result verbose = CliRun.run("log", "export", "--in", logDir, "--out", dir.resolve("other.csv"),
            "--verbose");
        assertEquals(ExitCodes.IO_ERROR, verbose.exitCode(), verbose.toString());
        assertTrue(verbose.err().contains("at io.decide.engine.log.DecisionLogReader"), verbose.err());
    }

    @Test
    void aRequestIdTwiceInTheLogIsRejectedNamingBothRecords() throws Exception
    {
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(logDir).withMaxActions(4)))
        {
            final int a = log.artifactId("adslot");
            assertTrue(log.offer(5000, 1, 2, a, 3, DecisionLogDescriptor.KIND_AD_SLOT, 0, 0, 1.0, new double[]{1.0},
                1, null, 0));
            assertTrue(log.offer(1003, 1, 2, a, 3, DecisionLogDescriptor.KIND_AD_SLOT, 0, 0, 1.0, new double[]{1.0},
                1, null, 0));
        }
        final Path rewards = dir.resolve("rewards.csv");
        Files.writeString(rewards, "request_id,reward\n1000,1\n");
        final CliRun.Result result = CliRun.run("log", "join", "--log", logDir, "--rewards", rewards, "--out",
            dir.resolve("joined.csv"));
        assertEquals(ExitCodes.IO_ERROR, result.exitCode(), result.toString());
        assertEquals(1, result.errLines().size(), result.toString());
        assertTrue(result.err().matches("decide log join: .*: duplicate request_id 1003: record at segment-0+2\\.dlog " +
            "offset 4168, first at segment-0+0\\.dlog offset \\d+\n"), result.err());
    }

    @Test
    void logWithoutASubcommandIsAUsageError()
    {
        final CliRun.Result result = CliRun.run("log");
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertEquals(ExitCodes.OK, CliRun.run("log", "join", "--help").exitCode());
    }
}
