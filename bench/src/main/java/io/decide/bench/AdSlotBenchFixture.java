package io.decide.bench;

import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.adslot.AdSlotPolicyDescriptor;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.adslot.AdSlotArtifactBuilder;
import io.decide.tools.gbdt.xgboost.XGBoostJsonImporter;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The ad-slot policy the ad-slot benchmarks time: 6 slots, 2 positions, joint satisfaction (100 trees, depth 6) and
 * ad (100 trees, depth 5) models trained by xgboost4j on the GBDT benchmark data, 12 patterns, the session state in
 * features 90.., epsilon-greedy exploration with a floor and a holdout; and the context rows it is asked about.
 */
final class AdSlotBenchFixture
{
    /** Context rows the benchmarks cycle through (a power of two). */
    static final int ROWS = 1024;

    private AdSlotBenchFixture()
    {
    }

    /**
     * Write the policy into {@code dir} and open it.
     *
     * @param dir  directory for {@code adslot.dpol}.
     * @param name artifact name.
     * @return the open artifact (the caller closes it).
     * @throws Exception when a model cannot be trained or the artifact cannot be written or opened.
     */
    static LoadedArtifact open(final Path dir, final String name) throws Exception
    {
        final TreeEnsemble sat = XGBoostJsonImporter.read(new ByteArrayInputStream(GbdtModels.xgboostJson(100, 6)),
            "sat.json");
        final TreeEnsemble ads = XGBoostJsonImporter.read(new ByteArrayInputStream(GbdtModels.xgboostJson(100, 5)),
            "ads.json");
        final AdSlotArtifactBuilder builder = new AdSlotArtifactBuilder(name, 3);
        builder.policy().actionSpace(6, 2, 0b1, 1);
        builder.jointModels(sat, ads);
        for (int s = 0; s < AdSlotPolicyDescriptor.STATE_FEATURE_COUNT; s++)
        {
            builder.stateSlot(s, 90 + s);
        }
        builder.policy().lambda(0.8).epsilonGreedy(0.05).floor(0.002).holdout(1, 7);
        final Path file = ArtifactWriter.writeAtomically(dir.resolve("adslot.dpol"), builder.toBytes());
        return new ArtifactLoader(LoadOptions.defaults()).open(file);
    }

    /**
     * The benchmark rows cut to the decider's context width.
     *
     * @param decider the policy's decider.
     * @return {@link #ROWS} rows.
     */
    static double[][] rows(final AdSlotDecider decider)
    {
        final double[][] flat = GbdtModels.doubleRows(GbdtModels.benchmarkRows());
        final double[][] rows = new double[ROWS][];
        for (int r = 0; r < ROWS; r++)
        {
            rows[r] = Arrays.copyOf(flat[r], decider.contextFeatureCount());
        }
        return rows;
    }
}
