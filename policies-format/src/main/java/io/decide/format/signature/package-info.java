/**
 * SIGNATURE section: an Ed25519 signature over the artifact digest, verified at load when a public key is set.
 */
package io.decide.format.signature;
