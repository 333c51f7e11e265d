/**
 * Ad-slot decisions (ShareChat's ad-load bandit): the allowed patterns of a feed from the user's session state,
 * reward models or a baseline, exploration with a probability floor, and a replayable counter-based draw.
 */
package io.decide.engine.adslot;
