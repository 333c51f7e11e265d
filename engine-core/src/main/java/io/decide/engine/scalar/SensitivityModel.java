package io.decide.engine.scalar;

/**
 * A model giving users' sensitivities from a feature row: one evaluation writes all of its outputs, and each quality
 * bid that names the model reads one of them (a multi-output GBDT, or a network with one head per bid, is evaluated
 * once per row however many bids use it). Implementations are immutable and thread-safe; per-thread scratch is the
 * {@code S} object from {@link #newScratch()}, which the {@link ScalarContext} keeps. {@link #evaluate} must not
 * allocate.
 * <p>
 * New model kinds plug in through a {@link SensitivityModelResolver}. Two models that are {@code equals} are
 * evaluated once per row, so a model wrapping a section should define equality by that section.
 *
 * @param <S> the per-thread scratch type.
 */
public interface SensitivityModel<S>
{
    /** @return how many features a row must hold at least. */
    int featureCount();

    /** @return how many outputs {@link #evaluate} writes. */
    int outputCount();

    /** @return new per-thread scratch for {@link #evaluate}. */
    S newScratch();

    /**
     * Evaluate one row. A NaN output means "no sensitivity": the bids reading it get their default scalar.
     *
     * @param row     at least {@link #featureCount()} features (NaN for missing, as the model defines).
     * @param outputs receives {@link #outputCount()} values.
     * @param scratch the calling thread's scratch.
     */
    void evaluate(double[] row, double[] outputs, S scratch);
}
