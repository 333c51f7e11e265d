package io.decide.engine.scalar;

import io.decide.engine.gbdt.GbdtEvaluator;
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
     * Today's artifacts: a bid with {@code modelOrdinal >= 0} takes its sensitivity from raw margin
     * {@code modelOutput} of GBDT_ENSEMBLE {@code #modelOrdinal} ({@link GbdtSensitivityModel}); -1 means no model.
     */
    SensitivityModelResolver GBDT = (artifact, bid) -> bid.modelOrdinal() < 0 ? null :
        new GbdtSensitivityModel(GbdtEvaluator.of(artifact, bid.modelOrdinal()));

    /**
     * @param artifact the artifact being read.
     * @param bid      the bid block, positioned (read its model fields; do not keep it).
     * @return the model whose output {@code bid.modelOutput()} is the bid's sensitivity, or null when the bid has no
     *         model (its cohorts come from a table or the caller).
     * @throws IllegalArgumentException when the block names a model this resolver cannot provide.
     */
    SensitivityModel<?> resolve(LoadedArtifact artifact, CohortScalarsFlyweight bid);
}
