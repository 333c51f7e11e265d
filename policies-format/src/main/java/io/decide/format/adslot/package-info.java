/**
 * AD_SLOT_POLICY section: the ad-slot action space (feed slots, ad count, forbidden positions, minimum gap), its
 * enumerated patterns, the policy kind, reward weight, GBDT reward-model references, exploration and the context
 * layout of the session-state features. Descriptor, writer, validator, flyweight.
 */
package io.decide.format.adslot;
