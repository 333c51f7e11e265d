package io.decide.tools.demo;

import io.decide.format.adslot.AdSlotPolicyWriter;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.OutputTransform;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.adslot.AdSlotArtifactBuilder;
import io.decide.tools.gbdt.GbdtArtifact;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Leaves, in the demo's policy directory, one servable artifact of every decision kind the sidecar answers, so
 * that {@code bin/decided --policies DIR} serves them at once: the demo's QUOTA_DUAL artifacts (copied up from
 * {@code quota/}), a small GBDT click model {@code ctr} (8 features, sigmoid output), the Opus loop's COHORT_SCALARS
 * artifact (copied up from {@code opus/}; its user→cohort table stays at {@code opus/users.cmap}, for
 * {@code --cohort-table}) and an ad-slot policy {@code feed} (5 feed slots, at most 2 ads, never in slot 0, static
 * baseline with ε-greedy exploration, {@value #FEED_FEATURES} context features; serve it with {@code --state-dir}).
 * RANK needs no artifact.
 */
public final class SidecarArtifacts
{
    /** Name of the GBDT artifact written. */
    public static final String CTR_NAME = "ctr";
    /** Features of the GBDT model. */
    public static final int CTR_FEATURES = 8;
    /** Name of the ad-slot artifact written. */
    public static final String FEED_NAME = "feed";
    /** Context features of the ad-slot artifact. */
    public static final int FEED_FEATURES = 4;
    /** The Opus loop's user→cohort table, relative to the policy directory. */
    public static final String COHORT_TABLE = "opus/users.cmap";

    private SidecarArtifacts()
    {
    }

    /**
     * Copy the quota artifacts up and write the GBDT artifact.
     *
     * @param policies the demo's policy directory.
     * @return the files written.
     * @throws IOException when a file cannot be copied or written.
     */
    public static List<Path> leaveIn(final Path policies) throws IOException
    {
        final List<Path> written = new ArrayList<>();
        copyUp(policies, policies.resolve("quota"), written);
        copyUp(policies, policies.resolve("opus"), written);
        final Path ctr = policies.resolve(CTR_NAME + "-v1.dpol");
        GbdtArtifact.writer(CTR_NAME, 1, clickModel(), "decide demo", 64, List.of()).writeTo(ctr);
        written.add(ctr);
        final Path feed = policies.resolve(FEED_NAME + "-v1.dpol");
        final AdSlotArtifactBuilder builder = new AdSlotArtifactBuilder(FEED_NAME, 1)
            .provenance("source", "decide demo").contextFeatures(FEED_FEATURES);
        builder.policy().actionSpace(AdSlotPolicyWriter.DEFAULT_SLOTS, AdSlotPolicyWriter.DEFAULT_MAX_ADS,
            AdSlotPolicyWriter.DEFAULT_FORBIDDEN, AdSlotPolicyWriter.DEFAULT_MIN_GAP).staticBaseline(2, 2)
            .epsilonGreedy(0.1);
        final Path temporary = policies.resolve("." + feed.getFileName() + ".tmp");
        Files.write(temporary, builder.toBytes());
        Files.move(temporary, feed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        written.add(feed);
        return written;
    }

    private static void copyUp(final Path policies, final Path from, final List<Path> written) throws IOException
    {
        if (!Files.isDirectory(from))
        {
            return;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(from, "*.dpol"))
        {
            for (final Path file : stream)
            {
                final Path target = policies.resolve(file.getFileName());
                final Path temporary = policies.resolve("." + file.getFileName() + ".tmp");
                Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                written.add(target);
            }
        }
    }

    /** @return the demo's click model: a fixed 40-tree ensemble of depth-2 trees over 8 features, logistic output. */
    public static TreeEnsemble clickModel()
    {
        final SplittableRandom random = new SplittableRandom(2026);
        final TreeEnsemble.Builder builder = TreeEnsemble.builder().featureCount(CTR_FEATURES)
            .transform(OutputTransform.SIGMOID).baseScores(-2.0);
        final int[] left = {1, 3, 5, -1, -1, -1, -1};
        final int[] right = {2, 4, 6, -1, -1, -1, -1};
        for (int t = 0; t < 40; t++)
        {
            final int[] feature = new int[7];
            final double[] threshold = new double[7];
            final double[] leaf = new double[7];
            final MissingRule[] missing = new MissingRule[7];
            for (int n = 0; n < 3; n++)
            {
                feature[n] = random.nextInt(CTR_FEATURES);
                threshold[n] = Math.round(random.nextDouble() * 100) / 100.0;
                missing[n] = MissingRule.NAN_DEFAULT;
            }
            for (int n = 3; n < 7; n++)
            {
                leaf[n] = Math.round((random.nextDouble() - 0.5) * 20) / 100.0;
            }
            builder.addTree(new Tree(0, 1.0, left, right, feature, threshold,
                new boolean[]{random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), false, false, false,
                    false}, missing, new int[7][], leaf));
        }
        return builder.build();
    }
}
