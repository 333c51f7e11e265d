/**
 * JMH benchmarks for Decide (artifact open and validation, section lookup, the registry read guard, GBDT evaluation
 * against xgboost4j, LightGBM and ONNX Runtime on the same models, GBDT artifact open) and
 * {@link io.decide.bench.BenchMain}, which runs them with the project's JVM flags and writes a markdown table.
 */
package io.decide.bench;
