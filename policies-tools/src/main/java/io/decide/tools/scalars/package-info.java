/**
 * Opus offline tools: RCT responses reader, per-cohort least-squares fits, the exact Lagrangian solver for the
 * lp / lp-sorted / lpqc / lpqc-sorted scalar problems, the discrete ILP baseline, and the response simulator.
 */
package io.decide.tools.scalars;
