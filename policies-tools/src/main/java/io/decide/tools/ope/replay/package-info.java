/**
 * Replay off-policy evaluation: the engine's own {@code AdSlotDecider}, loaded from the candidate artifact,
 * recomputes π_e(· | x_i) for every logged ad-slot decision from the decision log's replay rows, so the evaluated
 * policy is exactly the code that will serve; rewards are joined by request id as {@code decide log join} does.
 */
package io.decide.tools.ope.replay;
