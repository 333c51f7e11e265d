/**
 * Dense networks offline: import an ONNX MLP (Gemm, MatMul + Add, Relu, Sigmoid, Tanh, Identity, Split, Slice,
 * Concat) into a DENSE_NETWORK artifact, and build ONNX MLP graphs (tests, benchmarks).
 */
package io.decide.tools.network;
