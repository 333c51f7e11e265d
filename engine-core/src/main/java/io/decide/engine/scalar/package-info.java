/**
 * Personalised quality scalars (Opus) at request time: {@link io.decide.engine.scalar.ScalarDecider} resolves each
 * quality bid's cohort (user→cohort table, sensitivity model, or the caller) and writes all bids' scalars into a
 * caller-provided array with no allocation; {@link io.decide.engine.scalar.ScalarRanking} feeds them to the ranker.
 */
package io.decide.engine.scalar;
