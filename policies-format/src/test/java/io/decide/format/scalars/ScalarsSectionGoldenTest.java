package io.decide.format.scalars;

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

import static io.decide.format.scalars.CohortScalarsDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden file of COHORT_SCALARS layout version 1 (a caller-resolved increasing bid and a model-resolved decreasing
 * bid): it must always validate and read back field by field, and today's writer must produce the same bytes. Never
 * regenerate it; a new layout version adds a new file (create once with {@code -Ddecide.golden.write=true}).
 */
class ScalarsSectionGoldenTest
{
    private static final Path FILE = Path.of("src/test/resources/golden/cohort-scalars-v1/scalars.dpol");

    private static byte[] recipe()
    {
        return new ArtifactWriter("golden.scalars", 4).createdMillis(1_767_225_600_000L)
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(Stumps.stump(3, 2)))
            .addSection(SectionType.COHORT_SCALARS, VERSION, new CohortScalarsWriter()
                .addBid(3, INCREASING, METHOD_LPQC_SORTED, 0.5, 2.0, 1.0, new double[]{0.25, 0.5},
                    new double[]{0.75, 1.0, 1.875})
                .addBid(11, DECREASING, METHOD_LP_SORTED, 0.25, 4.0, 1.5, new double[]{-1.0},
                    new double[]{3.5, 0.25}, 0, 0)
                .toBytes())
            .metadata("{\"solver\":\"lagrangian-pava\"}")
            .toBytes();
    }

    @Test
    void goldenFileValidatesReadsBackAndIsWhatTheWriterStillProduces() throws IOException
    {
        final byte[] expected = recipe();
        final byte[] golden = ArtifactBytes.golden(FILE, expected);
        final UnsafeBuffer buffer = new UnsafeBuffer(golden);
        final ArtifactLayout layout = new ArtifactValidator().validate(FILE.toString(), buffer, golden.length);
        final CohortScalarsFlyweight s = new CohortScalarsFlyweight()
            .wrap(buffer, layout.sectionOffset(layout.indexOf(SectionType.COHORT_SCALARS, 0)));
        assertEquals(2, s.bidCount());
        assertEquals(3, s.bidId());
        assertEquals(3, s.cohortCount());
        assertEquals(INCREASING, s.direction());
        assertEquals(METHOD_LPQC_SORTED, s.method());
        assertEquals(NO_MODEL, s.modelOrdinal());
        assertEquals(0.5, s.lower());
        assertEquals(2.0, s.upper());
        assertEquals(1.0, s.defaultScalar());
        assertEquals(0.5, s.boundary(1));
        assertEquals(1.875, s.scalar(2));
        assertEquals(1, s.cohortOf(0.25));
        s.bid(1);
        assertEquals(11, s.bidId());
        assertEquals(DECREASING, s.direction());
        assertEquals(METHOD_LP_SORTED, s.method());
        assertEquals(0, s.modelOrdinal());
        assertEquals(0, s.modelOutput());
        assertEquals(4.0, s.upper());
        assertEquals(-1.0, s.boundary(0));
        assertEquals(0.25, s.scalar(1));
        assertArrayEquals(expected, golden, "today's writer no longer produces the golden bytes");
    }
}
