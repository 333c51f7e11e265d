package io.decide.format.adslot;

import io.decide.format.ArtifactBytes;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static io.decide.format.adslot.AdSlotPolicyDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden file of AD_SLOT_POLICY layout version 1 (a joint-model ε-greedy policy with holdout and floor, a static
 * and a fatigue-threshold baseline): it must always validate and read back field by field, and today's writer must
 * produce the same bytes. Never regenerate it; a new layout version adds a new file (create once with
 * {@code -Ddecide.golden.write=true}).
 */
class AdSlotPolicyGoldenTest
{
    private static final Path FILE = Path.of("src/test/resources/golden/ad-slot-policy-v1/adslot.dpol");

    private static byte[] recipe()
    {
        return new ArtifactWriter("golden.adslot", 4).createdMillis(1_767_225_600_000L)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(AdSlotPolicyTest.stump(5)))
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(AdSlotPolicyTest.stump(5)))
            .addSection(SectionType.AD_SLOT_POLICY, 1, new AdSlotPolicyWriter().contextFeatures(3).jointModels(1, 0)
                .lambda(0.8).epsilonGreedy(0.0625).holdout(5, 0x5EED_0001L).floor(0.03125)
                .stateSlot(STATE_PREV_AD_MASK, 0).stateSlot(STATE_POSTS_SINCE_LAST_AD, 2).toBytes())
            .addSection(SectionType.AD_SLOT_POLICY, 1, new AdSlotPolicyWriter().actionSpace(6, 3, 0b11, 1)
                .staticBaseline(2, 2).toBytes())
            .addSection(SectionType.AD_SLOT_POLICY, 1, new AdSlotPolicyWriter().contextFeatures(1)
                .fatigueBaseline(0, 4.5, 1, 5).transformedScores(true).toBytes())
            .metadata("{\"builder\":\"golden\"}")
            .toBytes();
    }

    @Test
    void goldenFileValidatesReadsBackAndIsWhatTheWriterStillProduces() throws IOException
    {
        final byte[] expected = recipe();
        final byte[] golden = ArtifactBytes.golden(FILE, expected);
        final UnsafeBuffer buffer = new UnsafeBuffer(golden);
        final ArtifactLayout layout = new ArtifactValidator().validate(FILE.toString(), buffer, golden.length);
        final AdSlotPolicyFlyweight model = new AdSlotPolicyFlyweight()
            .wrap(buffer, layout.sectionOffset(layout.indexOf(SectionType.AD_SLOT_POLICY, 0)));
        assertEquals(KIND_MODEL_GREEDY, model.policyKind());
        assertEquals(MODELS_JOINT, model.modelMode());
        assertEquals(1, model.modelOrdinal(0));
        assertEquals(0, model.modelOrdinal(1));
        assertEquals(0.8, model.lambda());
        assertEquals(0.0625, model.epsilon());
        assertEquals(5.0, model.holdoutPercent());
        assertEquals(0x5EED_0001L, model.holdoutSalt());
        assertEquals(0.03125, model.floor());
        assertEquals(8, model.patternCount());
        assertEquals(2, model.stateSlot(STATE_POSTS_SINCE_LAST_AD));
        final AdSlotPolicyFlyweight stat = new AdSlotPolicyFlyweight()
            .wrap(buffer, layout.sectionOffset(layout.indexOf(SectionType.AD_SLOT_POLICY, 1)));
        assertEquals(KIND_STATIC, stat.policyKind());
        assertEquals(6, stat.slotCount());
        assertEquals(3, stat.maxAds());
        assertEquals(0b11, stat.forbiddenMask());
        assertEquals(2, stat.staticOffset());
        assertEquals(2, stat.staticPostGap());
        final AdSlotPolicyFlyweight fatigue = new AdSlotPolicyFlyweight()
            .wrap(buffer, layout.sectionOffset(layout.indexOf(SectionType.AD_SLOT_POLICY, 2)));
        assertEquals(KIND_FATIGUE_THRESHOLD, fatigue.policyKind());
        assertEquals(4.5, fatigue.fatigueThreshold());
        assertEquals(1, fatigue.fatigueLowPattern());
        assertEquals(5, fatigue.fatigueHighPattern());
        assertEquals(SCORE_TRANSFORMED, fatigue.scoreOutput());
        assertArrayEquals(expected, golden, "today's writer no longer produces the golden bytes");
    }
}
