/**
 * Offline use of the decision log: export its records to the CSV files OPE reads ({@code log.csv}, {@code dist.csv})
 * and join rewards that arrive later, keyed by request id.
 */
package io.decide.tools.log;
