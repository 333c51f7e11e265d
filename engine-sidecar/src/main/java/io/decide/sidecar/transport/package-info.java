/**
 * How requests reach the dispatcher: Unix domain and TCP sockets on one non-blocking selector
 * ({@link io.decide.sidecar.transport.SocketTransport}) and memory-mapped ring buffers
 * ({@link io.decide.sidecar.transport.ShmTransport}), polled by one loop with a 2-core-friendly idle strategy.
 */
package io.decide.sidecar.transport;
