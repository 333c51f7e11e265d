package io.decide.engine.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM ({@link DecisionLogCrashChild}, started with the project's flags from jvm.properties and the test
 * classpath) writes the log continuously and is killed with SIGKILL ({@link Process#destroyForcibly()}) while
 * writing. Every record it reported as written before the kill must read back, in order and intact, and nothing
 * after a torn tail may be invented.
 */
class DecisionLogCrashTest
{
    private static final long SEGMENT_BYTES = 2L << 20;
    private static final long KILL_AFTER = 300_000;

    @TempDir
    Path dir;

    @Test
    void everyRecordWrittenBeforeKillNineReadsBack() throws Exception
    {
        for (int round = 0; round < 3; round++)
        {
            final Path logDir = dir.resolve("round-" + round);
            final long reported = runAndKill(logDir, KILL_AFTER + round * 150_000L);
            final List<TornTail> tears = new ArrayList<>();
            final long read;
            try (DecisionLogReader reader = DecisionLogReader.open(logDir))
            {
                long r = 0;
                while (reader.next())
                {
                    LogFixtures.check(reader, r, LogFixtures.ADSLOT, DecisionLogCrashChild.MAX_ACTIONS,
                        DecisionLogCrashChild.MAX_FEATURES);
                    r++;
                }
                read = r;
                tears.addAll(reader.tornTails());
                final List<Path> segments = reader.segments();
                assertTrue(segments.size() >= 3, "segments " + segments.size());
                for (final TornTail tear : tears)
                {
                    assertEquals(segments.get(segments.size() - 1), tear.file(), tear.toString());
                }
            }
            assertTrue(read >= reported, "read " + read + " records, the child had reported " + reported);
            assertTrue(tears.size() <= 1, tears.toString());
            System.out.println("crash round " + round + ": child reported " + reported + " written, read back " +
                read + (tears.isEmpty() ? ", no torn tail" : ", " + tears.get(0)));
        }
    }

    /** @return the last "written N" the child printed before it was killed. */
    private static long runAndKill(final Path logDir, final long killAfter) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DecisionLogCrashChild.class.getName());
        command.add(logDir.toString());
        command.add(Long.toString(SEGMENT_BYTES));
        final Path stderr = Files.createTempFile("decide-crash-child", ".err");
        final Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        final AtomicLong written = new AtomicLong(-1);
        final Thread pump = new Thread(() -> pump(child, written));
        pump.setDaemon(true);
        pump.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (written.get() < killAfter && child.isAlive() && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        if (!child.isAlive() || written.get() < killAfter)
        {
            child.destroyForcibly().waitFor();
            fail("child " + (child.isAlive() ? "too slow" : "exited " + child.exitValue()) + " after reporting " +
                written.get() + " records; stderr: " + Files.readString(stderr));
        }
        final long reported = written.get();
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        pump.join(10_000);
        assertEquals(137, child.exitValue(), "expected death by SIGKILL (128 + 9)");
        Files.deleteIfExists(stderr);
        return Math.max(reported, written.get());
    }

    private static void pump(final Process child, final AtomicLong written)
    {
        try (Reader in = new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8);
            BufferedReader lines = new BufferedReader(in))
        {
            String line;
            while ((line = lines.readLine()) != null)
            {
                final String[] words = line.split(" ");
                if (words.length == 4 && words[0].equals("written"))
                {
                    written.set(Long.parseLong(words[1]));
                    if (!words[3].equals("0"))
                    {
                        written.set(Long.MIN_VALUE);
                    }
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            // The child was killed mid-line; the last complete line counts.
        }
    }

    /** @return the flags in the project's jvm.properties, found from the module directory upwards. */
    static List<String> jvmFlags() throws IOException
    {
        Path at = Path.of("").toAbsolutePath();
        while (at != null && !Files.exists(at.resolve("jvm.properties")))
        {
            at = at.getParent();
        }
        if (at == null)
        {
            fail("jvm.properties not found above " + Path.of("").toAbsolutePath());
        }
        final Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(at.resolve("jvm.properties")))
        {
            properties.load(in);
        }
        final String flags = properties.getProperty("decide.jvm.flags", "").trim();
        return flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
    }
}
