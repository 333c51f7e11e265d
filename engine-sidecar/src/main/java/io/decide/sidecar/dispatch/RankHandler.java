package io.decide.sidecar.dispatch;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.protocol.RequestFlyweight;
import io.decide.sidecar.protocol.ResponseEncoder;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * {@link DecisionKind#RANK}: Q quality scalars and a candidate batch in, K in the header; i32 candidate indices
 * out, best first. The artifact name may be empty (ranking reads no artifact).
 */
public final class RankHandler implements DecisionHandler
{
    @Override
    public DecisionKind kind()
    {
        return DecisionKind.RANK;
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
        final int count = request.scalarCount();
        final double[] scalars = scratch.scalars;
        if (count > scalars.length)
        {
            return response.error(DecisionStatus.BAD_SIZE);
        }
        final int at = request.scalarsOffset();
        for (int i = 0; i < count; i++)
        {
            scalars[i] = request.buffer().getDouble(at + 8 * i, LITTLE_ENDIAN);
        }
        final int status = engine.rank(request.buffer(), request.batchOffset(), request.batchLength(), scalars, count,
            request.k(), scratch.ints, context);
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
        final int status = engine.fallbackRank(request.buffer(), request.batchOffset(), request.batchLength(),
            request.k(), scratch.ints, context);
        return write(status, context, scratch, response);
    }

    private static int write(
        final int status, final DecisionContext context, final DispatchScratch scratch, final ResponseEncoder response)
    {
        if (status != DecisionStatus.OK)
        {
            return response.error(status);
        }
        return DispatchScratch.answered(context, response).ints(scratch.ints, context.resultCount());
    }
}
