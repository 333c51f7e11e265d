/**
 * The in-process decision facade: {@link io.decide.engine.service.DecisionEngine} serves every decision kind from a
 * policy directory by artifact name, with status codes and fallbacks; the sidecar and the C ABI both call it.
 */
package io.decide.engine.service;
