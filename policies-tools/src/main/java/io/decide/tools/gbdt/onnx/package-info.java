/**
 * The ONNX-ML importer: one TreeEnsembleRegressor or TreeEnsembleClassifier node read into a
 * {@link io.decide.format.gbdt.TreeEnsemble} that predicts exactly what ONNX Runtime predicts.
 */
package io.decide.tools.gbdt.onnx;
