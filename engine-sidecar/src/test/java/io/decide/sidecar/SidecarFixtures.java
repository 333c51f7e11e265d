package io.decide.sidecar;

import io.decide.engine.rank.CandidateBatchDescriptor;
import io.decide.engine.rank.CandidateBatchWriter;
import io.decide.sidecar.daemon.Daemon;
import io.decide.sidecar.daemon.DaemonConfig;
import io.decide.sidecar.metrics.StructuredLog;
import io.decide.testsupport.DecisionArtifacts;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Policy directories, daemons and candidate batches for the sidecar tests. */
public final class SidecarFixtures
{
    /** Quota option costs of the fixture artifact. */
    public static final double[] COSTS = {0, 1, 2, 3, 5};

    private SidecarFixtures()
    {
    }

    /**
     * A policy directory with a GBDT artifact "ctr" v1 and a quota artifact "quota" v1.
     *
     * @param dir directory to fill.
     * @return the policy directory.
     * @throws IOException when writing fails.
     */
    public static Path policies(final Path dir) throws IOException
    {
        final Path policies = Files.createDirectories(dir.resolve("policies"));
        DecisionArtifacts.gbdt(policies, "ctr", 1, 11);
        DecisionArtifacts.quota(policies, "quota", 1, COSTS, 0.5);
        return policies;
    }

    /**
     * Start an in-process daemon on every transport (UDS, TCP on a free loopback port, shm).
     *
     * @param dir      scratch directory (sockets, shm file).
     * @param policies policy directory.
     * @param extra    more settings (property to value).
     * @return the daemon.
     * @throws IOException when it cannot start.
     */
    public static Daemon daemon(final Path dir, final Path policies, final Map<String, String> extra)
        throws IOException
    {
        final Map<String, String> settings = new HashMap<>();
        settings.put("decided.policies", policies.toString());
        settings.put("decided.uds", dir.resolve("d.sock").toString());
        settings.put("decided.tcp", "127.0.0.1:0");
        settings.put("decided.shm", dir.resolve("d.shm").toString());
        settings.put("decided.admin", "127.0.0.1:0");
        settings.put("decided.shm-slots", "8");
        settings.put("decided.watch-interval-ms", "200");
        settings.putAll(extra);
        return Daemon.start(DaemonConfig.from(null, settings), quietLog());
    }

    /** @return a log that discards everything (tests stay readable). */
    public static StructuredLog quietLog()
    {
        return new StructuredLog(new PrintStream(OutputStream.nullOutputStream()), false);
    }

    /**
     * @param dir    scratch directory.
     * @param daemon a daemon from {@link #daemon}.
     * @return its three targets: uds, tcp, shm.
     */
    public static String[] targets(final Path dir, final Daemon daemon)
    {
        return new String[]{
            "uds:" + dir.resolve("d.sock"),
            "tcp:127.0.0.1:" + daemon.tcpAddress().getPort(),
            "shm:" + dir.resolve("d.shm")};
    }

    /**
     * A random candidate batch at offset 0 of its own buffer.
     *
     * @param seed seed.
     * @param n    candidates.
     * @param q    quality events.
     * @return the buffer.
     */
    public static UnsafeBuffer batch(final long seed, final int n, final int q)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(
            (int)CandidateBatchDescriptor.batchLength(n, q)));
        final CandidateBatchWriter writer = new CandidateBatchWriter().wrap(buffer, 0).header(n, q);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++)
        {
            writer.ecpm(i, random.nextDouble() * 10);
            for (int j = 0; j < q; j++)
            {
                writer.pQuality(i, j, random.nextDouble() * 0.2);
            }
        }
        return buffer;
    }

    /**
     * A policy directory with the fixture artifacts of {@link #policies} plus a scalar artifact "opus" v1 and an
     * ad-slot artifact "feed" v1.
     *
     * @param dir directory to fill.
     * @return the policy directory.
     * @throws IOException when writing fails.
     */
    public static Path allKinds(final Path dir) throws IOException
    {
        final Path policies = policies(dir);
        DecisionArtifacts.scalars(policies, "opus", 1, 21);
        DecisionArtifacts.adSlot(policies, "feed", 1, 5);
        return policies;
    }

    /**
     * A user→cohort table over users 0..users-1 for the {@link DecisionArtifacts#scalars} bids (cohort of bid b for
     * user u: {@code (u + b) % 5}, so some are out of range and get the default).
     *
     * @param file  the table file.
     * @param users how many users.
     * @return the file.
     * @throws IOException when it cannot be written.
     */
    public static Path cohortTable(final Path file, final int users) throws IOException
    {
        try (io.decide.engine.cohort.CohortTable table =
            io.decide.engine.cohort.CohortTable.create(file, DecisionArtifacts.SCALAR_BIDS, users))
        {
            for (int u = 0; u < users; u++)
            {
                final byte[] cohorts = new byte[DecisionArtifacts.SCALAR_BIDS];
                for (int b = 0; b < cohorts.length; b++)
                {
                    cohorts[b] = (byte)((u + b) % (DecisionArtifacts.SCALAR_COHORTS + 1));
                }
                table.put(u, cohorts);
            }
        }
        return file;
    }
}
