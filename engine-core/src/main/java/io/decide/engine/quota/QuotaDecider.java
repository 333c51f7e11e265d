package io.decide.engine.quota;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.SectionType;
import io.decide.format.quota.QuotaDualDescriptor;
import io.decide.format.quota.QuotaDualFlyweight;
import io.decide.format.vectors.VectorEvaluator;

/**
 * Chooses the option of an item: {@code k* = argmax_k (v_k − λ·c_k)}, ties to the lower cost. Options are held in
 * non-decreasing cost order (the QUOTA_DUAL layout guarantees it), so the first maximum in index order is the one
 * with the lowest cost, and the scan keeps an option only when it is strictly better than the best so far. A NaN
 * value is never chosen (its score compares false); when every score is NaN, option 0 (the cheapest) is chosen.
 * λ must be finite and >= 0 (a pacer signals an exhausted budget separately, see {@link QuotaPacer#tryCharge}).
 * <p>
 * Immutable and thread-safe; every {@code choose*} method allocates nothing. The GBDT-valued path needs a
 * per-thread {@link QuotaContext}.
 * <p>
 * Monotonicity: in exact arithmetic the chosen cost is non-increasing in λ. In floating point each score
 * {@code v_k − fl(λ·c_k)} is non-increasing in λ, but two scores can round differently, so the guarantee is exact
 * when products and differences are exact (e.g. dyadic values and λ), which is what the property test checks.
 */
public final class QuotaDecider
{
    /** Verification-vector mode: input {@code [λ, v_0 .. v_{K-1}]}, output {@code [k*]} (caller-valued sections). */
    public static final int MODE_VALUES = 0;
    /** Verification-vector mode: input {@code [λ, model row]}, output {@code [k*]} (GBDT-valued sections). */
    public static final int MODE_MODEL = 1;

    private final double[] costs;
    private final double[] labels;
    private final int optionCount;
    private final double lambda;
    private final double exploreWeight;
    private final double capacity;
    private final double pacingGain;
    private final GbdtEvaluator model;
    private final int kFeature;
    private final int modelOutput;

    /**
     * A decider over caller-provided values.
     *
     * @param costs         option costs, finite, >= 0, non-decreasing.
     * @param lambda        the dual λ, finite, >= 0.
     * @param exploreWeight weight of explore scores in {@link #chooseExplore}, finite, >= 0.
     */
    public QuotaDecider(final double[] costs, final double lambda, final double exploreWeight)
    {
        this(costs, labels(costs.length), lambda, exploreWeight, 0, 0, null, 0, 0);
    }

    private QuotaDecider(
        final double[] costs,
        final double[] labels,
        final double lambda,
        final double exploreWeight,
        final double capacity,
        final double pacingGain,
        final GbdtEvaluator model,
        final int kFeature,
        final int modelOutput)
    {
        if (costs.length < 1)
        {
            throw new IllegalArgumentException("need at least one option");
        }
        for (int k = 0; k < costs.length; k++)
        {
            if (!Double.isFinite(costs[k]) || costs[k] < 0 || (k > 0 && costs[k] < costs[k - 1]))
            {
                throw new IllegalArgumentException("cost of option " + k + " is " + costs[k] +
                    ", expected finite, >= 0 and non-decreasing in k");
            }
        }
        checkLambda(lambda);
        if (!Double.isFinite(exploreWeight) || exploreWeight < 0)
        {
            throw new IllegalArgumentException("explore weight " + exploreWeight + ", expected finite and >= 0");
        }
        this.costs = costs.clone();
        this.labels = labels.clone();
        this.optionCount = costs.length;
        this.lambda = lambda;
        this.exploreWeight = exploreWeight;
        this.capacity = capacity;
        this.pacingGain = pacingGain;
        this.model = model;
        this.kFeature = kFeature;
        this.modelOutput = modelOutput;
    }

    /**
     * The decider of a QUOTA_DUAL section of a loaded artifact, built once and cached with the artifact. For a GBDT
     * value source the referenced model is compiled (or taken from the cache) too.
     *
     * @param artifact a loaded artifact.
     * @param ordinal  which QUOTA_DUAL section (0 = first).
     * @return the decider.
     * @throws IllegalArgumentException when the artifact has no such section.
     */
    public static QuotaDecider of(final LoadedArtifact artifact, final int ordinal)
    {
        final int index = artifact.layout().indexOf(SectionType.QUOTA_DUAL, ordinal);
        if (index < 0)
        {
            throw new IllegalArgumentException(artifact + " has no QUOTA_DUAL #" + ordinal);
        }
        return artifact.attachment(index, QuotaDecider.class, a -> read(a, a.layout().sectionOffset(index)));
    }

    private static QuotaDecider read(final LoadedArtifact artifact, final int offset)
    {
        final QuotaDualFlyweight q = new QuotaDualFlyweight().wrap(artifact.buffer(), offset);
        final int k = q.optionCount();
        final double[] costs = new double[k];
        final double[] labels = new double[k];
        for (int i = 0; i < k; i++)
        {
            costs[i] = q.cost(i);
            labels[i] = q.label(i);
        }
        final GbdtEvaluator model = q.valueSource() == QuotaDualDescriptor.SOURCE_GBDT ?
            GbdtEvaluator.of(artifact, q.gbdtOrdinal()) : null;
        return new QuotaDecider(costs, labels, q.lambda(), q.exploreWeight(), q.capacity(), q.pacingGain(), model,
            q.kFeature(), q.gbdtOutput());
    }

    /**
     * Verification-vector evaluator for QUOTA_DUAL sections ({@link #MODE_VALUES} or {@link #MODE_MODEL}); inputs of
     * the wrong width are left unevaluated, which fails the vector. Load time only (it allocates).
     *
     * @param artifact     artifact being loaded.
     * @param sectionIndex table index of the QUOTA_DUAL section.
     * @return an evaluator for replay.
     */
    public static VectorEvaluator verificationEvaluator(final LoadedArtifact artifact, final int sectionIndex)
    {
        final QuotaDecider decider = of(artifact, artifact.layout().sectionOrdinal(sectionIndex));
        final QuotaContext context = decider.model != null ? decider.newContext() : null;
        return (mode, input, output) ->
        {
            if (output.length != 1 || input.length < 1 || !Double.isFinite(input[0]) || input[0] < 0)
            {
                return;
            }
            if (mode == MODE_VALUES && input.length == decider.optionCount + 1)
            {
                output[0] = decider.choose(input, 1, input[0]);
            }
            else if (mode == MODE_MODEL && context != null && input.length == decider.model.featureCount() + 1)
            {
                output[0] = decider.chooseWithModel(java.util.Arrays.copyOfRange(input, 1, input.length), input[0],
                    context);
            }
        };
    }

    /** @return number of options K. */
    public int optionCount()
    {
        return optionCount;
    }

    /**
     * @param option option index.
     * @return its cost.
     */
    public double cost(final int option)
    {
        return costs[option];
    }

    /**
     * @param option option index.
     * @return its label (the k a value model sees).
     */
    public double label(final int option)
    {
        return labels[option];
    }

    /** @return the λ of the artifact (or constructor). */
    public double lambda()
    {
        return lambda;
    }

    /** @return the explore weight w. */
    public double exploreWeight()
    {
        return exploreWeight;
    }

    /** @return the capacity λ was solved for (0 when not from an artifact). */
    public double capacity()
    {
        return capacity;
    }

    /** @return the artifact's pacing gain, 0 for the pacer's default. */
    public double pacingGain()
    {
        return pacingGain;
    }

    /** @return whether option values come from a GBDT model. */
    public boolean modelValued()
    {
        return model != null;
    }

    /**
     * k* with the decider's λ.
     *
     * @param values K option values starting at {@code offset}.
     * @param offset index of option 0's value.
     * @return the chosen option index.
     */
    public int choose(final double[] values, final int offset)
    {
        return choose(values, offset, lambda);
    }

    /**
     * k* with a given λ (e.g. from a {@link QuotaPacer}).
     *
     * @param values K option values starting at {@code offset}.
     * @param offset index of option 0's value.
     * @param lambda finite λ >= 0.
     * @return the chosen option index.
     */
    public int choose(final double[] values, final int offset, final double lambda)
    {
        return argmax(values, offset, costs, optionCount, lambda);
    }

    /**
     * The decision rule itself, shared with the offline solver so the λ it finds means the same online:
     * {@code k* = argmax_k (value_k - λ·cost_k)}, the first (lowest-cost, costs being non-decreasing) on ties.
     *
     * @param values  option values starting at {@code offset}.
     * @param offset  index of option 0's value.
     * @param costs   option costs, non-decreasing.
     * @param options number of options K.
     * @param lambda  λ.
     * @return the chosen option index.
     */
    public static int argmax(
        final double[] values, final int offset, final double[] costs, final int options, final double lambda)
    {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < options; k++)
        {
            final double score = values[offset + k] - lambda * costs[k];
            if (score > bestScore)
            {
                bestScore = score;
                best = k;
            }
        }
        return best;
    }

    /**
     * k* over {@code value_k = pvalue_k + w·explore_k}, w the explore weight.
     *
     * @param pvalues  K predicted values starting at {@code offset}.
     * @param explores K explore scores starting at {@code offset}.
     * @param offset   index of option 0.
     * @param lambda   finite λ >= 0.
     * @return the chosen option index.
     */
    public int chooseExplore(final double[] pvalues, final double[] explores, final int offset, final double lambda)
    {
        final double[] c = costs;
        final double w = exploreWeight;
        final int n = optionCount;
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++)
        {
            final double score = (pvalues[offset + k] + w * explores[offset + k]) - lambda * c[k];
            if (score > bestScore)
            {
                bestScore = score;
                best = k;
            }
        }
        return best;
    }

    /**
     * k* for many items whose values are item-major ({@code values[i·K + k]}).
     *
     * @param values    itemCount x K values.
     * @param itemCount number of items.
     * @param lambda    finite λ >= 0.
     * @param chosen    receives each item's option index, {@code chosen[i]}.
     */
    public void chooseBatch(final double[] values, final int itemCount, final double lambda, final int[] chosen)
    {
        final int n = optionCount;
        for (int i = 0, offset = 0; i < itemCount; i++, offset += n)
        {
            chosen[i] = choose(values, offset, lambda);
        }
    }

    /**
     * k* when option values come from the GBDT value model: the model is evaluated once per option on {@code row}
     * with the K feature set to that option's label; the row is restored before returning.
     *
     * @param row     the model's feature row (the K feature's value is ignored).
     * @param lambda  finite λ >= 0.
     * @param context the calling thread's context.
     * @return the chosen option index.
     * @throws IllegalStateException when values do not come from a model.
     */
    public int chooseWithModel(final double[] row, final double lambda, final QuotaContext context)
    {
        final GbdtEvaluator m = model;
        if (m == null)
        {
            throw new IllegalStateException("this QUOTA_DUAL takes values from the caller, not from a model");
        }
        final double[] c = costs;
        final double[] l = labels;
        final double[] margins = context.margins;
        final GbdtContext modelContext = context.model;
        final int feature = kFeature;
        final int output = modelOutput;
        final double saved = row[feature];
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < optionCount; k++)
        {
            row[feature] = l[k];
            m.predictRaw(row, margins, modelContext);
            final double score = margins[output] - lambda * c[k];
            if (score > bestScore)
            {
                bestScore = score;
                best = k;
            }
        }
        row[feature] = saved;
        return best;
    }

    /** @return a new per-thread context for {@link #chooseWithModel}. */
    public QuotaContext newContext()
    {
        if (model == null)
        {
            throw new IllegalStateException("this QUOTA_DUAL takes values from the caller; no context is needed");
        }
        return new QuotaContext(model.newContext(), model.outputCount());
    }

    private static void checkLambda(final double lambda)
    {
        if (!Double.isFinite(lambda) || lambda < 0)
        {
            throw new IllegalArgumentException("lambda " + lambda + ", expected finite and >= 0");
        }
    }

    private static double[] labels(final int count)
    {
        final double[] labels = new double[count];
        for (int k = 0; k < count; k++)
        {
            labels[k] = k;
        }
        return labels;
    }
}
