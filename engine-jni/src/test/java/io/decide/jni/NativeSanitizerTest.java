package io.decide.jni;

import io.decide.testsupport.DecisionArtifacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -Pnative-check}: libdecide.so and decide_test built with AddressSanitizer and UBSan (make asan) run the
 * error paths, the Java-equality run, a reload run and a short multi-threaded run with the real JVM in the process.
 * <ul>
 *   <li>Memory errors (out-of-bounds, use-after-free, double free) and undefined behaviour in the C library or the
 *   test program abort the program: any {@code ERROR: AddressSanitizer} other than the leak summary, or any UBSan
 *   {@code runtime error}, fails the test.</li>
 *   <li>Leaks: the JVM's own signal use needs {@code handle_segv=0} (and the other signal handlers off);
 *   LeakSanitizer's scan of thread stacks and TLS faults on the JVM's guard pages, so it runs with
 *   {@code use_stacks=0:use_tls=0:use_registers=0}, which makes the JVM's allocations referenced only from its
 *   stacks look leaked. A leak counts against us when the frame that called malloc is in engine-jni's own C
 *   sources (decide.c or the test program); every reported leak's allocating frame is checked.</li>
 * </ul>
 */
@EnabledIfSystemProperty(named = "decide.jni.sanitize", matches = "true")
final class NativeSanitizerTest
{
    private static final Map<String, String> SANITIZER_ENV = Map.of(
        "ASAN_OPTIONS", "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:" +
            "detect_leaks=1",
        "LSAN_OPTIONS", "use_stacks=0:use_tls=0:use_registers=0:exitcode=0",
        "UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1");

    @TempDir
    static Path temp;
    static Path policies;
    static Path withBroken;

    @BeforeAll
    static void writePolicies() throws IOException
    {
        policies = TestPolicies.write(temp.resolve("policies"));
        withBroken = TestPolicies.writeWithBroken(temp.resolve("with-broken"));
    }

    private static NativePrograms.Run runSanitized(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(NativePrograms.nativeDir().resolve("asan").resolve("decide_test").toString());
        command.addAll(List.of(args));
        final NativePrograms.Run run = NativePrograms.run(SANITIZER_ENV, 600, command.toArray(String[]::new));
        assertClean(run);
        return run;
    }

    static void assertClean(final NativePrograms.Run run)
    {
        final List<String> lines = run.stderr().lines().toList();
        int leaks = 0;
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            assertTrue(!line.contains("runtime error:"), () -> "UBSan: " + line + "\n" + run.describe());
            if (line.contains("ERROR: AddressSanitizer") || line.contains("ERROR: LeakSanitizer"))
            {
                assertTrue(line.contains("detected memory leaks"), () -> "sanitizer: " + line + "\n" + run.describe());
            }
            if (line.startsWith("Direct leak") || line.startsWith("Indirect leak"))
            {
                leaks++;
                final String allocator = i + 2 < lines.size() ? lines.get(i + 2) : "";
                assertTrue(allocator.trim().startsWith("#1"), () -> "unexpected leak report shape: " + allocator);
                assertTrue(!allocator.contains("engine-jni/src/"),
                    () -> "leak allocated by engine-jni's C code: " + line + " " + allocator);
            }
        }
        System.out.println("sanitizer run: " + leaks + " leak reports, none allocated by engine-jni's C code");
    }

    @Test
    void errorPathsAreCleanUnderAsan() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
        final NativePrograms.Run run = runSanitized("errors", policies.toString(), withBroken.toString(),
            file.toString());
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains(" checks, 0 failed"), run::describe);
    }

    @Test
    void decisionsAreCleanAndEqualUnderAsan() throws Exception
    {
        final NativePrograms.Run run = runSanitized("equal", policies.toString(), "300", "11");
        assertEquals(0, run.exitCode(), run::describe);
        try (JavaReference reference = new JavaReference(policies))
        {
            assertEquals(3 * 300 + 2, reference.verify(run.lines()));
        }
    }

    @Test
    void reloadIsCleanUnderAsan() throws Exception
    {
        final Path dir = TestPolicies.write(temp.resolve("reload"));
        final Path staging = Files.createDirectories(temp.resolve("staging"));
        DecisionArtifacts.gbdt(staging, "ctr", 4, 2);
        DecisionArtifacts.gbdt(staging, "ctr", 5, 3);
        final Path bad = staging.resolve("ctr-v5.dpol");
        final byte[] bytes = Files.readAllBytes(bad);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(bad, bytes);
        final NativePrograms.Run run = runSanitized("reload", dir.toString(), staging.resolve("ctr-v4.dpol").toString(),
            bad.toString());
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains(" checks, 0 failed"), run::describe);
    }

    @Test
    void threadsAttachingAndDetachingAreCleanUnderAsan() throws Exception
    {
        final NativePrograms.Run run = runSanitized("stress", policies.toString(), "4", "3", "1000000");
        assertEquals(0, run.exitCode(), run::describe);
    }
}
