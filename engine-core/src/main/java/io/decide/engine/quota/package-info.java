/**
 * Creative quota (ACQ): {@link io.decide.engine.quota.QuotaDecider} picks k* = argmax_k (v_k − λ·c_k) with no
 * allocation; {@link io.decide.engine.quota.QuotaPacer} corrects λ online from realised spend.
 */
package io.decide.engine.quota;
