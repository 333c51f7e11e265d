package io.decide.jni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the C programs the Makefile built (target/native) with the environment the embedded JVM needs. */
final class NativePrograms
{
    /** Heap of the JVM the C programs start: small and pre-sized so RSS reflects leaks, not heap growth. */
    static final String JVM_OPTIONS = "-Xms128m -Xmx128m -XX:+UseSerialGC -XX:+AlwaysPreTouch";

    private NativePrograms()
    {
    }

    /** @return the directory holding libdecide.so and the programs. */
    static Path nativeDir()
    {
        return Path.of(System.getProperty("decide.native.dir", "target/native"));
    }

    /** Result of one run. */
    record Run(int exitCode, String stdout, String stderr)
    {
        List<String> lines()
        {
            return stdout.lines().toList();
        }

        String describe()
        {
            return "exit " + exitCode + "\n--- stdout (tail) ---\n" + tail(stdout) + "\n--- stderr (tail) ---\n" +
                tail(stderr);
        }

        private static String tail(final String text)
        {
            return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
        }
    }

    static Run run(final Map<String, String> extraEnv, final long timeoutSeconds, final String... command)
        throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>(List.of(command));
        final ProcessBuilder builder = new ProcessBuilder(cmd);
        final Map<String, String> env = builder.environment();
        env.put("DECIDE_CLASSPATH", System.getProperty("java.class.path"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("DECIDE_JVM_OPTIONS", JVM_OPTIONS);
        env.putAll(extraEnv);
        final Path out = Files.createTempFile("decide-native", ".out");
        final Path err = Files.createTempFile("decide-native", ".err");
        try
        {
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            final Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor();
                fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s\n" +
                    new Run(-1, Files.readString(out), Files.readString(err)).describe());
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
