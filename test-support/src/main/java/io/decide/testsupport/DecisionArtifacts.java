package io.decide.testsupport;

import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtDescriptor;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.quota.QuotaDualDescriptor;
import io.decide.format.quota.QuotaDualWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * Small servable artifacts of every decision kind, written into a policy directory, for the tests of hosts (the
 * decision facade, the sidecar, the C ABI). File names are {@code NAME-vVERSION.dpol}.
 */
public final class DecisionArtifacts
{
    /** Features of {@link #gbdt} models. */
    public static final int GBDT_FEATURES = 8;

    private DecisionArtifacts()
    {
    }

    /**
     * Write a GBDT artifact of a random single-output ensemble.
     *
     * @param dir     policy directory.
     * @param name    artifact name.
     * @param version artifact version.
     * @param seed    seed of the ensemble (same seed, same model).
     * @return the ensemble written (its {@code predict} is the reference).
     * @throws IOException when the file cannot be written.
     */
    public static TreeEnsemble gbdt(final Path dir, final String name, final long version, final long seed)
        throws IOException
    {
        return gbdt(dir, name, version, seed, 16, 5);
    }

    /**
     * Write a GBDT artifact of a random single-output ensemble of a given size (large ones make slow decisions, for
     * overload tests).
     *
     * @param dir      policy directory.
     * @param name     artifact name.
     * @param version  artifact version.
     * @param seed     seed of the ensemble.
     * @param trees    number of trees.
     * @param maxDepth deepest tree.
     * @return the ensemble written.
     * @throws IOException when the file cannot be written.
     */
    public static TreeEnsemble gbdt(final Path dir, final String name, final long version, final long seed,
        final int trees, final int maxDepth) throws IOException
    {
        final TreeEnsemble ensemble = RandomEnsembles.ensemble(new Random(seed),
            new RandomEnsembles.Shape(GBDT_FEATURES, 1, trees, maxDepth, false, false));
        new ArtifactWriter(name, version)
            .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, GbdtSectionWriter.toBytes(ensemble))
            .writeTo(dir.resolve(name + "-v" + version + ".dpol"));
        return ensemble;
    }

    /**
     * Write a caller-valued QUOTA_DUAL artifact.
     *
     * @param dir     policy directory.
     * @param name    artifact name.
     * @param version artifact version.
     * @param costs   option costs, non-decreasing.
     * @param lambda  the dual λ.
     * @return the file.
     * @throws IOException when the file cannot be written.
     */
    public static Path quota(final Path dir, final String name, final long version, final double[] costs,
        final double lambda) throws IOException
    {
        return new ArtifactWriter(name, version)
            .addSection(SectionType.QUOTA_DUAL, QuotaDualDescriptor.VERSION,
                new QuotaDualWriter(costs).lambda(lambda).toBytes())
            .writeTo(dir.resolve(name + "-v" + version + ".dpol"));
    }
}
