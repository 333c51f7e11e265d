/**
 * GBDT evaluation: GBDT_ENSEMBLE sections compiled at load into flat traversal arrays, evaluated with no allocation
 * and bit-identical to the library that trained the model (the reference semantics of TreeEnsemble).
 */
package io.decide.engine.gbdt;
