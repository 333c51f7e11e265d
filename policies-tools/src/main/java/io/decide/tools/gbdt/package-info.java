/**
 * Importers that turn XGBoost, LightGBM and ONNX-ML tree models into a {@link io.decide.format.gbdt.TreeEnsemble}
 * with the library's exact semantics, refusing what they cannot represent.
 */
package io.decide.tools.gbdt;
