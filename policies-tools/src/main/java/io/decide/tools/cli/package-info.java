/**
 * The {@code decide} command line: inspect, validate, sign and generate keys for artifacts, and run the demo.
 * Commands are thin; exit codes are {@link io.decide.tools.cli.ExitCodes}, one-line errors go to stderr.
 */
package io.decide.tools.cli;
