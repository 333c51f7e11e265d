/**
 * GBDT_ENSEMBLE section: the tree-ensemble model importers produce ({@link io.decide.format.gbdt.TreeEnsemble}),
 * its exact reference semantics, and the flat layout the engine evaluates.
 */
package io.decide.format.gbdt;
