/**
 * The sidecar's wire protocol ({@code docs/PROTOCOL.md}): descriptors with byte diagrams, flyweights that read
 * frames in place, and encoders that write them, all without allocation.
 */
package io.decide.sidecar.protocol;
