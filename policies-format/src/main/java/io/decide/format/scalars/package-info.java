/**
 * COHORT_SCALARS section: per quality bid, the sensitivity boundaries, the per-cohort scalars, direction, bounds,
 * default scalar and an optional sensitivity-model reference. Descriptor, writer, validator, flyweight.
 */
package io.decide.format.scalars;
