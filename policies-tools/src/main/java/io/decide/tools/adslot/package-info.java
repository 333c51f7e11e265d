/**
 * Assembling ad-slot policy artifacts (AD_SLOT_POLICY plus its GBDT reward models) from the action-space and
 * exploration settings and imported models; used by {@code decide build-adslot}.
 */
package io.decide.tools.adslot;
