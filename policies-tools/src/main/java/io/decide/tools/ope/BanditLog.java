package io.decide.tools.ope;

/**
 * Logged bandit feedback, columnar: for each row i the logged action a_i (0-based), its position (0-based slot, all
 * 0 for a single slot), the observed reward r_i and the logging propensity p_i = π_0(a_i | x_i, position_i). Rows
 * are validated when built: actions and positions non-negative, rewards finite, p_i in (0, 1].
 */
public final class BanditLog
{
    private final int[] action;
    private final int[] position;
    private final double[] reward;
    private final double[] pscore;
    private final int rows;
    private final int maxAction;
    private final int positionCount;

    /**
     * Wrap arrays (not copied). The arrays may be longer than {@code rows}; only the first {@code rows} are used.
     *
     * @param rows     rows used.
     * @param action   logged actions.
     * @param position positions, or null for a single slot.
     * @param reward   rewards.
     * @param pscore   logging propensities of the logged actions.
     * @throws IllegalArgumentException naming the first bad row.
     */
    public BanditLog(final int rows, final int[] action, final int[] position, final double[] reward,
        final double[] pscore)
    {
        if (rows < 1)
        {
            throw new IllegalArgumentException("a bandit log needs at least one row");
        }
        if (action.length < rows || reward.length < rows || pscore.length < rows ||
            (position != null && position.length < rows))
        {
            throw new IllegalArgumentException("arrays shorter than " + rows + " rows");
        }
        int max = 0;
        int maxPosition = 0;
        for (int i = 0; i < rows; i++)
        {
            final String problem = problem(action[i], position != null ? position[i] : 0, reward[i], pscore[i]);
            if (problem != null)
            {
                throw new IllegalArgumentException("row " + i + ": " + problem);
            }
            max = Math.max(max, action[i]);
            if (position != null)
            {
                maxPosition = Math.max(maxPosition, position[i]);
            }
        }
        this.rows = rows;
        this.action = action;
        this.position = position;
        this.reward = reward;
        this.pscore = pscore;
        this.maxAction = max;
        this.positionCount = maxPosition + 1;
    }

    /**
     * The check every row passes, shared by the CSV reader so both name the same problems.
     *
     * @return null when the row is valid, else what is wrong.
     */
    static String problem(final int action, final int position, final double reward, final double pscore)
    {
        if (action < 0)
        {
            return "action " + action + " is negative";
        }
        if (position < 0)
        {
            return "position " + position + " is negative (positions are 0-based)";
        }
        if (!Double.isFinite(reward))
        {
            return "reward " + reward + " is not finite";
        }
        if (!(pscore > 0 && pscore <= 1))
        {
            return "pscore " + pscore + " is outside (0, 1]";
        }
        return null;
    }

    /** @return rows n. */
    public int rows()
    {
        return rows;
    }

    /**
     * @param i row.
     * @return the logged action.
     */
    public int action(final int i)
    {
        return action[i];
    }

    /**
     * @param i row.
     * @return the 0-based position (0 when the log has no position column).
     */
    public int position(final int i)
    {
        return position != null ? position[i] : 0;
    }

    /** @return whether the log has a position column. */
    public boolean hasPositions()
    {
        return position != null;
    }

    /**
     * @param i row.
     * @return the reward.
     */
    public double reward(final int i)
    {
        return reward[i];
    }

    /**
     * @param i row.
     * @return the logging propensity of the logged action.
     */
    public double pscore(final int i)
    {
        return pscore[i];
    }

    /** @return the largest logged action. */
    public int maxAction()
    {
        return maxAction;
    }

    /** @return 1 + the largest position (1 without a position column). */
    public int positionCount()
    {
        return positionCount;
    }

    /** @return the actions array (not a copy; may be longer than {@link #rows()}). */
    int[] actions()
    {
        return action;
    }

    /** @return the rewards array (not a copy). */
    double[] rewards()
    {
        return reward;
    }

    /** @return the propensities array (not a copy). */
    double[] pscores()
    {
        return pscore;
    }
}
