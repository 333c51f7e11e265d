/**
 * Per-user session state for ad-slot decisions (previous feed's ad mask, posts since the last ad, rolling ad counts,
 * session impressions, feed depth, last activity), persisted in a Chronicle Map and read and updated without
 * allocation.
 */
package io.decide.engine.state;
