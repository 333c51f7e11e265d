/**
 * Offline ranking-consistency metrics (PAPERS.md §3): hard recall@K, soft recall@K and total value divergence
 * between the early and the final ranking stage, from logged scores ({@link io.decide.tools.rank.RankingMetrics}).
 */
package io.decide.tools.rank;
