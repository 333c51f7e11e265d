package io.decide.jni;

import io.decide.testsupport.DecisionArtifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The policy directories the C programs decide on: "ctr" (GBDT, 8 features, v3) and "quota" (4 options, v2); and
 * a directory that also holds a corrupt artifact "broken". Also a command-line program for examples/c/run.sh.
 */
public final class TestPolicies
{
    /** Option costs of the "quota" artifact. */
    static final double[] QUOTA_COSTS = {0.0, 1.0, 2.0, 4.0};
    /** λ of the "quota" artifact. */
    static final double QUOTA_LAMBDA = 0.4;

    private TestPolicies()
    {
    }

    /**
     * Write the example policies into a directory.
     *
     * @param args the directory.
     * @throws IOException when it cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            System.err.println("usage: TestPolicies DIR");
            System.exit(64);
        }
        write(Path.of(args[0]));
        System.out.println("wrote ctr-v3.dpol (GBDT, 8 features) and quota-v2.dpol (QUOTA_DUAL, 4 options) to " +
            args[0]);
    }

    static Path write(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        DecisionArtifacts.gbdt(dir, "ctr", 3, 1);
        DecisionArtifacts.quota(dir, "quota", 2, QUOTA_COSTS, QUOTA_LAMBDA);
        return dir;
    }

    static Path writeWithBroken(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        DecisionArtifacts.gbdt(dir, "ctr", 3, 1);
        final Path broken = DecisionArtifacts.quota(dir, "broken", 1, QUOTA_COSTS, QUOTA_LAMBDA);
        final byte[] bytes = Files.readAllBytes(broken);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(broken, bytes);
        return dir;
    }
}
