package io.decide.tools.scalars;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates RCT responses from known ground-truth curves. Bid q, cohort i of N has sensitivity
 * {@code s_i = i/(N−1)}; with {@code t = x − 1}:
 * <pre>
 *   engagement  E_i(x) = e0_i · (1 + κ_i·t),          κ_i = −0.005 − 0.06·s_i ± 0.002
 *   performance P_i(x) = p0_i · (1 + β_i·t − γ_i·t²),   β_i in [0.06, 0.10], γ_i in [0.015, 0.03]
 * </pre>
 * so engagement falls with the scalar, the faster the more sensitive the cohort, and performance rises with the
 * scalar, concavely (increasing on [0.5, 2] since β − 2γ > 0). Measured responses add
 * independent Gaussian noise with standard deviation {@code noise} times the true value. The truth depends only on
 * the truth seed; held-out data reuse it with another noise seed. Under this truth the solved scalars fall with
 * sensitivity: solve with direction decreasing.
 */
public final class ResponseSimulator
{
    private final CohortFit[][] truth;

    /**
     * @param bids      number of quality bids Q.
     * @param cohorts   cohorts per bid N.
     * @param truthSeed seed of the ground truth.
     */
    public ResponseSimulator(final int bids, final int cohorts, final long truthSeed)
    {
        if (bids < 1 || cohorts < 1)
        {
            throw new IllegalArgumentException("bids and cohorts must be >= 1");
        }
        final Random random = new Random(truthSeed);
        truth = new CohortFit[bids][cohorts];
        for (int q = 0; q < bids; q++)
        {
            for (int i = 0; i < cohorts; i++)
            {
                final double s = cohorts == 1 ? 0.5 : (double)i / (cohorts - 1);
                final double e0 = 50 + 50 * random.nextDouble();
                final double kappa = -0.005 - 0.06 * s + 0.004 * (random.nextDouble() - 0.5);
                final double p0 = 80 + 40 * random.nextDouble();
                final double beta = 0.06 + 0.04 * random.nextDouble();
                final double gamma = 0.015 + 0.015 * random.nextDouble();
                // e0(1 + κ(x−1)) = e0κ·x + e0(1−κ); p0(1 + β(x−1) − γ(x−1)²) expanded in powers of x.
                truth[q][i] = new CohortFit(i, e0 * kappa, e0 * (1 - kappa), -p0 * gamma, p0 * (beta + 2 * gamma),
                    p0 * (1 - beta - gamma));
            }
        }
    }

    /**
     * @param bid bid index.
     * @return the true curves of its cohorts (quadratic performance).
     */
    public CohortFit[] truth(final int bid)
    {
        return truth[bid].clone();
    }

    /**
     * @param scalars   the tested scalars (every cohort tests every one).
     * @param noise     relative noise standard deviation, >= 0.
     * @param noiseSeed seed of the noise.
     * @return one {@link BidResponses} per bid, bid ids 0..Q-1.
     */
    public List<BidResponses> responses(final double[] scalars, final double noise, final long noiseSeed)
    {
        final Random random = new Random(noiseSeed);
        final List<BidResponses> bids = new ArrayList<>();
        for (int q = 0; q < truth.length; q++)
        {
            final int n = truth[q].length;
            final double[][] x = new double[n][];
            final double[][] e = new double[n][];
            final double[][] p = new double[n][];
            for (int i = 0; i < n; i++)
            {
                x[i] = scalars.clone();
                e[i] = new double[scalars.length];
                p[i] = new double[scalars.length];
                for (int j = 0; j < scalars.length; j++)
                {
                    final double te = truth[q][i].engagement(scalars[j]);
                    final double tp = truth[q][i].performance(scalars[j]);
                    e[i][j] = te * (1 + noise * random.nextGaussian());
                    p[i][j] = tp * (1 + noise * random.nextGaussian());
                }
            }
            bids.add(new BidResponses(q, x, e, p));
        }
        return bids;
    }

    /**
     * Write responses as responses.csv ({@code bid,cohort,scalar,engagement,performance}).
     *
     * @param bids the responses.
     * @param out  the file.
     * @throws IOException when it cannot be written.
     */
    public static void writeCsv(final List<BidResponses> bids, final Path out) throws IOException
    {
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8))
        {
            writer.write("bid,cohort,scalar,engagement,performance\n");
            for (final BidResponses bid : bids)
            {
                for (int i = 0; i < bid.cohortCount(); i++)
                {
                    for (int j = 0; j < bid.scalars()[i].length; j++)
                    {
                        writer.write(bid.bid() + "," + i + "," + bid.scalars()[i][j] + "," + bid.engagement()[i][j] +
                            "," + bid.performance()[i][j] + "\n");
                    }
                }
            }
        }
    }
}
