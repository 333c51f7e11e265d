/**
 * The end-to-end demo as a list of steps over one shared context: publish, serve, hot-swap, refuse, reclaim.
 * Later demos (decisions, logging, OPE) append their steps to the same runner.
 */
package io.decide.tools.demo;
