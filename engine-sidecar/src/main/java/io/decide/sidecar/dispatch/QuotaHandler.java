package io.decide.sidecar.dispatch;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.protocol.RequestFlyweight;
import io.decide.sidecar.protocol.ResponseEncoder;

/**
 * {@link DecisionKind#QUOTA}: the K option values (or the value model's feature row) as features; i32 k* out.
 */
public final class QuotaHandler implements DecisionHandler
{
    @Override
    public DecisionKind kind()
    {
        return DecisionKind.QUOTA;
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
        final int length = scratch.features(request, handle, engine, DecisionKind.QUOTA);
        if (length < 0)
        {
            return response.error(-length);
        }
        final int status = engine.quota(handle, scratch.row, length, scratch.ints, context);
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
        return write(engine.fallbackQuota(handle, scratch.ints, context), context, scratch, response);
    }

    private static int write(
        final int status, final DecisionContext context, final DispatchScratch scratch, final ResponseEncoder response)
    {
        if (status != DecisionStatus.OK)
        {
            return response.error(status);
        }
        return DispatchScratch.answered(context, response).ints(scratch.ints, 1);
    }
}
