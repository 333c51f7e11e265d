package io.decide.testsupport;

import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.adslot.AdSlotPolicyDescriptor;
import io.decide.format.adslot.AdSlotPolicyWriter;
import io.decide.format.gbdt.GbdtDescriptor;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.quota.QuotaDualDescriptor;
import io.decide.format.quota.QuotaDualWriter;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsWriter;

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

    /** Bids of {@link #scalars} artifacts: bids 0 and 2 have a GBDT sensitivity model, bid 1 takes the table. */
    public static final int SCALAR_BIDS = 3;
    /** Cohorts per bid of {@link #scalars} artifacts. */
    public static final int SCALAR_COHORTS = 4;
    /** Context features of {@link #adSlot} artifacts (the last two are fed by the session state). */
    public static final int AD_SLOT_FEATURES = 6;

    /**
     * Write a COHORT_SCALARS artifact of {@link #SCALAR_BIDS} bids with {@link #SCALAR_COHORTS} cohorts each: bids 0
     * and 2 take their sensitivity from a random GBDT model over {@link #GBDT_FEATURES} features (outputs 0 and 1),
     * bid 1 has no model (its cohort comes from a user→cohort table, column 1). Default scalar of bid b is
     * {@code 1 + b / 10}.
     *
     * @param dir     policy directory.
     * @param name    artifact name.
     * @param version artifact version.
     * @param seed    seed of the sensitivity model.
     * @return the file.
     * @throws IOException when the file cannot be written.
     */
    public static Path scalars(final Path dir, final String name, final long version, final long seed)
        throws IOException
    {
        final TreeEnsemble model = RandomEnsembles.ensemble(new Random(seed),
            new RandomEnsembles.Shape(GBDT_FEATURES, 2, 8, 4, false, false));
        final CohortScalarsWriter section = new CohortScalarsWriter();
        for (int b = 0; b < SCALAR_BIDS; b++)
        {
            final double[] boundaries = {-0.5, 0.0, 0.5};
            final double[] scalars = {0.6 + 0.1 * b, 0.9, 1.2, 1.5 + 0.1 * b};
            final int ordinal = b == 1 ? CohortScalarsDescriptor.NO_MODEL : 0;
            section.addBid(100 + b, CohortScalarsDescriptor.INCREASING, CohortScalarsDescriptor.METHOD_MANUAL, 0.5,
                2.0, 1.0 + b / 10.0, boundaries, scalars, ordinal, b == 2 ? 1 : 0);
        }
        return new ArtifactWriter(name, version)
            .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, GbdtSectionWriter.toBytes(model))
            .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, section.toBytes())
            .writeTo(dir.resolve(name + "-v" + version + ".dpol"));
    }

    /**
     * Write an AD_SLOT_POLICY artifact: 5 slots, at most 2 ads, slot 0 forbidden, gap 1; {@link #AD_SLOT_FEATURES}
     * context features of which index 4 is fed the posts since the last ad and index 5 the session's ad impressions;
     * joint random GBDT models (SAT and ADS over the context plus ad count and mask), softmax exploration and a
     * probability floor, so every allowed pattern has a positive probability.
     *
     * @param dir     policy directory.
     * @param name    artifact name.
     * @param version artifact version.
     * @param seed    seed of the models.
     * @return the file.
     * @throws IOException when the file cannot be written.
     */
    public static Path adSlot(final Path dir, final String name, final long version, final long seed)
        throws IOException
    {
        final Random random = new Random(seed);
        final RandomEnsembles.Shape shape = new RandomEnsembles.Shape(AD_SLOT_FEATURES + 2, 1, 12, 4, false, false);
        final TreeEnsemble sat = RandomEnsembles.ensemble(random, shape);
        final TreeEnsemble ads = RandomEnsembles.ensemble(random, shape);
        final AdSlotPolicyWriter policy = new AdSlotPolicyWriter()
            .actionSpace(AdSlotPolicyWriter.DEFAULT_SLOTS, AdSlotPolicyWriter.DEFAULT_MAX_ADS,
                AdSlotPolicyWriter.DEFAULT_FORBIDDEN, AdSlotPolicyWriter.DEFAULT_MIN_GAP)
            .contextFeatures(AD_SLOT_FEATURES)
            .stateSlot(AdSlotPolicyDescriptor.STATE_POSTS_SINCE_LAST_AD, 4)
            .stateSlot(AdSlotPolicyDescriptor.STATE_SESSION_AD_IMPRESSIONS, 5)
            .jointModels(0, 1).lambda(0.7).softmax(0.5).floor(0.01);
        return new ArtifactWriter(name, version)
            .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, GbdtSectionWriter.toBytes(sat))
            .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION, GbdtSectionWriter.toBytes(ads))
            .addSection(SectionType.AD_SLOT_POLICY, AdSlotPolicyDescriptor.VERSION, policy.toBytes())
            .writeTo(dir.resolve(name + "-v" + version + ".dpol"));
    }
}
