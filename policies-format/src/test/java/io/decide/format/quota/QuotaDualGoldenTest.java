package io.decide.format.quota;

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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden file of QUOTA_DUAL layout version 1 (a caller-valued and a GBDT-valued section): it must always validate
 * and read back field by field, and today's writer must produce the same bytes. Never regenerate it; a new layout
 * version adds a new file (create once with {@code -Ddecide.golden.write=true}).
 */
class QuotaDualGoldenTest
{
    private static final Path FILE = Path.of("src/test/resources/golden/quota-dual-v1/quota.dpol");

    private static byte[] recipe()
    {
        return new ArtifactWriter("golden.quota", 3).createdMillis(1_767_225_600_000L)
            .addSection(SectionType.QUOTA_DUAL, 1, new QuotaDualWriter(new double[]{0, 1, 2.5, 2.5, 8}).lambda(0.0625)
                .exploreWeight(0.5).capacity(123_456.75).pacingGain(0.25).labels(new double[]{0, 1, 2, 3, 5})
                .toBytes())
            .addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(QuotaDualTest.stump(3, 2)))
            .addSection(SectionType.QUOTA_DUAL, 1, new QuotaDualWriter(new double[]{0, 1, 2}).lambda(1.5)
                .gbdtValues(0, 2, 0, new double[]{0, 1, 4}).toBytes())
            .metadata("{\"solver\":\"dual-bisection\"}")
            .toBytes();
    }

    @Test
    void goldenFileValidatesReadsBackAndIsWhatTheWriterStillProduces() throws IOException
    {
        final byte[] expected = recipe();
        final byte[] golden = ArtifactBytes.golden(FILE, expected);
        final UnsafeBuffer buffer = new UnsafeBuffer(golden);
        final ArtifactLayout layout = new ArtifactValidator().validate(FILE.toString(), buffer, golden.length);
        final QuotaDualFlyweight caller = new QuotaDualFlyweight()
            .wrap(buffer, layout.sectionOffset(layout.indexOf(SectionType.QUOTA_DUAL, 0)));
        assertEquals(5, caller.optionCount());
        assertEquals(QuotaDualDescriptor.SOURCE_CALLER, caller.valueSource());
        assertEquals(0.0625, caller.lambda());
        assertEquals(0.5, caller.exploreWeight());
        assertEquals(123_456.75, caller.capacity());
        assertEquals(0.25, caller.pacingGain());
        assertEquals(2.5, caller.cost(3));
        assertEquals(5.0, caller.label(4));
        final QuotaDualFlyweight model = new QuotaDualFlyweight()
            .wrap(buffer, layout.sectionOffset(layout.indexOf(SectionType.QUOTA_DUAL, 1)));
        assertEquals(QuotaDualDescriptor.SOURCE_GBDT, model.valueSource());
        assertEquals(0, model.gbdtOrdinal());
        assertEquals(2, model.kFeature());
        assertEquals(0, model.gbdtOutput());
        assertEquals(1.5, model.lambda());
        assertEquals(4.0, model.label(2));
        assertArrayEquals(expected, golden, "today's writer no longer produces the golden bytes");
    }
}
