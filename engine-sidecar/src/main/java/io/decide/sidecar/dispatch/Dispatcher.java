package io.decide.sidecar.dispatch;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.protocol.FrameDescriptor;
import io.decide.sidecar.protocol.RequestFlyweight;
import io.decide.sidecar.protocol.ResponseDescriptor;
import io.decide.sidecar.protocol.ResponseEncoder;
import io.decide.sidecar.protocol.ProtocolStatus;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.List;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Turns one request frame into one response frame on the calling thread, without allocation: checks the frame,
 * resolves the artifact name, applies the deadline (a request that cannot be decided in time gets its kind's
 * fallback, flagged {@link ResponseDescriptor#FLAG_SHED}), and calls the {@link DecisionHandler} of its kind.
 * One per transport thread (it owns an engine context). Transports delimit frames with {@link #frameLength}.
 * <p>
 * Deadline: the earliest of the request's absolute deadline ({@code CLOCK_MONOTONIC}, i.e. {@code System.nanoTime()}
 * on Linux) and receipt + its timeout; with neither, receipt + the daemon's default timeout. The request is shed when,
 * at dispatch, less time remains than {@code shedMarginNanos} plus the recent decision time of its kind (a moving
 * average of the engine time, 1/16 weight per decision, which also decays by 1/16 per shed request so that one slow
 * decision cannot keep a kind shed for ever), i.e. when deciding would likely miss the deadline; and when
 * it has waited longer than {@code maxQueueNanos} since its bytes were read (under overload, this bounds how long one
 * batch of received frames keeps the transport from reading the requests queued behind it, whose deadlines run
 * meanwhile).
 */
public final class Dispatcher implements AutoCloseable
{
    /** {@link #frameLength} result: the frame is not complete yet. */
    public static final int INCOMPLETE = 0;
    /** {@link #frameLength} result: the frame cannot be delimited; answer and close the connection. */
    public static final int MALFORMED = -1;

    private final DecisionEngine engine;
    private final DecisionContext context;
    private final DecisionHandler[] handlers;
    private final SidecarMetrics metrics;
    private final DispatchScratch scratch;
    private final long defaultTimeoutNanos;
    private final long shedMarginNanos;
    private final long maxQueueNanos;
    private final RequestFlyweight request = new RequestFlyweight();
    private final ResponseEncoder response = new ResponseEncoder();
    private final int maxResponseLength;
    private final long[] costNanos = new long[io.decide.engine.service.DecisionKind.ID_LIMIT];
    private volatile boolean draining;

    /**
     * @param engine              the engine.
     * @param handlers            the decision handlers (see {@link DecisionHandlers#builtIn()}).
     * @param metrics             where answers are counted.
     * @param defaultTimeoutNanos budget of a request that gives no deadline.
     * @param shedMarginNanos     a request with less time left than this (plus its kind's decision time) is shed.
     * @param maxQueueNanos       a request that waited longer than this since its bytes were read is shed.
     * @param maxCandidates       most candidates per rank request (as the engine's).
     */
    public Dispatcher(
        final DecisionEngine engine,
        final List<DecisionHandler> handlers,
        final SidecarMetrics metrics,
        final long defaultTimeoutNanos,
        final long shedMarginNanos,
        final long maxQueueNanos,
        final int maxCandidates)
    {
        this.maxQueueNanos = maxQueueNanos;
        this.engine = engine;
        this.context = engine.newContext();
        this.handlers = DecisionHandlers.byId(handlers);
        this.metrics = metrics;
        this.scratch = new DispatchScratch(maxCandidates);
        this.defaultTimeoutNanos = defaultTimeoutNanos;
        this.shedMarginNanos = shedMarginNanos;
        this.maxResponseLength = FrameDescriptor.align(Math.max(ResponseEncoder.MAX_ERROR_LENGTH,
            ResponseDescriptor.PAYLOAD_OFFSET + Math.max(Math.max(8 * DispatchScratch.MAX_DOUBLE_RESULTS,
                4 * Math.max(1, maxCandidates)), io.decide.sidecar.protocol.AdSlotResponseDescriptor.payloadLength(
                io.decide.format.adslot.AdSlotPolicyDescriptor.MAX_PATTERNS))));
    }

    /** @return the most bytes one response can take; transports keep this much room before dispatching. */
    public int maxResponseLength()
    {
        return maxResponseLength;
    }

    /**
     * Delimit the frame at {@code offset}.
     *
     * @param buffer         received bytes.
     * @param offset         where the frame starts.
     * @param available      bytes received from {@code offset}.
     * @param maxFrameLength largest frame accepted.
     * @return the frame length when it is complete, {@link #INCOMPLETE}, or {@link #MALFORMED}.
     */
    public static int frameLength(
        final DirectBuffer buffer, final int offset, final int available, final int maxFrameLength)
    {
        if (available < 4)
        {
            return INCOMPLETE;
        }
        final int length = buffer.getInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET, LITTLE_ENDIAN);
        if (length < FrameDescriptor.HEADER_LENGTH || length > maxFrameLength ||
            (length & (FrameDescriptor.ALIGNMENT - 1)) != 0)
        {
            return MALFORMED;
        }
        return length <= available ? length : INCOMPLETE;
    }

    /**
     * Answer a frame that could not be delimited ({@link ProtocolStatus#MALFORMED_FRAME}); the caller then closes
     * the connection.
     *
     * @param in        received bytes.
     * @param offset    where the bad frame starts.
     * @param available bytes received from {@code offset}.
     * @param out       destination.
     * @param outOffset where the response starts.
     * @return the response length.
     */
    public int malformed(
        final DirectBuffer in, final int offset, final int available, final MutableDirectBuffer out,
        final int outOffset)
    {
        final long requestId = available >= FrameDescriptor.HEADER_LENGTH ?
            in.getLong(offset + FrameDescriptor.REQUEST_ID_OFFSET, LITTLE_ENDIAN) : 0;
        metrics.onResponse(0, ProtocolStatus.MALFORMED_FRAME, false, false, 1, 0);
        return response.error(out, outOffset, requestId, 0, ProtocolStatus.MALFORMED_FRAME);
    }

    /**
     * Answer one delimited frame.
     *
     * @param in            received bytes.
     * @param offset        frame start.
     * @param frameLength   frame length from {@link #frameLength}.
     * @param out           destination, with at least {@link #maxResponseLength()} bytes free at {@code outOffset}.
     * @param outOffset     where the response starts.
     * @param receivedNanos {@code System.nanoTime()} when the frame's bytes were read.
     * @return the response length.
     */
    public int dispatch(
        final DirectBuffer in,
        final int offset,
        final int frameLength,
        final MutableDirectBuffer out,
        final int outOffset,
        final long receivedNanos)
    {
        final RequestFlyweight req = request.wrap(in, offset);
        final long requestId = req.requestId();
        int kind = 0;
        int status;
        boolean fallback = false;
        boolean shed = false;
        long engineNanos = 0;
        final int length;
        try
        {
            if (req.versionMajor() != FrameDescriptor.VERSION_MAJOR)
            {
                status = ProtocolStatus.UNSUPPORTED_VERSION;
                length = response.error(out, outOffset, requestId, 0, status);
            }
            else if (req.validate(frameLength) != 0)
            {
                status = ProtocolStatus.BAD_FRAME;
                length = response.error(out, outOffset, requestId, 0, status);
            }
            else if (draining)
            {
                status = ProtocolStatus.SHUTTING_DOWN;
                length = response.error(out, outOffset, requestId, req.kind(), status);
            }
            else
            {
                kind = req.kind();
                final DecisionHandler handler = kind < handlers.length ? handlers[kind] : null;
                if (handler == null)
                {
                    status = DecisionStatus.UNSUPPORTED_KIND;
                    length = response.error(out, outOffset, requestId, kind, status);
                }
                else
                {
                    final int handle = engine.handle(in, req.nameOffset(), req.nameLength());
                    response.begin(out, outOffset, requestId, kind);
                    final long now = System.nanoTime();
                    if (now > deadline(req, receivedNanos) - shedMarginNanos - costNanos[kind] ||
                        now - receivedNanos > maxQueueNanos)
                    {
                        shed = true;
                        // A shed request measures nothing, so the estimate also decays here: one slow decision
                        // (a cold JIT, a GC pause) must not keep the kind shed for ever under tight deadlines.
                        costNanos[kind] -= costNanos[kind] >> 4;
                        length = handler.shed(req, handle, engine, context, scratch, response);
                        if (responseStatus(out, outOffset) == DecisionStatus.OK)
                        {
                            out.putByte(outOffset + ResponseDescriptor.FLAGS_OFFSET,
                                (byte)(ResponseDescriptor.FLAG_FALLBACK | ResponseDescriptor.FLAG_SHED));
                        }
                    }
                    else
                    {
                        length = handler.decide(req, handle, engine, context, scratch, response);
                        engineNanos = System.nanoTime() - now;
                        costNanos[kind] += (engineNanos - costNanos[kind]) >> 4;
                        if (responseStatus(out, outOffset) == DecisionStatus.OK)
                        {
                            response.engineNanos(engineNanos);
                        }
                    }
                    status = responseStatus(out, outOffset);
                    fallback = (out.getByte(outOffset + ResponseDescriptor.FLAGS_OFFSET) &
                        ResponseDescriptor.FLAG_FALLBACK) != 0;
                }
            }
        }
        catch (final RuntimeException ex)
        {
            metrics.onLoopError();
            metrics.onResponse(kind, DecisionStatus.INTERNAL_ERROR, false, false,
                System.nanoTime() - receivedNanos, 0);
            return response.error(out, outOffset, requestId, kind, DecisionStatus.INTERNAL_ERROR);
        }
        metrics.onResponse(kind, status, fallback, shed, System.nanoTime() - receivedNanos, engineNanos);
        return length;
    }

    /** Answer every later request with {@link ProtocolStatus#SHUTTING_DOWN}. */
    public void drain()
    {
        draining = true;
    }

    /** Give the engine context back. */
    @Override
    public void close()
    {
        context.close();
    }

    private long deadline(final RequestFlyweight req, final long receivedNanos)
    {
        final long timeoutMicros = req.timeoutMicros();
        final long absolute = req.deadlineNanos();
        long deadline = receivedNanos + (timeoutMicros > 0 ? timeoutMicros * 1000 : defaultTimeoutNanos);
        if (absolute != 0 && (timeoutMicros > 0 ? absolute - deadline < 0 : true))
        {
            deadline = absolute;
        }
        return deadline;
    }

    private static int responseStatus(final DirectBuffer out, final int outOffset)
    {
        return out.getShort(outOffset + ResponseDescriptor.STATUS_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }
}
