/**
 * Loading artifacts (mmap, validate, replay verification vectors, pre-touch) and serving the highest valid
 * version of each name with atomic swaps; old mappings are released only when no reader can still touch them.
 */
package io.decide.engine.registry;
