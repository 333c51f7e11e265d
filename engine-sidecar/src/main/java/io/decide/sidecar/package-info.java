/**
 * The {@code decided} sidecar: serves the in-process {@link io.decide.engine.service.DecisionEngine} to other
 * processes over Unix domain sockets, TCP and shared memory, with the binary protocol of {@code docs/PROTOCOL.md}.
 */
package io.decide.sidecar;
