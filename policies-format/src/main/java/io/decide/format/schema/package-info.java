/**
 * FEATURE_SCHEMA section: feature names, types and missing-value conventions, resolved to indices at load.
 */
package io.decide.format.schema;
