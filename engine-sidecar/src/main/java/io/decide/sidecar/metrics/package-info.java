/**
 * The daemon's counters and latency histograms (HdrHistogram recorders, allocation-free to record) and their
 * Prometheus text rendering.
 */
package io.decide.sidecar.metrics;
