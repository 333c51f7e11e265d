package io.decide.tools.gbdt.lightgbm;

import io.decide.tools.gbdt.lightgbm.LightGbmFidelity.Fixture;
import io.decide.tools.gbdt.lightgbm.SyntheticData.Label;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The catalogue of LightGBM models the fidelity tests train, each a method returning a fresh {@link Fixture}
 * (model text, imported ensemble, at least {@link #PROBE_ROWS} probe rows, LightGBM's outputs for them). Training
 * is seeded and single-threaded, so a fixture is the same on every run. {@link #all()} lists them for tests that
 * replay every model against another predictor, such as the engine's evaluator:
 * <pre>
 *   for (Supplier&lt;Fixture&gt; model : LightGbmFixtures.all().values())
 *   {
 *       Fixture f = model.get();
 *       LightGbmFidelity.assertRawBitIdentical(f, evaluatorFor(f.ensemble())::predictRaw);
 *   }
 * </pre>
 */
public final class LightGbmFixtures
{
    /** Minimum probe rows per model. */
    public static final int PROBE_ROWS = 100_000;
    /** Training rows per model. */
    public static final int TRAINING_ROWS = 4000;
    /** Parameters every model is trained with: deterministic, one thread, small trees. */
    public static final String COMMON = "verbose=-1 num_threads=1 deterministic=true force_row_wise=true seed=7 " +
        "num_leaves=15 min_data_in_leaf=20 max_bin=63 learning_rate=0.2 ";

    private LightGbmFixtures()
    {
    }

    private static Fixture train(final String name, final String parameters, final int iterations, final Label label,
        final boolean categorical, final long seed)
    {
        final SyntheticData.Data training = SyntheticData.training(seed, TRAINING_ROWS, label, categorical);
        return LightGbmFidelity.fixture(name, COMMON + parameters, iterations, training, categorical, PROBE_ROWS,
            seed + 1);
    }

    /** @return binary logistic with sigmoid=1.7; NaN missing type (both default directions) and None. */
    public static Fixture binary()
    {
        return train("binary", "objective=binary sigmoid=1.7", 30, Label.BINARY, false, 11);
    }

    /** @return L2 regression with zero_as_missing=true: the Zero missing type. */
    public static Fixture regressionZeroAsMissing()
    {
        return train("regression zero_as_missing", "objective=regression zero_as_missing=true", 30,
            Label.REGRESSION, false, 21);
    }

    /** @return L2 regression with use_missing=false: only the None missing type, NaN compared as 0. */
    public static Fixture regressionWithoutMissing()
    {
        return train("regression use_missing=false", "objective=regression use_missing=false", 30,
            Label.REGRESSION, false, 31);
    }

    /** @return binary logistic with feature 3 categorical (one-vs-rest and many-vs-many splits). */
    public static Fixture categorical()
    {
        return train("categorical", "objective=binary categorical_feature=3 min_data_per_group=10 cat_smooth=1 " +
            "max_cat_to_onehot=4", 30, Label.BINARY, true, 41);
    }

    /** @return softmax over 4 classes, feature 3 categorical. */
    public static Fixture multiclass()
    {
        return train("multiclass", "objective=multiclass num_class=4", 15, Label.CLASS4, true, 51);
    }

    /** @return one-versus-all over 4 classes with sigmoid=0.8. */
    public static Fixture multiclassOva()
    {
        return train("multiclassova", "objective=multiclassova num_class=4 sigmoid=0.8", 15, Label.CLASS4, false, 61);
    }

    /** @return cross_entropy on probability labels. */
    public static Fixture crossEntropy()
    {
        return train("cross_entropy", "objective=cross_entropy", 20, Label.PROBABILITY, false, 71);
    }

    /** @return poisson on counts. */
    public static Fixture poisson()
    {
        return train("poisson", "objective=poisson", 20, Label.COUNT, false, 81);
    }

    /** @return gamma on positive labels. */
    public static Fixture gamma()
    {
        return train("gamma", "objective=gamma", 20, Label.POSITIVE, false, 91);
    }

    /** @return tweedie on zero-inflated labels, feature 3 categorical. */
    public static Fixture tweedie()
    {
        return train("tweedie", "objective=tweedie tweedie_variance_power=1.4", 20, Label.TWEEDIE, true, 101);
    }

    /** @return quantile regression (alpha 0.3). */
    public static Fixture quantile()
    {
        return train("quantile", "objective=quantile alpha=0.3", 20, Label.REGRESSION, false, 111);
    }

    /**
     * @param objective regression_l1, huber, fair or mape: the other objectives whose output is the margin.
     * @return that objective on the regression label.
     */
    public static Fixture regression(final String objective)
    {
        return train(objective, "objective=" + objective, 20, Label.REGRESSION, false, 113 + objective.length());
    }

    /**
     * @param objective lambdarank or rank_xendcg.
     * @return that objective on relevance grades 0..3 in queries of 20 rows.
     */
    public static Fixture ranking(final String objective)
    {
        final SyntheticData.Data training = SyntheticData.training(161, TRAINING_ROWS, Label.CLASS4, false)
            .inQueriesOf(20);
        return LightGbmFidelity.fixture(objective, COMMON + "objective=" + objective, 20, training, false,
            PROBE_ROWS, 162);
    }

    /** @return random forest (average_output) regression, 25 iterations. */
    public static Fixture randomForest()
    {
        return train("rf", "objective=regression boosting=rf bagging_fraction=0.6 bagging_freq=1 " +
            "feature_fraction=0.8", 25, Label.REGRESSION, false, 121);
    }

    /** @return random forest over 4 classes, 8 iterations of 4 trees. */
    public static Fixture randomForestMulticlass()
    {
        return train("rf multiclass", "objective=multiclass num_class=4 boosting=rf bagging_fraction=0.6 " +
            "bagging_freq=1 feature_fraction=0.8", 8, Label.CLASS4, true, 131);
    }

    /** @return DART binary logistic, feature 3 categorical. */
    public static Fixture dart()
    {
        return train("dart", "objective=binary boosting=dart drop_rate=0.3 skip_drop=0 drop_seed=5", 25,
            Label.BINARY, true, 141);
    }

    /** @return a model whose only tree is a single leaf (no split meets min_sum_hessian_in_leaf). */
    public static Fixture singleLeaf()
    {
        return train("single leaf", "objective=regression min_sum_hessian_in_leaf=1e9", 5, Label.REGRESSION, false,
            151);
    }

    /** @return every model above by name, in a stable order. */
    public static Map<String, Supplier<Fixture>> all()
    {
        final Map<String, Supplier<Fixture>> all = new LinkedHashMap<>();
        all.put("binary", LightGbmFixtures::binary);
        all.put("regression zero_as_missing", LightGbmFixtures::regressionZeroAsMissing);
        all.put("regression use_missing=false", LightGbmFixtures::regressionWithoutMissing);
        all.put("categorical", LightGbmFixtures::categorical);
        all.put("multiclass", LightGbmFixtures::multiclass);
        all.put("multiclassova", LightGbmFixtures::multiclassOva);
        all.put("cross_entropy", LightGbmFixtures::crossEntropy);
        all.put("poisson", LightGbmFixtures::poisson);
        all.put("gamma", LightGbmFixtures::gamma);
        all.put("tweedie", LightGbmFixtures::tweedie);
        all.put("quantile", LightGbmFixtures::quantile);
        for (final String objective : new String[]{"regression_l1", "huber", "fair", "mape"})
        {
            all.put(objective, () -> regression(objective));
        }
        all.put("lambdarank", () -> ranking("lambdarank"));
        all.put("rank_xendcg", () -> ranking("rank_xendcg"));
        all.put("rf", LightGbmFixtures::randomForest);
        all.put("rf multiclass", LightGbmFixtures::randomForestMulticlass);
        all.put("dart", LightGbmFixtures::dart);
        all.put("single leaf", LightGbmFixtures::singleLeaf);
        return all;
    }
}
