package io.decide.tools.rank;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Early-stage ranking consistency (PAPERS.md §3), per request and averaged. For a request with n logged candidates
 * and k = min(K, n):
 * <ul>
 *   <li>E = the early top-k: the k candidates with the highest early score; F = the golden top-k: the k with the
 *   highest final total value. Ties in either ranking go to the candidate whose row comes first in the file.</li>
 *   <li>hard recall@K = |E ∩ F| / k (k, not K, so a request with fewer than K candidates is not penalised).</li>
 *   <li>soft recall@K = Σ_{i∈E} TV_final(i) / Σ_{i∈F} TV_final(i); undefined (NaN) when the denominator is 0.</li>
 *   <li>TVD = Σ_i |TV_final(i) − TV_early(i)| / Σ_i |TV_final(i)| over <em>all</em> n candidates, with TV_early(i)
 *   the logged early score (the early stage's own total-value estimate for the same candidate); NaN when every
 *   TV_final is 0.</li>
 * </ul>
 * The averages are plain means over the requests whose metric is defined (NaN ones are counted and skipped);
 * {@link Summary#pooledTvd} is TVD over all rows of all requests at once.
 */
public final class RankingMetrics
{
    /**
     * One request's metrics.
     *
     * @param request    request id.
     * @param candidates n.
     * @param k          min(K, n).
     * @param hardRecall hard recall@K.
     * @param softRecall soft recall@K (NaN when undefined).
     * @param tvd        total value divergence (NaN when undefined).
     */
    public record PerRequest(String request, int candidates, int k, double hardRecall, double softRecall, double tvd)
    {
    }

    /**
     * All requests' metrics and their means.
     *
     * @param requests        per request, in order of first appearance.
     * @param k               K asked for.
     * @param meanHardRecall  mean hard recall@K.
     * @param meanSoftRecall  mean soft recall@K over requests where it is defined.
     * @param meanTvd         mean TVD over requests where it is defined.
     * @param pooledTvd       Σ over all rows |TV_final − TV_early| / Σ over all rows |TV_final|.
     * @param undefinedSoft   requests whose soft recall is undefined.
     * @param undefinedTvd    requests whose TVD is undefined.
     */
    public record Summary(
        List<PerRequest> requests,
        int k,
        double meanHardRecall,
        double meanSoftRecall,
        double meanTvd,
        double pooledTvd,
        int undefinedSoft,
        int undefinedTvd)
    {
    }

    private RankingMetrics()
    {
    }

    /**
     * @param scores logged scores.
     * @param k      K >= 1.
     * @return per-request metrics and means.
     */
    public static Summary compute(final RankingScores scores, final int k)
    {
        if (k < 1)
        {
            throw new IllegalArgumentException("K must be >= 1: " + k);
        }
        final List<PerRequest> rows = new ArrayList<>(scores.requests().size());
        double hardSum = 0;
        double softSum = 0;
        double tvdSum = 0;
        int softCount = 0;
        int tvdCount = 0;
        double divergence = 0;
        double magnitude = 0;
        for (final RankingScores.Request request : scores.requests())
        {
            final PerRequest row = of(request, k);
            rows.add(row);
            hardSum += row.hardRecall();
            if (!Double.isNaN(row.softRecall()))
            {
                softSum += row.softRecall();
                softCount++;
            }
            if (!Double.isNaN(row.tvd()))
            {
                tvdSum += row.tvd();
                tvdCount++;
            }
            for (int i = 0; i < request.early().length; i++)
            {
                divergence += Math.abs(request.finals()[i] - request.early()[i]);
                magnitude += Math.abs(request.finals()[i]);
            }
        }
        final int n = rows.size();
        return new Summary(rows, k, hardSum / n, softCount > 0 ? softSum / softCount : Double.NaN,
            tvdCount > 0 ? tvdSum / tvdCount : Double.NaN, magnitude > 0 ? divergence / magnitude : Double.NaN,
            n - softCount, n - tvdCount);
    }

    /**
     * @param request one request's scores.
     * @param k       K >= 1.
     * @return its metrics.
     */
    public static PerRequest of(final RankingScores.Request request, final int k)
    {
        final double[] early = request.early();
        final double[] finals = request.finals();
        final int n = early.length;
        final int m = Math.min(k, n);
        final int[] earlyTop = top(early, m);
        final int[] finalTop = top(finals, m);
        final boolean[] inFinal = new boolean[n];
        for (final int i : finalTop)
        {
            inFinal[i] = true;
        }
        int overlap = 0;
        double earlyValue = 0;
        for (final int i : earlyTop)
        {
            overlap += inFinal[i] ? 1 : 0;
            earlyValue += finals[i];
        }
        double goldenValue = 0;
        for (final int i : finalTop)
        {
            goldenValue += finals[i];
        }
        double divergence = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++)
        {
            divergence += Math.abs(finals[i] - early[i]);
            magnitude += Math.abs(finals[i]);
        }
        return new PerRequest(request.id(), n, m, (double)overlap / m,
            goldenValue != 0 ? earlyValue / goldenValue : Double.NaN,
            magnitude > 0 ? divergence / magnitude : Double.NaN);
    }

    /** Indices of the m highest scores, ties to the lower index. */
    private static int[] top(final double[] scores, final int m)
    {
        final Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) ->
        {
            final int c = Double.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        final int[] top = new int[m];
        for (int i = 0; i < m; i++)
        {
            top[i] = order[i];
        }
        return top;
    }
}
