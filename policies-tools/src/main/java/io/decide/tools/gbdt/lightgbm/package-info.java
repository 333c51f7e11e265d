/**
 * LightGBM text models (model.txt, saveModelToString) read into a {@link io.decide.format.gbdt.TreeEnsemble} that
 * predicts bit for bit what LightGBM's dense-matrix prediction does; what cannot be represented is refused.
 */
package io.decide.tools.gbdt.lightgbm;
