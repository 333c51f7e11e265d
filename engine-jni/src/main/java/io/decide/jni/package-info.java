/**
 * The Java half of the C ABI ({@code engine-jni/src/main/c/decide.h}): {@link io.decide.jni.NativeBridge}, the static
 * entry points libdecide.so calls with native addresses, and {@link io.decide.jni.DecideError}, the ABI's return codes.
 */
package io.decide.jni;
