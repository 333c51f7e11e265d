package io.decide.sidecar.dispatch;

import io.decide.engine.log.DecisionLog;
import io.decide.engine.adslot.AdSlotLogging;
import io.decide.engine.service.AdSlotLogSink;
import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.protocol.AdSlotRequestDescriptor;
import io.decide.sidecar.protocol.RequestFlyweight;
import io.decide.sidecar.protocol.ResponseDescriptor;
import io.decide.sidecar.protocol.ResponseEncoder;

/**
 * {@link DecisionKind#AD_SLOT}: User Id, the C context features (dense or sparse) and the ad-slot block (decision
 * request id, time; {@link AdSlotRequestDescriptor}) in; pattern, mask, propensity and the P probabilities out
 * ({@link io.decide.sidecar.protocol.AdSlotResponseDescriptor}). The user's session state is read and updated by the
 * engine. Every decided (not shed) answer is also written to the decision log when the daemon has one, as
 * {@link AdSlotLogging} writes it: request id, user, request time, artifact, pattern, propensity, probabilities and
 * the replay row (the C features the decider saw, posts since the last ad, had-ad flag) that {@code decide ope
 * --policy} replays; an artifact with more patterns than the log's slots is not logged, one with more features
 * than the slots is logged without the replay row.
 */
public final class AdSlotHandler implements DecisionHandler
{
    private final AdSlotLogSink sink;

    /**
     * @param log where decisions are logged, or null for none.
     */
    public AdSlotHandler(final DecisionLog log)
    {
        this.sink = log == null ? null : new AdSlotLogSink(log);
    }

    @Override
    public DecisionKind kind()
    {
        return DecisionKind.AD_SLOT;
    }

    @Override
    public int decide(
        final RequestFlyweight request,
        final int handle,
        final DecisionEngine engine,
        final DecisionContext context,
        final DispatchScratch scratch,
        final ResponseEncoder response)
    {
        if (request.batchLength() != AdSlotRequestDescriptor.BLOCK_LENGTH || request.scalarCount() != 0)
        {
            return response.error(DecisionStatus.BAD_REQUEST);
        }
        final int length = scratch.features(request, handle, engine, DecisionKind.AD_SLOT);
        if (length < 0)
        {
            return response.error(-length);
        }
        final long requestId = request.adSlotRequestId();
        final long nowMillis = request.adSlotTimeMillis();
        final int status = engine.adSlot(handle, requestId, request.userId(), nowMillis, scratch.row, length,
            scratch.probabilities, context);
        if (status == DecisionStatus.OK && sink != null)
        {
            sink.log(context.adSlotDecision(), handle, engine, nowMillis);
        }
        return write(status, context, scratch, response);
    }

    @Override
    public int shed(
        final RequestFlyweight request,
        final int handle,
        final DecisionEngine engine,
        final DecisionContext context,
        final DispatchScratch scratch,
        final ResponseEncoder response)
    {
        return write(engine.fallbackAdSlot(handle, scratch.probabilities, context), context, scratch, response);
    }

    private static int write(
        final int status, final DecisionContext context, final DispatchScratch scratch, final ResponseEncoder response)
    {
        if (status != DecisionStatus.OK)
        {
            return response.error(status);
        }
        return DispatchScratch.answered(context, response).adSlot(
            context.adPattern(), context.adMask(), context.propensity(), scratch.probabilities, context.resultCount());
    }
}
