/**
 * VERIFICATION_VECTORS section: inputs and expected outputs that the loader replays through the evaluator of the
 * section they target, so an artifact that would mispredict is refused before it serves.
 */
package io.decide.format.vectors;
