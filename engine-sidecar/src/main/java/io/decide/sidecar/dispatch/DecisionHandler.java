package io.decide.sidecar.dispatch;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.sidecar.protocol.RequestFlyweight;
import io.decide.sidecar.protocol.ResponseEncoder;

/**
 * Answers one {@link DecisionKind} over the wire: reads the kind's inputs from a validated request, calls the
 * engine's method for that kind, and writes the payload. Adding a decision kind to the sidecar is one such class
 * registered in {@link DecisionHandlers#builtIn()} (plus its payload in {@code docs/PROTOCOL.md}). Implementations
 * allocate nothing and keep no per-request state outside the {@link DispatchScratch}.
 */
public interface DecisionHandler
{
    /** @return the kind handled. */
    DecisionKind kind();

    /**
     * Decide and write the response (already begun: request id, kind).
     *
     * @param request  the validated request.
     * @param handle   the artifact handle of the request's name ({@link DecisionEngine#NO_HANDLE} when unknown).
     * @param engine   the engine.
     * @param context  the calling thread's engine context.
     * @param scratch  the calling thread's buffers.
     * @param response the response being written.
     * @return the response frame length.
     */
    int decide(
        RequestFlyweight request,
        int handle,
        DecisionEngine engine,
        DecisionContext context,
        DispatchScratch scratch,
        ResponseEncoder response);

    /**
     * Answer with the kind's shed-path fallback, evaluating nothing (the request's deadline cannot be met).
     *
     * @param request  the validated request.
     * @param handle   the artifact handle.
     * @param engine   the engine.
     * @param context  the calling thread's engine context.
     * @param scratch  the calling thread's buffers.
     * @param response the response being written.
     * @return the response frame length.
     */
    int shed(
        RequestFlyweight request,
        int handle,
        DecisionEngine engine,
        DecisionContext context,
        DispatchScratch scratch,
        ResponseEncoder response);
}
