package io.decide.sidecar.client;

import io.decide.sidecar.protocol.ResponseFlyweight;

/** Receives responses; the flyweight is valid only during the call. */
@FunctionalInterface
public interface ResponseHandler
{
    /**
     * @param response the response frame.
     */
    void onResponse(ResponseFlyweight response);
}
