/**
 * DENSE_NETWORK section: a feed-forward network of dense float32 layers (a shared trunk and one head per output,
 * or any DAG where each layer reads the input or one earlier layer). Descriptor, writer, validator, flyweight.
 */
package io.decide.format.network;
