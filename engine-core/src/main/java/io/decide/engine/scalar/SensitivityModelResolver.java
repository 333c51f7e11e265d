package io.decide.engine.scalar;

import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.network.DenseNetworkEvaluator;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.scalars.CohortScalarsFlyweight;

/**
 * Finds the sensitivity model a COHORT_SCALARS bid block names, once, when a {@link ScalarDecider} is built. This is
 * where a further model kind plugs in: a resolver that reads the bid block's model fields and returns the matching
 * {@link SensitivityModel}. Load time only; may allocate and throw.
 */
@FunctionalInterface
public interface SensitivityModelResolver
{
    /**
     * The model kinds the format defines: a bid with {@code modelOrdinal >= 0} takes its sensitivity from output
     * {@code modelOutput} of GBDT_ENSEMBLE {@code #modelOrdinal} (raw margin, {@link GbdtSensitivityModel}) when
     * {@code modelKind} is {@link CohortScalarsDescriptor#MODEL_GBDT}, or of DENSE_NETWORK {@code #modelOrdinal}
     * ({@link NetworkSensitivityModel}) when it is {@link CohortScalarsDescriptor#MODEL_NETWORK}; -1 means no model.
     */
    SensitivityModelResolver BUILT_IN = (artifact, bid) ->
    {
        if (bid.modelOrdinal() < 0)
        {
            return null;
        }
        switch (bid.modelKind())
        {
            case CohortScalarsDescriptor.MODEL_GBDT:
                return new GbdtSensitivityModel(GbdtEvaluator.of(artifact, bid.modelOrdinal()));
            case CohortScalarsDescriptor.MODEL_NETWORK:
                return new NetworkSensitivityModel(DenseNetworkEvaluator.of(artifact, bid.modelOrdinal()));
            default:
                throw new IllegalArgumentException("bid " + bid.bidId() + ": unknown model kind " + bid.modelKind());
        }
    };

    /**
     * @param artifact the artifact being read.
     * @param bid      the bid block, positioned (read its model fields; do not keep it).
     * @return the model whose output {@code bid.modelOutput()} is the bid's sensitivity, or null when the bid has no
     *         model (its cohorts come from a table or the caller).
     * @throws IllegalArgumentException when the block names a model this resolver cannot provide.
     */
    SensitivityModel<?> resolve(LoadedArtifact artifact, CohortScalarsFlyweight bid);
}
