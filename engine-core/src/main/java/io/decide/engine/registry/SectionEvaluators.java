package io.decide.engine.registry;

import io.decide.format.vectors.VectorEvaluator;

/**
 * Creates the evaluator that replays verification vectors against one section of an artifact being loaded.
 * Each decider that owns a section type registers one (see {@link LoadOptions#withEvaluators}).
 */
@FunctionalInterface
public interface SectionEvaluators
{
    /**
     * @param artifact     the artifact being loaded (already validated).
     * @param sectionIndex table index of the targeted section.
     * @return an evaluator, or null when vectors for this section cannot be replayed by this engine.
     */
    VectorEvaluator create(LoadedArtifact artifact, int sectionIndex);
}
