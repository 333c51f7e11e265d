/**
 * The ad-load simulator (ShareChat's feed ad-slot bandit): allowed ad-slot patterns of a feed, users with
 * heterogeneous ad tolerance, position effects and abandonment, uniform-random logging with known ground truth.
 */
package io.decide.tools.adload;
