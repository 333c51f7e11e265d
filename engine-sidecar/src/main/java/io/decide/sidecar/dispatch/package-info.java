/**
 * From a request frame to a response frame: the {@link io.decide.sidecar.dispatch.Dispatcher} checks, applies the
 * deadline and hands the request to the {@link io.decide.sidecar.dispatch.DecisionHandler} of its kind (one small
 * class per decision kind); no allocation.
 */
package io.decide.sidecar.dispatch;
