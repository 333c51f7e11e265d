/**
 * Offline per-user cohort tables: reads users.csv ({@link io.decide.tools.cohort.UsersCsv}) and writes the
 * engine's Chronicle Map {@link io.decide.engine.cohort.CohortTable} file atomically.
 */
package io.decide.tools.cohort;
