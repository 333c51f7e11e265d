package io.decide.tools.quota;

/**
 * Checks and repairs of per-item value curves over options in cost order. The paper's value model is monotone
 * (more creatives never earn less) and submodular (each extra creative earns less per unit of cost); the dual
 * solution is most meaningful when the curves are.
 * <ul>
 *   <li><b>Monotone</b>: {@code v_k >= v_{k-1}} for every k.</li>
 *   <li><b>Diminishing</b>: over the steps with a positive cost increment, the slopes
 *   {@code (v_k − v_{k-1}) / (c_k − c_{k-1})} are non-increasing (the curve is concave in cost). Steps between
 *   options of equal cost are not slopes and are skipped.</li>
 * </ul>
 * {@link #repair} projects each curve in two steps: the least-squares isotonic regression of the values (pool
 * adjacent violators, equal weights), then the least-squares antitonic regression of the positive-cost-step slopes
 * weighted by their cost increments, rebuilt from the repaired {@code v_0}. The second step keeps the total rise
 * of the curve and, since the isotonic slopes are >= 0, keeps it monotone; it is a projection of the slopes, not
 * of the values.
 */
public final class ValueCurves
{
    /** Slack allowed in the comparisons, relative to the magnitude of the compared numbers. */
    public static final double TOLERANCE = 1e-9;

    private ValueCurves()
    {
    }

    /**
     * How many curves break each property.
     *
     * @param nonMonotone    items with some {@code v_k < v_{k-1}}.
     * @param nonDiminishing items with a slope larger than the one before it.
     * @param items          items checked.
     */
    public record Report(long nonMonotone, long nonDiminishing, long items)
    {
    }

    /**
     * @param instance the items.
     * @return the counts.
     */
    public static Report check(final QuotaInstance instance)
    {
        final double[] values = instance.values();
        final double[] costs = instance.costs();
        final int k = instance.optionCount();
        long nonMonotone = 0;
        long nonDiminishing = 0;
        for (int i = 0, offset = 0; i < instance.itemCount(); i++, offset += k)
        {
            if (!monotone(values, offset, k))
            {
                nonMonotone++;
            }
            if (!diminishing(values, offset, costs, k))
            {
                nonDiminishing++;
            }
        }
        return new Report(nonMonotone, nonDiminishing, instance.itemCount());
    }

    /**
     * @param values values.
     * @param offset item's option 0.
     * @param k      options.
     * @return whether the curve is non-decreasing.
     */
    public static boolean monotone(final double[] values, final int offset, final int k)
    {
        for (int o = 1; o < k; o++)
        {
            final double a = values[offset + o - 1];
            final double b = values[offset + o];
            if (b < a - TOLERANCE * Math.max(1.0, Math.abs(a)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param values values.
     * @param offset item's option 0.
     * @param costs  costs.
     * @param k      options.
     * @return whether the slopes over positive cost steps are non-increasing.
     */
    public static boolean diminishing(final double[] values, final int offset, final double[] costs, final int k)
    {
        double previous = Double.POSITIVE_INFINITY;
        for (int o = 1; o < k; o++)
        {
            final double dc = costs[o] - costs[o - 1];
            if (dc <= 0)
            {
                continue;
            }
            final double slope = (values[offset + o] - values[offset + o - 1]) / dc;
            if (previous != Double.POSITIVE_INFINITY && slope > previous + TOLERANCE * Math.max(1.0, Math.abs(previous)))
            {
                return false;
            }
            previous = slope;
        }
        return true;
    }

    /**
     * Repair every curve in place (see the class comment).
     *
     * @param instance the items; its values change.
     * @return the counts before the repair.
     */
    public static Report repair(final QuotaInstance instance)
    {
        final Report before = check(instance);
        final double[] values = instance.values();
        final double[] costs = instance.costs();
        final int k = instance.optionCount();
        final double[] level = new double[k];
        final double[] weight = new double[k];
        final int[] size = new int[k];
        final double[] slopes = new double[k];
        final double[] widths = new double[k];
        final int[] steps = new int[k];
        for (int i = 0, offset = 0; i < instance.itemCount(); i++, offset += k)
        {
            if (!monotone(values, offset, k))
            {
                isotonic(values, offset, k, level, weight, size);
            }
            if (!diminishing(values, offset, costs, k))
            {
                concave(values, offset, costs, k, slopes, widths, steps, level, weight, size);
            }
        }
        return before;
    }

    /** Pool adjacent violators, non-decreasing, equal weights, in place. */
    static void isotonic(final double[] values, final int offset, final int k, final double[] level,
        final double[] weight, final int[] size)
    {
        int blocks = 0;
        for (int o = 0; o < k; o++)
        {
            level[blocks] = values[offset + o];
            weight[blocks] = 1;
            size[blocks] = 1;
            blocks++;
            while (blocks > 1 && level[blocks - 2] > level[blocks - 1])
            {
                final double w = weight[blocks - 2] + weight[blocks - 1];
                level[blocks - 2] = (level[blocks - 2] * weight[blocks - 2] + level[blocks - 1] * weight[blocks - 1]) / w;
                weight[blocks - 2] = w;
                size[blocks - 2] += size[blocks - 1];
                blocks--;
            }
        }
        int o = 0;
        for (int b = 0; b < blocks; b++)
        {
            for (int j = 0; j < size[b]; j++)
            {
                values[offset + o++] = level[b];
            }
        }
    }

    /** Antitonic (non-increasing) weighted regression of the positive-cost-step slopes, curve rebuilt in place. */
    static void concave(final double[] values, final int offset, final double[] costs, final int k,
        final double[] slopes, final double[] widths, final int[] steps, final double[] level, final double[] weight,
        final int[] size)
    {
        int n = 0;
        for (int o = 1; o < k; o++)
        {
            final double dc = costs[o] - costs[o - 1];
            if (dc > 0)
            {
                slopes[n] = (values[offset + o] - values[offset + o - 1]) / dc;
                widths[n] = dc;
                steps[n] = o;
                n++;
            }
        }
        int blocks = 0;
        for (int s = 0; s < n; s++)
        {
            level[blocks] = slopes[s];
            weight[blocks] = widths[s];
            size[blocks] = 1;
            blocks++;
            while (blocks > 1 && level[blocks - 2] < level[blocks - 1])
            {
                final double w = weight[blocks - 2] + weight[blocks - 1];
                level[blocks - 2] = (level[blocks - 2] * weight[blocks - 2] + level[blocks - 1] * weight[blocks - 1]) / w;
                weight[blocks - 2] = w;
                size[blocks - 2] += size[blocks - 1];
                blocks--;
            }
        }
        int s = 0;
        for (int b = 0; b < blocks; b++)
        {
            for (int j = 0; j < size[b]; j++)
            {
                slopes[s++] = level[b];
            }
        }
        int step = 0;
        for (int o = 1; o < k; o++)
        {
            final double dc = costs[o] - costs[o - 1];
            if (dc > 0)
            {
                values[offset + o] = values[offset + o - 1] + slopes[step] * widths[step];
                step++;
            }
        }
    }
}
