/** The daemon's admin HTTP endpoint: {@code /metrics} (Prometheus text), {@code /health}, {@code /ready}, {@code /reload}. */
package io.decide.sidecar.admin;
