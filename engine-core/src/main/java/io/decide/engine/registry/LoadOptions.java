package io.decide.engine.registry;

import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.network.DenseNetworkEvaluator;
import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.scalar.ScalarDecider;
import io.decide.format.SectionRule;
import io.decide.format.SectionType;

import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How artifacts are opened: trusted signing keys (when any are set, unsigned or wrongly signed artifacts are
 * refused), extra section rules for layouts defined outside {@code policies-format}'s built-ins, evaluators for
 * verification replay, and whether to pre-touch mapped pages. Immutable; the {@code with*} methods copy.
 *
 * @param trustedKeys Ed25519 public keys.
 * @param extraRules  section rules added to the built-in ones.
 * @param evaluators  verification evaluators by section type id.
 * @param pretouch    read one byte of every page at load so the first decision does not fault.
 */
public record LoadOptions(
    List<PublicKey> trustedKeys,
    List<SectionRule> extraRules,
    Map<Integer, SectionEvaluators> evaluators,
    boolean pretouch)
{
    /**
     * @return defaults: no keys, built-in rules, the engine's own verification evaluators (GBDT_ENSEMBLE,
     *         QUOTA_DUAL, COHORT_SCALARS, DENSE_NETWORK), pre-touch on.
     */
    public static LoadOptions defaults()
    {
        return new LoadOptions(List.of(), List.of(),
            Map.of(SectionType.GBDT_ENSEMBLE, GbdtEvaluator::verificationEvaluator,
                SectionType.QUOTA_DUAL, QuotaDecider::verificationEvaluator,
                SectionType.COHORT_SCALARS, ScalarDecider::verificationEvaluator,
                SectionType.DENSE_NETWORK, DenseNetworkEvaluator::verificationEvaluator), true);
    }

    /**
     * @param keys trusted Ed25519 public keys.
     * @return a copy requiring signatures by one of {@code keys} (none: signatures not required).
     */
    public LoadOptions withTrustedKeys(final List<PublicKey> keys)
    {
        return new LoadOptions(List.copyOf(keys), extraRules, evaluators, pretouch);
    }

    /**
     * @param rules extra section rules.
     * @return a copy with those rules.
     */
    public LoadOptions withRules(final List<SectionRule> rules)
    {
        return new LoadOptions(trustedKeys, List.copyOf(rules), evaluators, pretouch);
    }

    /**
     * @param sectionType section type id.
     * @param factory     evaluator factory for that type.
     * @return a copy with the evaluator registered.
     */
    public LoadOptions withEvaluators(final int sectionType, final SectionEvaluators factory)
    {
        final Map<Integer, SectionEvaluators> copy = new HashMap<>(evaluators);
        copy.put(sectionType, factory);
        return new LoadOptions(trustedKeys, extraRules, Map.copyOf(copy), pretouch);
    }

    /**
     * @param enabled whether to pre-touch pages.
     * @return a copy.
     */
    public LoadOptions withPretouch(final boolean enabled)
    {
        return new LoadOptions(trustedKeys, extraRules, evaluators, enabled);
    }
}
