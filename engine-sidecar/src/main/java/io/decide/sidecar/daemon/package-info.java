/**
 * The {@code decided} process: configuration ({@link io.decide.sidecar.daemon.DaemonConfig}), the serving loop, the
 * policy-directory watcher, signals, the admin HTTP endpoint and graceful shutdown
 * ({@link io.decide.sidecar.daemon.Daemon}), and the command line ({@link io.decide.sidecar.daemon.DecidedMain}).
 */
package io.decide.sidecar.daemon;
