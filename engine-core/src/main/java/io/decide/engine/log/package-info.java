/**
 * The durable decision log: {@link io.decide.engine.log.DecisionLog} hands each decision off the hot path (LMAX
 * Disruptor, no allocation) to a writer of segmented, memory-mapped, checksummed files that
 * {@link io.decide.engine.log.DecisionLogReader} reads back, detecting and skipping a torn tail after a crash.
 */
package io.decide.engine.log;
