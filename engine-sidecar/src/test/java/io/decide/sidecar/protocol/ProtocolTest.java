package io.decide.sidecar.protocol;

import io.decide.engine.service.DecisionKind;
import io.decide.sidecar.dispatch.Dispatcher;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The encoders write exactly the bytes docs/PROTOCOL.md shows; the checks refuse what it says they refuse. */
class ProtocolTest
{
    @Test
    void encodesTheDocumentedExampleByteForByte()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = new RequestEncoder().begin(buffer, 0, 7, DecisionKind.GBDT_PREDICT.id())
            .deadline(500, 0).name("ctr".getBytes(StandardCharsets.UTF_8))
            .dense(new double[]{1.0, 2.0, Double.NaN}, 3).finish();
        final String expected =
            "5800000001000100" + "0700000000000000" +
            "01000300f4010000" + "0000000000000000" +
            "0000000000000000" + "0300000000000000" +
            "0000000000000000" + "6374720000000000" +
            "000000000000f03f" + "0000000000000040" +
            "000000000000f87f";
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        assertEquals(expected, HexFormat.of().formatHex(bytes));
        final RequestFlyweight request = new RequestFlyweight().wrap(buffer, 0);
        assertEquals(0, request.validate(length));
        assertEquals(3, request.nameLength());
        assertEquals(2.0, request.denseFeature(1));
        assertEquals(500, request.timeoutMicros());
    }

    @Test
    void framingAndBodyChecks()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = new RequestEncoder().begin(buffer, 0, 7, DecisionKind.QUOTA.id())
            .name("q".getBytes(StandardCharsets.UTF_8)).dense(new double[]{1, 2}, 2).finish();
        assertEquals(length, Dispatcher.frameLength(buffer, 0, length, 1024));
        assertEquals(Dispatcher.INCOMPLETE, Dispatcher.frameLength(buffer, 0, length - 1, 1024));
        assertEquals(Dispatcher.INCOMPLETE, Dispatcher.frameLength(buffer, 0, 3, 1024));
        assertEquals(Dispatcher.MALFORMED, Dispatcher.frameLength(buffer, 0, length, length - 8));
        buffer.putInt(0, length + 1, ByteOrder.LITTLE_ENDIAN);
        assertEquals(Dispatcher.MALFORMED, Dispatcher.frameLength(buffer, 0, length, 1024));
        buffer.putInt(0, 8, ByteOrder.LITTLE_ENDIAN);
        assertEquals(Dispatcher.MALFORMED, Dispatcher.frameLength(buffer, 0, length, 1024));
        buffer.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
        final RequestFlyweight request = new RequestFlyweight().wrap(buffer, 0);
        assertEquals(0, request.validate(length));
        assertEquals(ProtocolStatus.BAD_FRAME, request.validate(length - 8), "features past the end");
        buffer.putByte(RequestDescriptor.FLAGS_OFFSET, (byte)4);
        assertEquals(ProtocolStatus.BAD_FRAME, request.validate(length), "unknown flag");
        buffer.putByte(RequestDescriptor.FLAGS_OFFSET, (byte)0);
        buffer.putInt(RequestDescriptor.BATCH_LENGTH_OFFSET, 4, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ProtocolStatus.BAD_FRAME, request.validate(length), "unaligned batch");
        buffer.putInt(RequestDescriptor.BATCH_LENGTH_OFFSET, 0, ByteOrder.LITTLE_ENDIAN);
        buffer.putByte(FrameDescriptor.FRAME_TYPE_OFFSET, (byte)FrameDescriptor.TYPE_RESPONSE);
        assertEquals(ProtocolStatus.BAD_FRAME, request.validate(length), "response type in a request");
    }

    @Test
    void responsesRoundTripAndErrorsCarryTheirReason()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final ResponseEncoder encoder = new ResponseEncoder();
        final int length = encoder.begin(buffer, 0, 99, DecisionKind.RANK.id()).flags(ResponseDescriptor.FLAG_FALLBACK)
            .artifactVersion(12).engineNanos(345).ints(new int[]{4, 1, 7}, 3);
        assertEquals(56, length);
        final ResponseFlyweight response = new ResponseFlyweight().wrap(buffer, 0);
        assertEquals(99, response.requestId());
        assertEquals(3, response.resultCount());
        assertEquals(7, response.intResult(2));
        assertEquals(12, response.artifactVersion());
        assertEquals(345, response.engineNanos());
        assertEquals(true, response.fallback());
        final int error = encoder.error(buffer, 0, 5, 0, ProtocolStatus.BAD_FRAME);
        assertEquals(0, error % 8);
        assertEquals(ProtocolStatus.BAD_FRAME, response.status());
        assertEquals(ProtocolStatus.reason(ProtocolStatus.BAD_FRAME), response.reason());
    }
}
