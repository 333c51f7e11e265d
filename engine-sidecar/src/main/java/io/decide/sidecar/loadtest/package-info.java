/**
 * The open-loop load harness ({@code decide loadtest}): fixed-rate requests on one or more connections, latency
 * measured from each request's intended send time (HdrHistogram, corrected for coordinated omission).
 */
package io.decide.sidecar.loadtest;
