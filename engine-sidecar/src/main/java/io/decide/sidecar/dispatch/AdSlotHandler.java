package io.decide.sidecar.dispatch;

import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogDescriptor;
import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.protocol.AdSlotRequestDescriptor;
import io.decide.sidecar.protocol.RequestFlyweight;
import io.decide.sidecar.protocol.ResponseDescriptor;
import io.decide.sidecar.protocol.ResponseEncoder;

import java.util.Arrays;

/**
 * {@link DecisionKind#AD_SLOT}: User Id, the C context features (dense or sparse) and the ad-slot block (decision
 * request id, time; {@link AdSlotRequestDescriptor}) in; pattern, mask, propensity and the P probabilities out
 * ({@link io.decide.sidecar.protocol.AdSlotResponseDescriptor}). The user's session state is read and updated by the
 * engine. Every decided (not shed) answer is also written to the decision log when the daemon has one: request id,
 * user, request time, artifact, pattern, propensity, probabilities and the features the decider saw.
 */
public final class AdSlotHandler implements DecisionHandler
{
    private final DecisionLog log;
    private volatile int[] logIds = new int[0];

    /**
     * @param log where decisions are logged, or null for none.
     */
    public AdSlotHandler(final DecisionLog log)
    {
        this.log = log;
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
        final int width = request.sparse() ? engine.inputWidth(handle, DecisionKind.AD_SLOT) : 0;
        if (request.sparse() && width < 0)
        {
            return response.error(handle < 0 ? DecisionStatus.UNKNOWN_ARTIFACT : DecisionStatus.WRONG_KIND);
        }
        final int length = scratch.denseRow(request, width);
        if (length < 0)
        {
            return response.error(-length);
        }
        final long requestId = request.adSlotRequestId();
        final long nowMillis = request.adSlotTimeMillis();
        final int status = engine.adSlot(handle, requestId, request.userId(), nowMillis, scratch.row, length,
            scratch.probabilities, context);
        if (status == DecisionStatus.OK && log != null)
        {
            final AdSlotDecision d = context.adSlotDecision();
            log.offer(requestId, request.userId(), nowMillis * 1_000_000L, logId(handle, engine), context.version(),
                DecisionLogDescriptor.KIND_AD_SLOT, d.pattern(), 0, d.propensity(), scratch.probabilities,
                context.resultCount(), d.features(), length);
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

    private int logId(final int handle, final DecisionEngine engine)
    {
        int[] ids = logIds;
        if (handle >= ids.length || ids[handle] == 0)
        {
            // Once per artifact name: registering is idempotent, so a racing thread computes the same id.
            ids = Arrays.copyOf(ids, Math.max(ids.length, handle + 1));
            ids[handle] = 1 + log.artifactId(engine.name(handle));
            logIds = ids;
        }
        return ids[handle] - 1;
    }

    private static int write(
        final int status, final DecisionContext context, final DispatchScratch scratch, final ResponseEncoder response)
    {
        if (status != DecisionStatus.OK)
        {
            return response.error(status);
        }
        return response
            .flags(context.fallback() ? ResponseDescriptor.FLAG_FALLBACK : 0)
            .artifactVersion(context.version())
            .adSlot(context.adPattern(), context.adMask(), context.propensity(), scratch.probabilities,
                context.resultCount());
    }
}
