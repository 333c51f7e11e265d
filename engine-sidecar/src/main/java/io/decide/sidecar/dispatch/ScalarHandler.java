package io.decide.sidecar.dispatch;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.protocol.RequestFlyweight;
import io.decide.sidecar.protocol.ResponseEncoder;

/**
 * {@link DecisionKind#SCALAR}: User Id and the sensitivity models' feature row (dense, sparse, or none: Feature
 * Count 0 takes every bid's cohort from the daemon's cohort table); f64 × Q scalars out, in the artifact's bid order.
 */
public final class ScalarHandler implements DecisionHandler
{
    @Override
    public DecisionKind kind()
    {
        return DecisionKind.SCALAR;
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
        final int length = scratch.features(request, handle, engine, DecisionKind.SCALAR);
        if (length < 0)
        {
            return response.error(-length);
        }
        final int status = engine.scalars(handle, request.userId(), scratch.row, length, scratch.doubles, context);
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
        return write(engine.fallbackScalars(handle, scratch.doubles, context), context, scratch, response);
    }

    private static int write(
        final int status, final DecisionContext context, final DispatchScratch scratch, final ResponseEncoder response)
    {
        if (status != DecisionStatus.OK)
        {
            return response.error(status);
        }
        return DispatchScratch.answered(context, response).doubles(scratch.doubles, context.resultCount());
    }
}
