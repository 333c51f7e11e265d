/**
 * Dense-network evaluation: DENSE_NETWORK sections (e.g. a multi-task multi-label sensitivity net) copied at load
 * into float arrays and evaluated with no allocation; plus an optional ONNX Runtime path for the same model.
 */
package io.decide.engine.network;
