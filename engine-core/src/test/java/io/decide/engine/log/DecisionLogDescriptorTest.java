package io.decide.engine.log;

import io.decide.engine.service.DecisionKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecisionLogDescriptorTest
{
    @Test
    void kindsAreTheEngineDecisionKindIds()
    {
        assertEquals(DecisionKind.GBDT_PREDICT.id(), DecisionLogDescriptor.KIND_GBDT_PREDICT);
        assertEquals(DecisionKind.QUOTA.id(), DecisionLogDescriptor.KIND_QUOTA);
        assertEquals(DecisionKind.RANK.id(), DecisionLogDescriptor.KIND_RANK);
        assertEquals(DecisionKind.SCALAR.id(), DecisionLogDescriptor.KIND_SCALAR);
        assertEquals(DecisionKind.AD_SLOT.id(), DecisionLogDescriptor.KIND_AD_SLOT);
        assertEquals("ad_slot", DecisionLogDescriptor.kindName(DecisionLogDescriptor.KIND_AD_SLOT));
        assertEquals("unspecified", DecisionLogDescriptor.kindName(0));
        assertEquals("200", DecisionLogDescriptor.kindName(200));
    }

    @Test
    void segmentFileNamesSortByIndexAndParseBack()
    {
        assertEquals("segment-00000000000000000042.dlog", DecisionLogDescriptor.fileName(42));
        assertEquals(42, DecisionLogDescriptor.segmentIndex("segment-00000000000000000042.dlog"));
        assertEquals(Long.MAX_VALUE, DecisionLogDescriptor.segmentIndex(DecisionLogDescriptor.fileName(Long.MAX_VALUE)));
        assertEquals(-1, DecisionLogDescriptor.segmentIndex("segment-0000000000000000004x.dlog"));
        assertEquals(-1, DecisionLogDescriptor.segmentIndex("segment-42.dlog"));
        assertEquals(-1, DecisionLogDescriptor.segmentIndex("segment-99999999999999999999.dlog"));
    }

    @Test
    void layoutConstantsAgreeWithTheDiagram()
    {
        assertEquals("DECIDLOG", new String(new byte[]{
            (byte)DecisionLogDescriptor.MAGIC, (byte)(DecisionLogDescriptor.MAGIC >>> 8),
            (byte)(DecisionLogDescriptor.MAGIC >>> 16), (byte)(DecisionLogDescriptor.MAGIC >>> 24),
            (byte)(DecisionLogDescriptor.MAGIC >>> 32), (byte)(DecisionLogDescriptor.MAGIC >>> 40),
            (byte)(DecisionLogDescriptor.MAGIC >>> 48), (byte)(DecisionLogDescriptor.MAGIC >>> 56)},
            StandardCharsets.US_ASCII));
        assertEquals(64, DecisionLogDescriptor.RECORD_HEADER_LENGTH);
        assertEquals(64 + 8 * 12 + 8 * 3, DecisionLogDescriptor.recordLength(12, 3));
        assertEquals(8, DecisionLogDescriptor.nameEntryLength(6));
        assertEquals(16, DecisionLogDescriptor.nameEntryLength(7));
        assertEquals(264, DecisionLogDescriptor.nameEntryLength(255));
    }
}
