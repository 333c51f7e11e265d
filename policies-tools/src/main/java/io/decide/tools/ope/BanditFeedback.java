package io.decide.tools.ope;

/**
 * What the estimators need, columnar: the logged data ({@link BanditLog}) and, per row i, three numbers derived
 * from the evaluation policy π_e and the reward model q̂ over the K actions:
 * <ul>
 *   <li>{@code target(i)} = π_e(a_i | x_i, position_i), the evaluation policy's probability of the logged action;</li>
 *   <li>{@code modelAtAction(i)} = q̂(x_i, a_i, position_i);</li>
 *   <li>{@code modelExpected(i)} = Σ_a π_e(a | x_i, position_i) · q̂(x_i, a, position_i).</li>
 * </ul>
 * Keeping three numbers per row instead of the K-wide matrices lets 10M rows fit in memory. Built by
 * {@link BanditFeedbackReader} from CSV files or by {@link #of} from arrays; both validate the same way.
 */
public final class BanditFeedback
{
    /** Default tolerance of |Σ_a π_e(a | x) - 1| for a row of the action distribution. */
    public static final double DEFAULT_SUM_TOLERANCE = 1e-6;

    private final BanditLog log;
    private final int actionCount;
    private final double[] target;
    private final double[] modelAtAction;
    private final double[] modelExpected;

    BanditFeedback(final BanditLog log, final int actionCount, final double[] target, final double[] modelAtAction,
        final double[] modelExpected)
    {
        this.log = log;
        this.actionCount = actionCount;
        this.target = target;
        this.modelAtAction = modelAtAction;
        this.modelExpected = modelExpected;
    }

    /**
     * Build from K-wide matrices, validated as the CSV reader does.
     *
     * @param log         the logged data.
     * @param actionCount K.
     * @param dist        π_e, row-major n × K.
     * @param q           q̂, row-major n × K, or null when there is no reward model.
     * @param tolerance   allowed |Σ_a π_e(a | x_i) - 1|.
     * @return the feedback.
     * @throws IllegalArgumentException naming the first bad row.
     */
    public static BanditFeedback of(final BanditLog log, final int actionCount, final double[] dist, final double[] q,
        final double tolerance)
    {
        final int n = log.rows();
        if (actionCount < 1 || dist.length != (long)n * actionCount || (q != null && q.length != dist.length))
        {
            throw new IllegalArgumentException("dist (and q) must be n x K = " + n + " x " + actionCount);
        }
        final double[] target = new double[n];
        final double[] atAction = q != null ? new double[n] : null;
        final double[] expected = q != null ? new double[n] : null;
        for (int i = 0; i < n; i++)
        {
            final int a = log.action(i);
            if (a >= actionCount)
            {
                throw new IllegalArgumentException("row " + i + ": action " + a + " is out of range 0.." +
                    (actionCount - 1));
            }
            double sum = 0;
            double dm = 0;
            for (int k = 0; k < actionCount; k++)
            {
                final double p = dist[i * actionCount + k];
                final String problem = probabilityProblem(p);
                if (problem != null)
                {
                    throw new IllegalArgumentException("row " + i + ": dist a" + k + ": " + problem);
                }
                sum += p;
                if (q != null)
                {
                    final double v = q[i * actionCount + k];
                    if (!Double.isFinite(v))
                    {
                        throw new IllegalArgumentException("row " + i + ": q a" + k + ": " + v + " is not finite");
                    }
                    dm += p * v;
                }
            }
            if (!(Math.abs(sum - 1) <= tolerance))
            {
                throw new IllegalArgumentException("row " + i + ": dist sums to " + sum + ", not 1 within " +
                    tolerance);
            }
            target[i] = dist[i * actionCount + a];
            if (q != null)
            {
                atAction[i] = q[i * actionCount + a];
                expected[i] = dm;
            }
        }
        return new BanditFeedback(log, actionCount, target, atAction, expected);
    }

    static String probabilityProblem(final double p)
    {
        if (!Double.isFinite(p))
        {
            return p + " is not finite";
        }
        if (p < 0 || p > 1)
        {
            return p + " is outside [0, 1]";
        }
        return null;
    }

    /** @return the logged data. */
    public BanditLog log()
    {
        return log;
    }

    /** @return rows n. */
    public int rows()
    {
        return log.rows();
    }

    /** @return K, the number of actions of the distributions. */
    public int actionCount()
    {
        return actionCount;
    }

    /** @return whether a reward model q̂ was given (needed by DM and the DR family). */
    public boolean hasRewardModel()
    {
        return modelAtAction != null;
    }

    /**
     * @param i row.
     * @return π_e(a_i | x_i).
     */
    public double target(final int i)
    {
        return target[i];
    }

    /**
     * @param i row.
     * @return q̂(x_i, a_i).
     */
    public double modelAtAction(final int i)
    {
        return modelAtAction[i];
    }

    /**
     * @param i row.
     * @return Σ_a π_e(a | x_i) q̂(x_i, a).
     */
    public double modelExpected(final int i)
    {
        return modelExpected[i];
    }

    double[] targets()
    {
        return target;
    }

    double[] modelAtActions()
    {
        return modelAtAction;
    }

    double[] modelExpecteds()
    {
        return modelExpected;
    }
}
