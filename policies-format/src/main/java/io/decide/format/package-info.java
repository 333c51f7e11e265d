/**
 * The {@code .dpol} policy artifact container: header and section table descriptors, flyweights over Agrona
 * buffers, the writer, and the validator that checks every byte once at load. Spec: {@code docs/FORMAT.md}.
 */
package io.decide.format;
