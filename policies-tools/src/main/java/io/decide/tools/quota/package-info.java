/**
 * Offline creative quota (ACQ): item inputs (items.csv, items.bin), the dual-bisection solver, value-curve checks
 * and repair, instance and pacing simulators, and UCB explore scores.
 */
package io.decide.tools.quota;
