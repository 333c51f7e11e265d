package io.decide.format.quota;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.decide.format.quota.QuotaDualDescriptor.*;

/**
 * Builds the bytes of a QUOTA_DUAL section; see {@link QuotaDualDescriptor}. Arguments are checked here with the
 * same rules {@link QuotaDualValidator} applies, so a writer never produces a section the engine refuses (except a
 * GBDT cross-reference, which only the whole artifact can satisfy).
 */
public final class QuotaDualWriter
{
    private final double[] costs;
    private double[] labels;
    private double lambda;
    private double exploreWeight;
    private double capacity;
    private double pacingGain;
    private int valueSource = SOURCE_CALLER;
    private int gbdtOrdinal;
    private int kFeature;
    private int gbdtOutput;

    /**
     * @param costs option costs c_k, finite, >= 0 and non-decreasing; labels default to 0..K-1.
     */
    public QuotaDualWriter(final double[] costs)
    {
        if (costs.length < 1 || costs.length > MAX_OPTIONS)
        {
            throw new IllegalArgumentException("option count " + costs.length + ", expected 1.." + MAX_OPTIONS);
        }
        for (int k = 0; k < costs.length; k++)
        {
            if (!Double.isFinite(costs[k]) || costs[k] < 0 || (k > 0 && costs[k] < costs[k - 1]))
            {
                throw new IllegalArgumentException("cost of option " + k + " is " + costs[k] +
                    ", expected finite, >= 0 and >= the cost of option " + (k - 1));
            }
        }
        this.costs = costs.clone();
        this.labels = new double[costs.length];
        for (int k = 0; k < costs.length; k++)
        {
            labels[k] = k;
        }
    }

    /**
     * @param lambda the dual λ, finite and >= 0.
     * @return this.
     */
    public QuotaDualWriter lambda(final double lambda)
    {
        this.lambda = nonNegative("lambda", lambda);
        return this;
    }

    /**
     * @param weight explore weight w, finite and >= 0.
     * @return this.
     */
    public QuotaDualWriter exploreWeight(final double weight)
    {
        this.exploreWeight = nonNegative("explore weight", weight);
        return this;
    }

    /**
     * @param capacity capacity λ was solved for, finite and >= 0.
     * @return this.
     */
    public QuotaDualWriter capacity(final double capacity)
    {
        this.capacity = nonNegative("capacity", capacity);
        return this;
    }

    /**
     * @param gain pacing gain, finite and >= 0; 0 means the pacer's default.
     * @return this.
     */
    public QuotaDualWriter pacingGain(final double gain)
    {
        this.pacingGain = nonNegative("pacing gain", gain);
        return this;
    }

    /**
     * Set the option labels (the k of each option, e.g. the number of creatives), kept for humans and tools with a
     * caller value source and fed to the model with a GBDT one.
     *
     * @param labels K finite labels.
     * @return this.
     */
    public QuotaDualWriter labels(final double[] labels)
    {
        if (labels.length != costs.length)
        {
            throw new IllegalArgumentException(labels.length + " labels for " + costs.length + " options");
        }
        for (final double label : labels)
        {
            if (!Double.isFinite(label))
            {
                throw new IllegalArgumentException("label " + label + " is not finite");
            }
        }
        this.labels = labels.clone();
        return this;
    }

    /**
     * Value options with a GBDT model of the same artifact.
     *
     * @param ordinal  which GBDT_ENSEMBLE section.
     * @param feature  model feature that carries the option label.
     * @param output   raw margin that is the value.
     * @param labels   K finite labels, the k fed to the model per option.
     * @return this.
     */
    public QuotaDualWriter gbdtValues(final int ordinal, final int feature, final int output, final double[] labels)
    {
        if (ordinal < 0 || feature < 0 || output < 0)
        {
            throw new IllegalArgumentException("ordinal, feature and output must be >= 0");
        }
        labels(labels);
        this.valueSource = SOURCE_GBDT;
        this.gbdtOrdinal = ordinal;
        this.kFeature = feature;
        this.gbdtOutput = output;
        return this;
    }

    /** @return the section bytes. */
    public byte[] toBytes()
    {
        final int k = costs.length;
        final ByteBuffer out = ByteBuffer.allocate(sectionLength(k)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(OPTION_COUNT_OFFSET, k);
        out.put(VALUE_SOURCE_OFFSET, (byte)valueSource);
        out.putInt(GBDT_ORDINAL_OFFSET, gbdtOrdinal);
        out.putInt(K_FEATURE_OFFSET, kFeature);
        out.putInt(GBDT_OUTPUT_OFFSET, gbdtOutput);
        out.putDouble(LAMBDA_OFFSET, lambda);
        out.putDouble(EXPLORE_WEIGHT_OFFSET, exploreWeight);
        out.putDouble(CAPACITY_OFFSET, capacity);
        out.putDouble(PACING_GAIN_OFFSET, pacingGain);
        for (int i = 0; i < k; i++)
        {
            out.putDouble(costOffset(i), costs[i]);
            out.putDouble(labelOffset(k, i), labels[i]);
        }
        return out.array();
    }

    private static double nonNegative(final String what, final double value)
    {
        if (!Double.isFinite(value) || value < 0)
        {
            throw new IllegalArgumentException(what + " " + value + ", expected finite and >= 0");
        }
        return value;
    }
}
