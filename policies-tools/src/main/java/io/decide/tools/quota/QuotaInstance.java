package io.decide.tools.quota;

import java.util.Arrays;

/**
 * A multiple-choice knapsack instance: N items, each taking exactly one of K options; option k costs
 * {@code costs[k]} (the same for every item, non-decreasing in k) and is worth {@code values[i·K + k]} for item i.
 * Item names are kept for output (CSV inputs) or are numeric ids (binary inputs).
 */
public final class QuotaInstance
{
    private final int itemCount;
    private final int optionCount;
    private final double[] costs;
    private final double[] labels;
    private final String[] optionNames;
    private final double[] values;
    private final String[] itemNames;
    private final long[] itemIds;

    /**
     * @param costs       K option costs, finite, >= 0, non-decreasing (not copied).
     * @param labels      K option labels, the k a value model sees (not copied).
     * @param optionNames K option names for output, or null for the labels.
     * @param values      N x K values, item-major (not copied).
     * @param itemNames   N item names, or null.
     * @param itemIds     N item ids when names are null, or null for 0..N-1.
     */
    public QuotaInstance(
        final double[] costs,
        final double[] labels,
        final String[] optionNames,
        final double[] values,
        final String[] itemNames,
        final long[] itemIds)
    {
        if (costs.length < 1 || labels.length != costs.length || values.length % costs.length != 0)
        {
            throw new IllegalArgumentException(costs.length + " costs, " + labels.length + " labels and " +
                values.length + " values do not make an instance");
        }
        for (int k = 0; k < costs.length; k++)
        {
            if (!Double.isFinite(costs[k]) || costs[k] < 0 || (k > 0 && costs[k] < costs[k - 1]))
            {
                throw new IllegalArgumentException("cost of option " + k + " is " + costs[k] +
                    ", expected finite, >= 0 and non-decreasing");
            }
        }
        this.optionCount = costs.length;
        this.itemCount = values.length / costs.length;
        this.costs = costs;
        this.labels = labels;
        this.optionNames = optionNames;
        this.values = values;
        this.itemNames = itemNames;
        this.itemIds = itemIds;
    }

    /** @return N. */
    public int itemCount()
    {
        return itemCount;
    }

    /** @return K. */
    public int optionCount()
    {
        return optionCount;
    }

    /** @return option costs (shared; do not modify). */
    public double[] costs()
    {
        return costs;
    }

    /** @return option labels (shared). */
    public double[] labels()
    {
        return labels;
    }

    /** @return item-major values (shared; {@link ValueCurves#repair} modifies them in place). */
    public double[] values()
    {
        return values;
    }

    /**
     * @param item item index.
     * @return its name for output.
     */
    public String itemName(final int item)
    {
        if (itemNames != null)
        {
            return itemNames[item];
        }
        return Long.toString(itemIds != null ? itemIds[item] : item);
    }

    /**
     * @param option option index.
     * @return its name for output.
     */
    public String optionName(final int option)
    {
        if (optionNames != null)
        {
            return optionNames[option];
        }
        final double label = labels[option];
        return label == Math.rint(label) && Math.abs(label) < 1e15 ? Long.toString((long)label) : Double.toString(label);
    }

    /** @return item ids when the instance came from a binary file, else null. */
    public long[] itemIds()
    {
        return itemIds;
    }

    /** @return the largest value of any option of any item (0 when all are negative). */
    public double maxValue()
    {
        double max = 0;
        for (final double v : values)
        {
            max = Math.max(max, v);
        }
        return max;
    }

    /**
     * The items whose indices are listed, as a new instance.
     *
     * @param items item indices.
     * @return the sub-instance.
     */
    public QuotaInstance subset(final int[] items)
    {
        final int k = optionCount;
        final double[] sub = new double[items.length * k];
        for (int j = 0; j < items.length; j++)
        {
            System.arraycopy(values, items[j] * k, sub, j * k, k);
        }
        return new QuotaInstance(costs, labels, optionNames, sub, null, null);
    }

    /**
     * A copy with every value multiplied by {@code valueFactor} and every cost by {@code costFactor}.
     *
     * @param valueFactor value multiplier, > 0.
     * @param costFactor  cost multiplier, > 0.
     * @return the scaled instance.
     */
    public QuotaInstance scaled(final double valueFactor, final double costFactor)
    {
        final double[] v = values.clone();
        for (int i = 0; i < v.length; i++)
        {
            v[i] *= valueFactor;
        }
        final double[] c = costs.clone();
        for (int k = 0; k < c.length; k++)
        {
            c[k] *= costFactor;
        }
        return new QuotaInstance(c, labels, optionNames, v, itemNames, itemIds);
    }

    @Override
    public String toString()
    {
        return itemCount + " items x " + optionCount + " options, costs " + Arrays.toString(costs);
    }
}
