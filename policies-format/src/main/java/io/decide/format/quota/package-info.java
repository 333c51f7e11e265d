/**
 * QUOTA_DUAL section: the creative-quota dual λ, the option costs, and where option values come from
 * (caller-provided, or a GBDT value model in the same artifact). Descriptor, writer, validator, flyweight.
 */
package io.decide.format.quota;
