/**
 * Per-user cohorts: {@link io.decide.engine.cohort.CohortTable}, a persisted Chronicle Map from user id to the
 * user's cohort for each quality bid, read allocation-free through a per-thread
 * {@link io.decide.engine.cohort.CohortReader}.
 */
package io.decide.engine.cohort;
