/**
 * Ranking with personalised quality scalars (early-stage CQS): {@link io.decide.engine.rank.Ranker} scores an
 * off-heap {@link io.decide.engine.rank.CandidateBatchDescriptor candidate batch} and selects the top K, no allocation.
 */
package io.decide.engine.rank;
