/**
 * Java client of the sidecar: {@link io.decide.sidecar.client.ClientConnection}s over UDS, TCP or shared memory,
 * a blocking {@link io.decide.sidecar.client.DecideClient} and the pipelined asynchronous
 * {@link io.decide.sidecar.client.PipelinedClient}.
 */
package io.decide.sidecar.client;
