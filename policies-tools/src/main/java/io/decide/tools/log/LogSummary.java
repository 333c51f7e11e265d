package io.decide.tools.log;

import io.decide.engine.log.TornTail;

import java.util.List;

/**
 * What an export or a join did.
 *
 * @param segments         segment files read.
 * @param records          records read (every artifact).
 * @param rows             rows written to log.csv (and dist.csv).
 * @param distColumns      K of dist.csv, or 0 when none was written.
 * @param withoutReward    join: log rows with no reward (not written); export: 0.
 * @param unmatchedRewards join: reward rows whose request id is not in the log; export: 0.
 * @param tornTails        torn tails the reader skipped.
 */
public record LogSummary(
    int segments,
    long records,
    long rows,
    int distColumns,
    long withoutReward,
    long unmatchedRewards,
    List<TornTail> tornTails)
{
}
