package io.decide.sidecar.protocol;

import io.decide.engine.service.DecisionKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The AD_SLOT request block and response payload: the bytes of docs/PROTOCOL.md's example, read back in place. */
class AdSlotProtocolTest
{
    private static final String REQUEST =
        "60 00 00 00 01 00 01 00  09 00 00 00 00 00 00 00 " +
        "05 00 04 00 00 00 00 00  00 00 00 00 00 00 00 00 " +
        "2a 00 00 00 00 00 00 00  02 00 00 00 00 00 00 00 " +
        "00 00 00 00 10 00 00 00  66 65 65 64 00 00 00 00 " +
        "00 00 00 00 00 00 f0 3f  00 00 00 00 00 00 00 40 " +
        "e8 03 00 00 00 00 00 00  00 68 e5 cf 8b 01 00 00";
    private static final String RESPONSE =
        "50 00 00 00 01 00 02 00  09 00 00 00 00 00 00 00 " +
        "00 00 05 00 03 00 00 00  01 00 00 00 00 00 00 00 " +
        "00 00 00 00 28 00 00 00  02 00 00 00 04 00 00 00 " +
        "00 00 00 00 00 00 d0 3f  00 00 00 00 00 00 e0 3f " +
        "00 00 00 00 00 00 d0 3f  00 00 00 00 00 00 d0 3f";

    @Test
    void encodesAndReadsTheDocumentedExample()
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[256]);
        final int length = new RequestEncoder().begin(request, 0, 9, DecisionKind.AD_SLOT.id()).userId(42)
            .name("feed".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).dense(new double[]{1.0, 2.0}, 2)
            .adSlot(1000, 1_700_000_000_000L).finish();
        assertEquals(REQUEST, hex(request, length));
        final RequestFlyweight in = new RequestFlyweight().wrap(request, 0);
        assertEquals(0, in.validate(length));
        assertEquals(AdSlotRequestDescriptor.BLOCK_LENGTH, in.batchLength());
        assertEquals(1000, in.adSlotRequestId());
        assertEquals(1_700_000_000_000L, in.adSlotTimeMillis());
        assertEquals(42, in.userId());

        final UnsafeBuffer response = new UnsafeBuffer(new byte[256]);
        final int responseLength = new ResponseEncoder().begin(response, 0, 9, DecisionKind.AD_SLOT.id())
            .artifactVersion(1).adSlot(2, 0b100, 0.25, new double[]{0.5, 0.25, 0.25}, 3);
        assertEquals(RESPONSE, hex(response, responseLength));
        final AdSlotResponseFlyweight out = new AdSlotResponseFlyweight().wrap(
            new ResponseFlyweight().wrap(response, 0));
        assertEquals(2, out.pattern());
        assertEquals(4, out.mask());
        assertEquals(0.25, out.propensity());
        assertEquals(3, out.patternCount());
        assertEquals(0.5, out.probability(0));
        assertEquals(0.25, out.probability(2));
    }

    private static String hex(final UnsafeBuffer buffer, final int length)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            sb.append(String.format("%02x", buffer.getByte(i) & 0xFF)).append(i % 16 == 7 ? "  " : " ");
        }
        return sb.toString().trim();
    }
}
