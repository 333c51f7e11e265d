package io.decide.format.quota;

import static io.decide.format.ArtifactBytes.patchByte;
import static io.decide.format.ArtifactBytes.patchDouble;
import static io.decide.format.ArtifactBytes.patchInt;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;


import static io.decide.format.quota.QuotaDualDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaDualTest
{
    private static final double[] COSTS = {0, 1, 2, 2, 5};

    static byte[] artifact(final byte[] quota)
    {
        return new ArtifactWriter("quota", 1).addSection(SectionType.QUOTA_DUAL, VERSION, quota).toBytes();
    }

    static TreeEnsemble stump(final int features, final int splitFeature)
    {
        final Tree tree = new Tree(0, 1.0, new int[]{1, -1, -1}, new int[]{2, -1, -1}, new int[]{splitFeature, 0, 0},
            new double[]{2.5, 0, 0}, new boolean[]{true, false, false},
            new MissingRule[]{MissingRule.NAN_DEFAULT, null, null}, new int[3][], new double[]{0, 1.0, 3.0});
        return TreeEnsemble.builder().featureCount(features).baseScores(0.0).addTree(tree).build();
    }

    static ArtifactLayout validate(final byte[] bytes)
    {
        return new ArtifactValidator().validate("q.dpol", new UnsafeBuffer(bytes), bytes.length);
    }

    static void assertRefused(final byte[] bytes, final int relativeOffset, final String reason)
    {
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class, () -> validate(bytes));
        final int sectionOffset = validateLayoutIgnoringQuota(bytes);
        assertTrue(ex.getMessage().contains("QUOTA_DUAL #0 at offset " + (sectionOffset + relativeOffset)),
            ex.getMessage());
        assertTrue(ex.getMessage().contains(reason), ex.getMessage());
    }

    private static int validateLayoutIgnoringQuota(final byte[] bytes)
    {
        final ArtifactLayout layout = new ArtifactValidator(java.util.List.of(),
            new io.decide.format.SectionRule(SectionType.QUOTA_DUAL, 16, 1, null))
            .validate("q.dpol", new UnsafeBuffer(bytes), bytes.length);
        return layout.sectionOffset(layout.indexOf(SectionType.QUOTA_DUAL, 0));
    }

    @Test
    void roundTripsEveryField()
    {
        final byte[] section = new QuotaDualWriter(COSTS).lambda(0.75).exploreWeight(0.2).capacity(1e6)
            .pacingGain(0.5).toBytes();
        assertEquals(sectionLength(COSTS.length), section.length);
        final byte[] bytes = artifact(section);
        final ArtifactLayout layout = validate(bytes);
        final int index = layout.indexOf(SectionType.QUOTA_DUAL, 0);
        final QuotaDualFlyweight q = new QuotaDualFlyweight().wrap(new UnsafeBuffer(bytes), layout.sectionOffset(index));
        assertEquals(COSTS.length, q.optionCount());
        assertEquals(SOURCE_CALLER, q.valueSource());
        assertEquals(0.75, q.lambda());
        assertEquals(0.2, q.exploreWeight());
        assertEquals(1e6, q.capacity());
        assertEquals(0.5, q.pacingGain());
        for (int k = 0; k < COSTS.length; k++)
        {
            assertEquals(COSTS[k], q.cost(k));
            assertEquals(k, q.label(k));
        }
    }

    @Test
    void acceptsAGbdtValueModelThatHasTheKFeatureAndOutput()
    {
        final byte[] quota = new QuotaDualWriter(new double[]{0, 1, 2}).lambda(1)
            .gbdtValues(1, 2, 0, new double[]{1, 2, 3}).toBytes();
        final byte[] bytes = new ArtifactWriter("quota", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(stump(2, 0)))
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(stump(3, 2)))
            .addSection(SectionType.QUOTA_DUAL, VERSION, quota).toBytes();
        final ArtifactLayout layout = validate(bytes);
        final QuotaDualFlyweight q = new QuotaDualFlyweight().wrap(new UnsafeBuffer(bytes),
            layout.sectionOffset(layout.indexOf(SectionType.QUOTA_DUAL, 0)));
        assertEquals(SOURCE_GBDT, q.valueSource());
        assertEquals(1, q.gbdtOrdinal());
        assertEquals(2, q.kFeature());
        assertEquals(3.0, q.label(2));
    }

    @Test
    void refusesAMissingOrTooSmallValueModel()
    {
        final byte[] noModel = artifact(new QuotaDualWriter(new double[]{0, 1}).gbdtValues(0, 0, 0,
            new double[]{0, 1}).toBytes());
        assertRefused(noModel, GBDT_ORDINAL_OFFSET, "value model GBDT_ENSEMBLE #0 is not in the artifact");
        final byte[] quota = new QuotaDualWriter(new double[]{0, 1}).gbdtValues(0, 2, 0, new double[]{0, 1}).toBytes();
        final byte[] narrow = new ArtifactWriter("quota", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(stump(2, 0)))
            .addSection(SectionType.QUOTA_DUAL, VERSION, quota).toBytes();
        assertRefused(narrow, K_FEATURE_OFFSET, "K feature 2 is not a feature of GBDT_ENSEMBLE #0, which has 2");
        final byte[] quota2 = new QuotaDualWriter(new double[]{0, 1}).gbdtValues(0, 1, 1, new double[]{0, 1}).toBytes();
        final byte[] oneOutput = new ArtifactWriter("quota", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(stump(2, 0)))
            .addSection(SectionType.QUOTA_DUAL, VERSION, quota2).toBytes();
        assertRefused(oneOutput, GBDT_OUTPUT_OFFSET, "GBDT output 1 is not an output");
    }

    @Test
    void refusesEachBadField()
    {
        final byte[] good = new QuotaDualWriter(COSTS).lambda(1).toBytes();
        assertRefused(artifact(patchInt(good, OPTION_COUNT_OFFSET, 0)), OPTION_COUNT_OFFSET, "option count 0");
        assertRefused(artifact(patchInt(good, OPTION_COUNT_OFFSET, 4)), 0, "expected 128 for 4 options");
        assertRefused(artifact(java.util.Arrays.copyOf(good, 40)), 0, "expected at least 64");
        assertRefused(artifact(patchByte(good, VALUE_SOURCE_OFFSET, 2)), VALUE_SOURCE_OFFSET, "value source 2");
        assertRefused(artifact(patchByte(good, RESERVED8_OFFSET, 1)), RESERVED8_OFFSET, "reserved");
        assertRefused(artifact(patchInt(good, FLAGS_OFFSET, 1)), FLAGS_OFFSET, "flags must be 0");
        assertRefused(artifact(patchByte(good, RESERVED64_OFFSET + 3, 1)), RESERVED64_OFFSET, "reserved");
        assertRefused(artifact(patchDouble(good, LAMBDA_OFFSET, -1)), LAMBDA_OFFSET, "lambda is -1.0");
        assertRefused(artifact(patchDouble(good, LAMBDA_OFFSET, Double.NaN)), LAMBDA_OFFSET, "lambda is NaN");
        assertRefused(artifact(patchDouble(good, EXPLORE_WEIGHT_OFFSET, Double.POSITIVE_INFINITY)),
            EXPLORE_WEIGHT_OFFSET, "explore weight is Infinity");
        assertRefused(artifact(patchDouble(good, CAPACITY_OFFSET, -3)), CAPACITY_OFFSET, "capacity is -3.0");
        assertRefused(artifact(patchDouble(good, PACING_GAIN_OFFSET, -3)), PACING_GAIN_OFFSET, "pacing gain");
        assertRefused(artifact(patchDouble(good, costOffset(3), 1.5)), costOffset(3),
            "cost of option 3 is 1.5, expected finite, >= 0 and >= the cost of option 2 (2.0)");
        assertRefused(artifact(patchDouble(good, costOffset(0), -0.5)), costOffset(0), "cost of option 0 is -0.5");
        assertRefused(artifact(patchDouble(good, labelOffset(COSTS.length, 1), Double.NaN)),
            labelOffset(COSTS.length, 1), "label of option 1 is NaN");
        assertRefused(artifact(patchInt(good, K_FEATURE_OFFSET, 1)), GBDT_ORDINAL_OFFSET,
            "must be 0 when values come from the caller");
    }

    @Test
    void writerRefusesWhatTheValidatorRefuses()
    {
        assertThrows(IllegalArgumentException.class, () -> new QuotaDualWriter(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new QuotaDualWriter(new double[]{1, 0}));
        assertThrows(IllegalArgumentException.class, () -> new QuotaDualWriter(new double[]{Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new QuotaDualWriter(COSTS).lambda(-1));
        assertThrows(IllegalArgumentException.class,
            () -> new QuotaDualWriter(COSTS).gbdtValues(0, 0, 0, new double[]{1}));
    }
}
