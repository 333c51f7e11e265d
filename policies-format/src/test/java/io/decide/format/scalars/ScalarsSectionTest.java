package io.decide.format.scalars;

import static io.decide.format.ArtifactBytes.patchByte;
import static io.decide.format.ArtifactBytes.patchDouble;
import static io.decide.format.ArtifactBytes.patchInt;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionRule;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.decide.format.scalars.CohortScalarsDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalarsSectionTest
{
    private static final double[] BOUNDARIES = {0.1, 0.5, 0.9};
    private static final double[] SCALARS = {0.6, 0.8, 0.8, 1.7};

    static byte[] artifact(final byte[] section)
    {
        return new ArtifactWriter("scalars", 1).addSection(SectionType.COHORT_SCALARS, VERSION, section).toBytes();
    }

    static ArtifactLayout validate(final byte[] bytes)
    {
        return new ArtifactValidator().validate("s.dpol", new UnsafeBuffer(bytes), bytes.length);
    }

    static void assertRefused(final byte[] bytes, final int relativeOffset, final String reason)
    {
        final ArtifactFormatException ex = assertThrows(ArtifactFormatException.class, () -> validate(bytes));
        final ArtifactLayout layout = new ArtifactValidator(List.of(),
            new SectionRule(SectionType.COHORT_SCALARS, 1, 1, null))
            .validate("s.dpol", new UnsafeBuffer(bytes), bytes.length);
        final int sectionOffset = layout.sectionOffset(layout.indexOf(SectionType.COHORT_SCALARS, 0));
        assertTrue(ex.getMessage().contains("COHORT_SCALARS #0 at offset " + (sectionOffset + relativeOffset)),
            ex.getMessage());
        assertTrue(ex.getMessage().contains(reason), ex.getMessage());
    }

    private static byte[] twoBids()
    {
        return new CohortScalarsWriter()
            .addBid(7, INCREASING, METHOD_LPQC_SORTED, 0.5, 2.0, 1.0, BOUNDARIES, SCALARS)
            .addBid(9, DECREASING, METHOD_LP, 0.5, 2.0, 1.25, new double[]{3.0}, new double[]{2.0, 0.5})
            .toBytes();
    }

    @Test
    void roundTripsEveryFieldAndResolvesCohorts()
    {
        final byte[] bytes = artifact(twoBids());
        final ArtifactLayout layout = validate(bytes);
        final CohortScalarsFlyweight s = new CohortScalarsFlyweight().wrap(new UnsafeBuffer(bytes),
            layout.sectionOffset(layout.indexOf(SectionType.COHORT_SCALARS, 0)));
        assertEquals(2, s.bidCount());
        assertEquals(7, s.bidId());
        assertEquals(4, s.cohortCount());
        assertEquals(INCREASING, s.direction());
        assertEquals(METHOD_LPQC_SORTED, s.method());
        assertEquals(NO_MODEL, s.modelOrdinal());
        assertEquals(0.5, s.lower());
        assertEquals(2.0, s.upper());
        assertEquals(1.0, s.defaultScalar());
        for (int i = 0; i < SCALARS.length; i++)
        {
            assertEquals(SCALARS[i], s.scalar(i));
        }
        assertEquals(0.9, s.boundary(2));
        assertEquals(0, s.cohortOf(-5));
        assertEquals(0, s.cohortOf(0.0999));
        assertEquals(1, s.cohortOf(0.1), "a boundary belongs to the cohort above it");
        assertEquals(2, s.cohortOf(0.7));
        assertEquals(3, s.cohortOf(0.9));
        assertEquals(3, s.cohortOf(1e300));
        s.bid(1);
        assertEquals(9, s.bidId());
        assertEquals(DECREASING, s.direction());
        assertEquals(1.25, s.defaultScalar());
        assertEquals(0.5, s.scalar(1));
        assertEquals(1, s.cohortOf(3.0));
    }

    @Test
    void acceptsAndChecksASensitivityModelReference()
    {
        final byte[] section = new CohortScalarsWriter()
            .addBid(1, INCREASING, METHOD_MANUAL, 0, 1, 0.5, new double[]{0}, new double[]{0.25, 0.75}, 1, 0)
            .toBytes();
        final byte[] ok = new ArtifactWriter("s", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(Stumps.stump(2, 0)))
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(Stumps.stump(2, 1)))
            .addSection(SectionType.COHORT_SCALARS, VERSION, section).toBytes();
        final ArtifactLayout layout = validate(ok);
        final CohortScalarsFlyweight s = new CohortScalarsFlyweight().wrap(new UnsafeBuffer(ok),
            layout.sectionOffset(layout.indexOf(SectionType.COHORT_SCALARS, 0)));
        assertEquals(1, s.modelOrdinal());
        final int block = directoryEnd(1);
        assertRefused(artifact(section), block + MODEL_ORDINAL_OFFSET,
            "sensitivity model GBDT_ENSEMBLE #1 is not in the artifact (it has 0)");
        final byte[] badOutput = new ArtifactWriter("s", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(Stumps.stump(2, 0)))
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(Stumps.stump(2, 1)))
            .addSection(SectionType.COHORT_SCALARS, VERSION, patchInt(section, block + MODEL_OUTPUT_OFFSET, 1))
            .toBytes();
        assertRefused(badOutput, block + MODEL_OUTPUT_OFFSET, "model output 1 is not an output of GBDT_ENSEMBLE #1");
    }

    @Test
    void refusesEachBadFieldNamingItsOffset()
    {
        final byte[] good = twoBids();
        final int b0 = directoryEnd(2);
        final int b1 = b0 + bidBlockLength(4);
        assertRefused(artifact(patchInt(good, BID_COUNT_OFFSET, 0)), BID_COUNT_OFFSET, "bid count 0");
        assertRefused(artifact(patchInt(good, FLAGS_OFFSET, 1)), FLAGS_OFFSET, "flags must be 0");
        assertRefused(artifact(patchByte(good, RESERVED64_OFFSET + 1, 1)), RESERVED64_OFFSET, "reserved");
        assertRefused(artifact(java.util.Arrays.copyOf(good, 8)), 0, "expected at least 16");
        assertRefused(artifact(patchInt(good, directoryEntryOffset(1), b1 + 8)), directoryEntryOffset(1),
            "bid 1 block offset " + (b1 + 8) + ", expected " + b1);
        assertRefused(artifact(patchInt(good, b1 + BID_ID_OFFSET, 7)), b1 + BID_ID_OFFSET, "bid id 7 appears twice");
        assertRefused(artifact(patchInt(good, b0 + COHORT_COUNT_OFFSET, 0)), b0 + COHORT_COUNT_OFFSET,
            "cohort count 0");
        assertRefused(artifact(patchInt(good, b1 + COHORT_COUNT_OFFSET, 3)), b1 + COHORT_COUNT_OFFSET,
            "runs past the section end");
        assertRefused(artifact(patchByte(good, b0 + DIRECTION_OFFSET, 2)), b0 + DIRECTION_OFFSET, "direction 2");
        assertRefused(artifact(patchByte(good, b0 + METHOD_OFFSET, 6)), b0 + METHOD_OFFSET, "method 6");
        assertRefused(artifact(patchByte(good, b0 + RESERVED16_OFFSET + 1, 1)), b0 + RESERVED16_OFFSET, "reserved");
        assertRefused(artifact(patchByte(good, b0 + MODEL_KIND_OFFSET, 1)), b0 + MODEL_KIND_OFFSET,
            "model kind must be 0 without a sensitivity model");
        assertRefused(artifact(patchByte(good, b0 + MODEL_KIND_OFFSET, 2)), b0 + MODEL_KIND_OFFSET,
            "model kind 2, expected 0 (GBDT_ENSEMBLE) or 1 (DENSE_NETWORK)");
        assertRefused(artifact(patchDouble(good, b0 + LOWER_OFFSET, Double.NaN)), b0 + LOWER_OFFSET,
            "lower bound is NaN");
        assertRefused(artifact(patchDouble(good, b0 + UPPER_OFFSET, 0.25)), b0 + UPPER_OFFSET,
            "upper bound is 0.25, expected finite and >= 0.5");
        assertRefused(artifact(patchDouble(good, b0 + DEFAULT_SCALAR_OFFSET, 3)), b0 + DEFAULT_SCALAR_OFFSET,
            "default scalar is 3.0, expected in [0.5, 2.0]");
        assertRefused(artifact(patchDouble(good, b0 + boundaryOffset(2), 0.5)), b0 + boundaryOffset(2),
            "boundary 2 is 0.5, expected finite and above boundary 1 (0.5)");
        assertRefused(artifact(patchDouble(good, b0 + boundaryOffset(0), Double.POSITIVE_INFINITY)),
            b0 + boundaryOffset(0), "boundary 0 is Infinity");
        assertRefused(artifact(patchDouble(good, b0 + scalarOffset(4, 2), 0.7)), b0 + scalarOffset(4, 2),
            "scalar of cohort 2 is 0.7");
        assertRefused(artifact(patchDouble(good, b0 + scalarOffset(4, 3), 2.5)), b0 + scalarOffset(4, 3),
            "scalar of cohort 3 is 2.5, expected in [0.5, 2.0]");
        assertRefused(artifact(patchDouble(patchDouble(good, b1 + scalarOffset(2, 0), 1.0), b1 + scalarOffset(2, 1), 2.0)),
            b1 + scalarOffset(2, 1),
            "not monotone decreasing");
        assertRefused(artifact(patchInt(good, b0 + MODEL_OUTPUT_OFFSET, 1)), b0 + MODEL_OUTPUT_OFFSET,
            "model output must be 0 without a sensitivity model");
        final byte[] longer = java.util.Arrays.copyOf(good, good.length + 8);
        assertRefused(artifact(longer), good.length, "the bids end at " + good.length);
    }

    @Test
    void writerRefusesWhatTheValidatorRefuses()
    {
        assertThrows(IllegalArgumentException.class, () -> new CohortScalarsWriter()
            .addBid(0, INCREASING, 0, 0, 1, 0.5, new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new CohortScalarsWriter()
            .addBid(0, INCREASING, 0, 0, 1, 0.5, new double[]{1}, new double[]{0.5}));
        assertThrows(IllegalArgumentException.class, () -> new CohortScalarsWriter()
            .addBid(0, INCREASING, 0, 0, 1, 0.5, new double[]{1}, new double[]{0.6, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> new CohortScalarsWriter()
            .addBid(0, DECREASING, 0, 0, 1, 0.5, new double[]{1}, new double[]{0.5, 0.6}));
        assertThrows(IllegalArgumentException.class, () -> new CohortScalarsWriter()
            .addBid(0, INCREASING, 0, 0, 1, 1.5, new double[0], new double[]{0.5}));
        assertThrows(IllegalArgumentException.class, () -> new CohortScalarsWriter()
            .addBid(0, INCREASING, 0, 0, 1, 0.5, new double[]{2, 1}, new double[]{0.1, 0.2, 0.3}));
        assertThrows(IllegalArgumentException.class, () -> new CohortScalarsWriter()
            .addBid(0, INCREASING, 0, 0, 1, 0.5, new double[0], new double[]{0.5})
            .addBid(0, INCREASING, 0, 0, 1, 0.5, new double[0], new double[]{0.5}));
        assertThrows(IllegalStateException.class, () -> new CohortScalarsWriter().toBytes());
    }
}
