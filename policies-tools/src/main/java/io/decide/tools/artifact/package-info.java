/**
 * Offline work on whole artifact files: mapping and validating them, describing their contents for people and
 * JSON consumers, and re-writing them signed.
 */
package io.decide.tools.artifact;
