package io.decide.sidecar.dispatch;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.protocol.RequestFlyweight;
import io.decide.sidecar.protocol.ResponseEncoder;

/** {@link DecisionKind#GBDT_PREDICT}: dense or sparse features in; f64 transformed outputs out. */
public final class GbdtPredictHandler implements DecisionHandler
{
    @Override
    public DecisionKind kind()
    {
        return DecisionKind.GBDT_PREDICT;
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
        final int length = scratch.features(request, handle, engine, DecisionKind.GBDT_PREDICT);
        if (length < 0)
        {
            return response.error(-length);
        }
        final int status = engine.predict(handle, scratch.row, length, scratch.doubles, context);
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
        final int status = engine.fallbackPredict(handle, scratch.doubles, context);
        return write(status, context, scratch, response);
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
