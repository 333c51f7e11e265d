/**
 * Helpers other modules' tests reuse: the zero-allocation assertion, and builders, generators and a fuzzing
 * corpus of valid {@code .dpol} artifacts.
 */
package io.decide.testsupport;
