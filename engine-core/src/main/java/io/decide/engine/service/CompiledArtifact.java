package io.decide.engine.service;

import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.scalar.ScalarDecider;
import io.decide.format.SectionType;
import io.decide.format.quota.QuotaDualDescriptor;
import io.decide.format.quota.QuotaDualFlyweight;

import java.util.Arrays;

/**
 * The deciders of one loaded artifact version, built once (off the decision path) when the version starts serving.
 * The GBDT evaluator, the quota, scalar and ad-slot deciders live on the heap and never read the mapping, so a version kept as the
 * "last good" of its name stays usable after the registry unmaps it.
 */
final class CompiledArtifact
{
    final LoadedArtifact artifact;
    final long version;
    final GbdtEvaluator gbdt;
    final double[] gbdtMissingRow;
    final QuotaDecider quota;
    final int quotaFeatureCount;
    final ScalarDecider scalar;
    final AdSlotDecider adSlot;

    private CompiledArtifact(
        final LoadedArtifact artifact,
        final GbdtEvaluator gbdt,
        final double[] gbdtMissingRow,
        final QuotaDecider quota,
        final int quotaFeatureCount,
        final ScalarDecider scalar,
        final AdSlotDecider adSlot)
    {
        this.artifact = artifact;
        this.version = artifact.version();
        this.gbdt = gbdt;
        this.gbdtMissingRow = gbdtMissingRow;
        this.quota = quota;
        this.quotaFeatureCount = quotaFeatureCount;
        this.scalar = scalar;
        this.adSlot = adSlot;
    }

    /**
     * Build the deciders of a validated artifact. Must run while the artifact is mapped (on the loading thread, or
     * inside a reader scope that holds it).
     */
    static CompiledArtifact of(final LoadedArtifact artifact)
    {
        GbdtEvaluator gbdt = null;
        double[] missing = null;
        if (artifact.layout().indexOf(SectionType.GBDT_ENSEMBLE, 0) >= 0)
        {
            gbdt = GbdtEvaluator.of(artifact, 0);
            final double[] row = new double[gbdt.featureCount()];
            Arrays.fill(row, Double.NaN);
            missing = new double[gbdt.transformedCount()];
            final GbdtContext context = gbdt.newContext();
            gbdt.predict(row, missing, context);
        }
        QuotaDecider quota = null;
        int quotaFeatures = 0;
        final int quotaIndex = artifact.layout().indexOf(SectionType.QUOTA_DUAL, 0);
        if (quotaIndex >= 0)
        {
            quota = QuotaDecider.of(artifact, 0);
            if (quota.modelValued())
            {
                final QuotaDualFlyweight q = new QuotaDualFlyweight().wrap(
                    artifact.buffer(), artifact.layout().sectionOffset(quotaIndex));
                if (q.valueSource() == QuotaDualDescriptor.SOURCE_GBDT)
                {
                    quotaFeatures = GbdtEvaluator.of(artifact, q.gbdtOrdinal()).featureCount();
                }
            }
        }
        final ScalarDecider scalar = artifact.layout().indexOf(SectionType.COHORT_SCALARS, 0) >= 0 ?
            ScalarDecider.of(artifact) : null;
        final AdSlotDecider adSlot = artifact.layout().indexOf(SectionType.AD_SLOT_POLICY, 0) >= 0 ?
            AdSlotDecider.of(artifact, 0) : null;
        return new CompiledArtifact(artifact, gbdt, missing, quota, quotaFeatures, scalar, adSlot);
    }

    /** @return which decision kinds this version can answer. */
    boolean serves(final DecisionKind kind)
    {
        return switch (kind)
        {
            case GBDT_PREDICT -> gbdt != null;
            case QUOTA -> quota != null;
            case SCALAR -> scalar != null;
            case AD_SLOT -> adSlot != null;
            default -> false;
        };
    }
}
