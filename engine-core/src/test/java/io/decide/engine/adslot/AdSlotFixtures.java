package io.decide.engine.adslot;

import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.adslot.AdSlotPolicyDescriptor;
import io.decide.format.adslot.AdSlotPolicyWriter;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.testsupport.RandomEnsembles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** Ad-slot artifacts for the tests: hand-made models with known rewards, and random ones. */
final class AdSlotFixtures
{
    private AdSlotFixtures()
    {
    }

    /**
     * A one-tree model whose raw output is {@code leaves[k]} when feature f is k (k = 0..leaves-1; beyond, the
     * last): a chain of splits at 0.5, 1.5, ....
     */
    static TreeEnsemble lookup(final int features, final int feature, final double... leaves)
    {
        final int splits = leaves.length - 1;
        final int nodes = 2 * splits + 1;
        final int[] left = new int[nodes];
        final int[] right = new int[nodes];
        final int[] feat = new int[nodes];
        final double[] threshold = new double[nodes];
        final boolean[] defaultLeft = new boolean[nodes];
        final MissingRule[] missing = new MissingRule[nodes];
        final double[] value = new double[nodes];
        java.util.Arrays.fill(left, -1);
        java.util.Arrays.fill(right, -1);
        for (int s = 0; s < splits; s++)
        {
            final int node = 2 * s;
            left[node] = node + 1;
            right[node] = node + 2;
            feat[node] = feature;
            threshold[node] = s + 0.5;
            defaultLeft[node] = true;
            missing[node] = MissingRule.NAN_DEFAULT;
            value[node + 1] = leaves[s];
        }
        value[nodes - 1] = leaves[splits];
        final Tree tree = new Tree(0, 1.0, left, right, feat, threshold, defaultLeft, missing, new int[nodes][], value);
        return TreeEnsemble.builder().featureCount(features).baseScores(0.0).addTree(tree).build();
    }

    static TreeEnsemble random(final long seed, final int features, final int trees, final int depth)
    {
        return RandomEnsembles.ensemble(new Random(seed),
            new RandomEnsembles.Shape(features, 1, trees, depth, false, false));
    }

    static LoadedArtifact load(
        final Path dir, final String name, final long version, final AdSlotPolicyWriter policy,
        final TreeEnsemble... models) throws IOException
    {
        final ArtifactWriter writer = new ArtifactWriter(name, version);
        for (final TreeEnsemble model : models)
        {
            writer.addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(model));
        }
        writer.addSection(SectionType.AD_SLOT_POLICY, AdSlotPolicyDescriptor.VERSION, policy.toBytes());
        final Path file = writer.writeTo(dir.resolve(name + "-" + version + ".dpol"));
        return new ArtifactLoader(LoadOptions.defaults()).open(file);
    }
}
