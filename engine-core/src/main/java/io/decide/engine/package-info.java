/**
 * Decide's online engine: artifacts mapped and validated once, then read by deciders with no checks and no
 * allocation. Sub-packages by capability.
 */
package io.decide.engine;
