package io.decide.jni;

import io.decide.testsupport.DecisionArtifacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the C programs built by the Makefile against libdecide.so, each in its own process with an embedded JVM:
 * every decision through the C ABI equals the Java API's, every error path returns its code and message, 8 native
 * threads decide concurrently with attach/detach churn (RSS checked), and both examples run.
 */
final class NativeAbiTest
{
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

    private static String program(final String name)
    {
        return NativePrograms.nativeDir().resolve(name).toString();
    }

    @Test
    void everyDecisionEqualsTheJavaApi() throws Exception
    {
        final NativePrograms.Run run = NativePrograms.run(Map.of(), 300, program("decide_test"), "equal",
            policies.toString(), "2000", "7");
        assertEquals(0, run.exitCode(), run::describe);
        try (JavaReference reference = new JavaReference(policies))
        {
            assertEquals(3 * 2000 + 2, reference.verify(run.lines()), run::describe);
        }
        assertTrue(run.stdout().contains("P quota -2 "), "predict on a quota artifact is WRONG_KIND");
    }

    @Test
    void errorPathsReturnTheirCodesAndMessages() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
        final NativePrograms.Run run = NativePrograms.run(Map.of(), 300, program("decide_test"), "errors",
            policies.toString(), withBroken.toString(), file.toString());
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains(" checks, 0 failed"), run::describe);
    }

    @Test
    void reloadSwapsInANewVersionAndKeepsItWhenTheNextIsCorrupt() throws Exception
    {
        final Path dir = TestPolicies.write(temp.resolve("reload"));
        final Path staging = Files.createDirectories(temp.resolve("staging"));
        DecisionArtifacts.gbdt(staging, "ctr", 4, 2);
        DecisionArtifacts.gbdt(staging, "ctr", 5, 3);
        final Path bad = staging.resolve("ctr-v5.dpol");
        final byte[] bytes = Files.readAllBytes(bad);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(bad, bytes);
        final NativePrograms.Run run = NativePrograms.run(Map.of(), 300, program("decide_test"), "reload",
            dir.toString(), staging.resolve("ctr-v4.dpol").toString(), bad.toString());
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains(" checks, 0 failed"), run::describe);
    }

    @Test
    void aClassPathWithoutTheBridgeIsAJvmError() throws Exception
    {
        final NativePrograms.Run run = NativePrograms.run(Map.of("DECIDE_CLASSPATH", temp.toString()), 300,
            program("decide_test"), "bad-classpath", policies.toString());
        assertEquals(0, run.exitCode(), run::describe);
    }

    /**
     * 8 threads for {@code decide.jni.stress.seconds} (3 s by default, 10 s and at least 10M decisions with
     * {@code -Pnative-soak}) plus a thread that keeps starting short-lived deciding threads; the engine allows only 12
     * contexts, so threads that did not give theirs back at exit would fail. RSS may grow at most 24 MB from a third
     * of the run to its end (the JVM heap is fixed and pre-touched).
     */
    @Test
    void eightNativeThreadsDecideConcurrently() throws Exception
    {
        final int seconds = Integer.getInteger("decide.jni.stress.seconds", 3);
        final long calls = Long.getLong("decide.jni.stress.calls", 0);
        final NativePrograms.Run run = NativePrograms.run(Map.of(), seconds + 1500L, program("decide_test"),
            "stress", policies.toString(), "8", Integer.toString(seconds), Integer.toString(24 * 1024),
            Long.toString(calls));
        final String summary = run.lines().stream().filter(l -> l.startsWith("stress:")).findFirst().orElse("");
        System.out.println(summary);
        assertEquals(0, run.exitCode(), run::describe);
        try (JavaReference reference = new JavaReference(policies))
        {
            assertEquals(2 * 256 + 32, reference.verify(run.lines()), run::describe);
        }
    }

    @Test
    void cExampleRuns() throws Exception
    {
        final NativePrograms.Run run = NativePrograms.run(Map.of(), 300, program("example_c"), policies.toString(),
            "20000");
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains("artifact 'ctr' v3: predict"), run::describe);
        assertTrue(run.stdout().contains("latency predict"), run::describe);
        assertTrue(run.stdout().contains("latency quota"), run::describe);
        assertTrue(run.stdout().contains("rank top 5 of 100"), run::describe);
    }

    @Test
    void runScriptBuildsAndRunsTheCExample() throws Exception
    {
        final Path script = Path.of(System.getProperty("decide.examples.dir", "../examples"), "c", "run.sh");
        final NativePrograms.Run run = NativePrograms.run(Map.of("DECIDE_EXAMPLE_CALLS", "5000"), 300, "bash",
            script.toString(), policies.toString());
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains("latency predict"), run::describe);
    }

    @Test
    void cppAuctionLoopRuns() throws Exception
    {
        final NativePrograms.Run run = NativePrograms.run(Map.of(), 300, program("example_cpp"),
            policies.toString(), "500");
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.stdout().contains("auctions: 500, slots filled: 1500"), run::describe);
    }
}
