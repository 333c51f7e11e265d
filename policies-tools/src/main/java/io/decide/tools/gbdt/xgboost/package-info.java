/**
 * XGBoost importer: reads the JSON and UBJSON model files XGBoost writes (gbtree and DART boosters) into a
 * {@link io.decide.format.gbdt.TreeEnsemble} that predicts what XGBoost's CPU predictor predicts, bit for bit.
 */
package io.decide.tools.gbdt.xgboost;
