package io.decide.format.adslot;

import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionRule;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.decide.format.ArtifactBytes.patchByte;
import static io.decide.format.ArtifactBytes.patchDouble;
import static io.decide.format.ArtifactBytes.patchInt;
import static io.decide.format.adslot.AdSlotPolicyDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdSlotPolicyTest
{
    static TreeEnsemble stump(final int features)
    {
        final Tree tree = new Tree(0, 1.0, new int[]{1, -1, -1}, new int[]{2, -1, -1}, new int[]{0, 0, 0},
            new double[]{0.5, 0, 0}, new boolean[]{true, false, false},
            new MissingRule[]{MissingRule.NAN_DEFAULT, null, null}, new int[3][], new double[]{0, 1.0, 3.0});
        return TreeEnsemble.builder().featureCount(features).baseScores(0.0).addTree(tree).build();
    }

    static byte[] artifact(final byte[] policy, final int... gbdtFeatureCounts)
    {
        final ArtifactWriter writer = new ArtifactWriter("adslot", 1);
        for (final int features : gbdtFeatureCounts)
        {
            writer.addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(stump(features)));
        }
        return writer.addSection(SectionType.AD_SLOT_POLICY, VERSION, policy).toBytes();
    }

    static ArtifactLayout validate(final byte[] bytes)
    {
        return new ArtifactValidator().validate("a.dpol", new UnsafeBuffer(bytes), bytes.length);
    }

    static void assertRefused(final byte[] bytes, final int relativeOffset, final String reason)
    {
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class, () -> validate(bytes));
        final ArtifactLayout layout = new ArtifactValidator(List.of(),
            new SectionRule(SectionType.AD_SLOT_POLICY, 16, 1, null))
            .validate("a.dpol", new UnsafeBuffer(bytes), bytes.length);
        final int sectionOffset = layout.sectionOffset(layout.indexOf(SectionType.AD_SLOT_POLICY, 0));
        assertTrue(ex.getMessage().contains("AD_SLOT_POLICY #0 at offset " + (sectionOffset + relativeOffset)),
            ex.getMessage());
        assertTrue(ex.getMessage().contains(reason), ex.getMessage());
    }

    static AdSlotPolicyWriter joint()
    {
        return new AdSlotPolicyWriter().contextFeatures(4).jointModels(0, 1).lambda(0.8)
            .stateSlot(STATE_POSTS_SINCE_LAST_AD, 2).stateSlot(STATE_ADS_LAST_3_FEEDS, 3);
    }

    @Test
    void enumeratesTheDefaultActionSpaceInCanonicalOrder()
    {
        final int[] masks = AdSlotPolicyWriter.enumeratePatterns(5, 2, 0b1, 1);
        assertArrayEquals(new int[]{0, 0b00010, 0b00100, 0b01000, 0b10000, 0b01010, 0b10010, 0b10100}, masks);
        assertEquals(1 + 5 + 10, AdSlotPolicyWriter.enumeratePatterns(5, 2, 0, 0).length,
            "the empty mask, 5 one-ad and 10 two-ad masks when no rule applies");
        assertEquals(16, AdSlotPolicyWriter.enumeratePatterns(4, 4, 0, 0).length);
    }

    @Test
    void roundTripsEveryField()
    {
        final byte[] section = joint().epsilonGreedy(0.1).holdout(2.5, 0xABCDEFL).floor(0.01)
            .transformedScores(true).toBytes();
        final byte[] bytes = artifact(section, 6, 6);
        final ArtifactLayout layout = validate(bytes);
        final AdSlotPolicyFlyweight p = new AdSlotPolicyFlyweight().wrap(new UnsafeBuffer(bytes),
            layout.sectionOffset(layout.indexOf(SectionType.AD_SLOT_POLICY, 0)));
        assertEquals(5, p.slotCount());
        assertEquals(2, p.maxAds());
        assertEquals(1, p.minGap());
        assertEquals(0b1, p.forbiddenMask());
        assertEquals(KIND_MODEL_GREEDY, p.policyKind());
        assertEquals(MODELS_JOINT, p.modelMode());
        assertEquals(EXPLORE_EPSILON_GREEDY, p.exploration());
        assertEquals(8, p.patternCount());
        assertEquals(4, p.contextFeatureCount());
        assertEquals(0.8, p.lambda());
        assertEquals(0.1, p.epsilon());
        assertEquals(0.0, p.temperature());
        assertEquals(2.5, p.holdoutPercent());
        assertEquals(0.01, p.floor());
        assertEquals(0xABCDEFL, p.holdoutSalt());
        assertEquals(SCORE_TRANSFORMED, p.scoreOutput());
        assertEquals(2, p.stateSlot(STATE_POSTS_SINCE_LAST_AD));
        assertEquals(3, p.stateSlot(STATE_ADS_LAST_3_FEEDS));
        assertEquals(NO_SLOT, p.stateSlot(STATE_PREV_AD_MASK));
        assertEquals(0b10100, p.mask(7));
        assertEquals(2, p.modelOrdinalCount());
        assertEquals(0, p.modelOrdinal(0));
        assertEquals(1, p.modelOrdinal(1));
    }

    @Test
    void acceptsPerActionModelsAndBaselines()
    {
        final int[] sat = new int[8];
        final int[] ads = new int[8];
        for (int i = 0; i < 8; i++)
        {
            sat[i] = i % 2;
            ads[i] = 2;
        }
        final byte[] perAction = new AdSlotPolicyWriter().contextFeatures(3).perActionModels(sat, ads).softmax(0.5)
            .toBytes();
        validate(artifact(perAction, 3, 3, 3));
        validate(artifact(new AdSlotPolicyWriter().staticBaseline(2, 3).floor(0.125).toBytes()));
        validate(artifact(new AdSlotPolicyWriter().contextFeatures(1).fatigueBaseline(0, 2.5, 0, 7)
            .epsilonGreedy(0.05).toBytes()));
    }

    @Test
    void crossChecksTheReferencedModels()
    {
        assertRefused(artifact(joint().toBytes(), 6), modelOrdinalOffset(8, 1),
            "ADS model GBDT_ENSEMBLE #1 is not in the artifact (it has 1)");
        assertRefused(artifact(joint().toBytes(), 6, 4), modelOrdinalOffset(8, 1),
            "ADS model GBDT_ENSEMBLE #1 takes 4 features, expected 6 (4 context features + ad count + mask)");
        final int[] sat = new int[8];
        final int[] ads = new int[8];
        ads[5] = 1;
        final byte[] perAction = new AdSlotPolicyWriter().contextFeatures(3).perActionModels(sat, ads).toBytes();
        assertRefused(artifact(perAction, 3, 5), modelOrdinalOffset(8, 11),
            "ADS (pattern 5) model GBDT_ENSEMBLE #1 takes 5 features, expected 3 context features");
    }

    @Test
    void refusesEachBadField()
    {
        final byte[] good = joint().epsilonGreedy(0.1).toBytes();
        final byte[] soft = joint().softmax(1).toBytes();
        assertRefused(artifact(java.util.Arrays.copyOf(good, 100), 6, 6), 0, "expected at least 128");
        assertRefused(artifact(patchByte(good, SLOT_COUNT_OFFSET, 0), 6, 6), SLOT_COUNT_OFFSET, "slot count 0");
        assertRefused(artifact(patchByte(good, SLOT_COUNT_OFFSET, 17), 6, 6), SLOT_COUNT_OFFSET, "slot count 17");
        assertRefused(artifact(patchByte(good, MAX_ADS_OFFSET, 6), 6, 6), MAX_ADS_OFFSET, "max ads 6");
        assertRefused(artifact(patchByte(good, MIN_GAP_OFFSET, 16), 6, 6), MIN_GAP_OFFSET, "min gap 16");
        assertRefused(artifact(patchByte(good, FORBIDDEN_MASK_OFFSET, 0x21), 6, 6), FORBIDDEN_MASK_OFFSET,
            "forbidden mask 0x21 has bits at or above slot 5");
        assertRefused(artifact(patchByte(good, POLICY_KIND_OFFSET, 3), 6, 6), POLICY_KIND_OFFSET, "policy kind 3");
        assertRefused(artifact(patchByte(good, POLICY_KIND_OFFSET, KIND_STATIC), 6, 6), MODEL_MODE_OFFSET,
            "a baseline policy (kind 1) takes no models");
        assertRefused(artifact(patchByte(good, MODEL_MODE_OFFSET, 3), 6, 6), MODEL_MODE_OFFSET, "model mode 3");
        assertRefused(artifact(patchByte(good, EXPLORATION_OFFSET, 3), 6, 6), EXPLORATION_OFFSET, "exploration 3");
        assertRefused(artifact(patchInt(good, PATTERN_COUNT_OFFSET, 0), 6, 6), PATTERN_COUNT_OFFSET,
            "pattern count 0");
        assertRefused(artifact(patchInt(good, PATTERN_COUNT_OFFSET, 7), 6, 6), 0,
            "expected 164 for 7 patterns and 2 model ordinals");
        assertRefused(artifact(patchInt(good, CONTEXT_FEATURE_COUNT_OFFSET, -1), 6, 6), CONTEXT_FEATURE_COUNT_OFFSET,
            "context feature count 4294967295");
        assertRefused(artifact(patchDouble(good, LAMBDA_OFFSET, 1.5), 6, 6), LAMBDA_OFFSET, "lambda is 1.5");
        assertRefused(artifact(patchDouble(good, LAMBDA_OFFSET, Double.NaN), 6, 6), LAMBDA_OFFSET, "lambda is NaN");
        assertRefused(artifact(patchDouble(good, EPSILON_OFFSET, -0.1), 6, 6), EPSILON_OFFSET, "epsilon is -0.1");
        assertRefused(artifact(patchDouble(soft, EPSILON_OFFSET, 0.1), 6, 6), EPSILON_OFFSET,
            "set without epsilon-greedy");
        assertRefused(artifact(patchDouble(soft, TEMPERATURE_OFFSET, 0), 6, 6), TEMPERATURE_OFFSET,
            "expected finite and > 0 for softmax");
        assertRefused(artifact(patchDouble(good, TEMPERATURE_OFFSET, 1), 6, 6), TEMPERATURE_OFFSET,
            "expected 0 without softmax");
        assertRefused(artifact(patchDouble(good, HOLDOUT_PERCENT_OFFSET, 100.5), 6, 6), HOLDOUT_PERCENT_OFFSET,
            "holdout percent is 100.5");
        assertRefused(artifact(patchDouble(good, FLOOR_OFFSET, 0.2), 6, 6), FLOOR_OFFSET,
            "probability floor 0.2, expected 0 <= floor <= 1/8");
        assertRefused(artifact(patchInt(good, STATIC_POST_GAP_OFFSET, 2), 6, 6), STATIC_OFFSET_OFFSET,
            "must be 0 unless the policy is static");
        assertRefused(artifact(patchDouble(good, FATIGUE_THRESHOLD_OFFSET, 1), 6, 6), FATIGUE_FEATURE_OFFSET,
            "must be 0 unless the policy is fatigue-threshold");
        assertRefused(artifact(patchByte(good, SCORE_OUTPUT_OFFSET, 2), 6, 6), SCORE_OUTPUT_OFFSET, "score output 2");
        assertRefused(artifact(patchByte(good, RESERVED_OFFSET + 1, 1), 6, 6), RESERVED_OFFSET + 1, "reserved");
        assertRefused(artifact(patchInt(good, stateSlotOffset(7), 0), 6, 6), stateSlotOffset(7),
            "state slot 7 is reserved");
        assertRefused(artifact(patchInt(good, stateSlotOffset(0), 4), 6, 6), stateSlotOffset(0),
            "state feature 0 slot 4, expected -1 or a context index 0..3");
        assertRefused(artifact(patchInt(good, stateSlotOffset(5), 2), 6, 6), stateSlotOffset(5),
            "state features 1 and 5 both feed context index 2");
        assertRefused(artifact(patchInt(good, maskOffset(0), 0b10), 6, 6), maskOffset(0),
            "pattern 0 is 0x2, expected the empty pattern 0");
        assertRefused(artifact(patchInt(good, maskOffset(1), 0b1), 6, 6), maskOffset(1), "breaks the action space");
        assertRefused(artifact(patchInt(good, maskOffset(5), 0b00110), 6, 6), maskOffset(5),
            "pattern 5 (mask 0x6) breaks the action space: 5 slots, at most 2 ads, forbidden 0x1, min gap 1");
        assertRefused(artifact(patchInt(good, maskOffset(5), 0b01110), 6, 6), maskOffset(5), "at most 2 ads");
        assertRefused(artifact(patchInt(good, maskOffset(2), 0b10), 6, 6), maskOffset(2),
            "is not after pattern 1 (mask 0x2) in (ad count, mask) order");
        assertRefused(artifact(patchInt(good, maskOffset(4), 0b01010), 6, 6), maskOffset(5),
            "pattern 5 (mask 0xa) is not after pattern 4 (mask 0xa)");
    }

    @Test
    void refusesBaselineMisconfiguration()
    {
        final byte[] fatigue = new AdSlotPolicyWriter().contextFeatures(2).fatigueBaseline(1, 3, 0, 7).toBytes();
        assertRefused(artifact(patchInt(fatigue, FATIGUE_FEATURE_OFFSET, 2)), FATIGUE_FEATURE_OFFSET,
            "fatigue feature 2 is not a context feature (there are 2)");
        assertRefused(artifact(patchInt(fatigue, FATIGUE_HIGH_PATTERN_OFFSET, 8)), FATIGUE_HIGH_PATTERN_OFFSET,
            "fatigue high pattern 8, expected < 8");
        assertRefused(artifact(patchDouble(fatigue, FATIGUE_THRESHOLD_OFFSET, Double.NaN)), FATIGUE_THRESHOLD_OFFSET,
            "fatigue threshold NaN");
        assertRefused(artifact(patchByte(fatigue, EXPLORATION_OFFSET, EXPLORE_SOFTMAX)), EXPLORATION_OFFSET,
            "a baseline policy cannot use it");
        final byte[] stat = new AdSlotPolicyWriter().actionSpace(5, 2, 0b1, 2).staticBaseline(1, 3).toBytes();
        assertRefused(artifact(patchInt(stat, STATIC_POST_GAP_OFFSET, 1)), STATIC_POST_GAP_OFFSET,
            "static post gap 1, expected >= the min gap 2");
        final byte[] model = joint().toBytes();
        assertRefused(artifact(patchByte(model, MODEL_MODE_OFFSET, MODELS_NONE), 6, 6), MODEL_MODE_OFFSET,
            "a model-greedy policy needs models");
    }

    @Test
    void writerRefusesWhatTheValidatorRefuses()
    {
        assertThrows(IllegalArgumentException.class, () -> joint().lambda(2).toBytes());
        assertThrows(IllegalArgumentException.class, () -> joint().floor(0.5).toBytes());
        assertThrows(IllegalArgumentException.class, () -> joint().softmax(0).toBytes());
        assertThrows(IllegalArgumentException.class, () -> joint().stateSlot(0, 9).toBytes());
        assertThrows(IllegalArgumentException.class, () -> joint().patterns(new int[]{0b10, 0}).toBytes());
        assertThrows(IllegalArgumentException.class, () -> new AdSlotPolicyWriter().toBytes(),
            "model-greedy without models");
        assertThrows(IllegalArgumentException.class, () -> new AdSlotPolicyWriter().actionSpace(17, 2, 0, 0));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> joint().holdout(101, 0).toBytes());
        assertTrue(ex.getMessage().contains("holdout percent is 101.0"), ex.getMessage());
    }
}
