package io.decide.engine.adslot;

/**
 * The counter-based generator behind ad-slot draws: a pure function of (key, counter), so a decision replays
 * exactly from the artifact version and the request id, on any thread and in any order. Mixing is SplitMix64's
 * finaliser (Stafford's variant 13) applied twice: {@code mix(mix(key ^ K0) + counter·K1)}; the top 53 bits give a
 * double uniform in [0, 1). The same mixing hashes users into the holdout.
 */
public final class AdSlotRandom
{
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
    private static final long KEY_TWEAK = 0x632B_E59B_D9B4_E019L;
    private static final double UNIT = 0x1.0p-53;

    private AdSlotRandom()
    {
    }

    /**
     * SplitMix64's finaliser: a bijection of 64-bit values with full avalanche.
     *
     * @param z input.
     * @return mixed value.
     */
    public static long mix64(final long z)
    {
        long x = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return x ^ (x >>> 31);
    }

    /**
     * 64 random bits for (key, counter).
     *
     * @param key     stream key (the artifact version for decisions, the holdout salt for users).
     * @param counter position in the stream (the request id, or the user id).
     * @return the bits.
     */
    public static long bits(final long key, final long counter)
    {
        return mix64(mix64(key ^ KEY_TWEAK) + counter * GOLDEN_GAMMA);
    }

    /**
     * A double uniform in [0, 1) for (key, counter).
     *
     * @param key     stream key.
     * @param counter position in the stream.
     * @return u in [0, 1), a multiple of 2^-53.
     */
    public static double uniform(final long key, final long counter)
    {
        return (bits(key, counter) >>> 11) * UNIT;
    }

    /**
     * Whether a user is in the uniform-random holdout: {@code 100·uniform(salt, userId) < percent}.
     *
     * @param salt    the policy's holdout salt.
     * @param userId  user id.
     * @param percent holdout percentage, 0..100.
     * @return whether the user is held out.
     */
    public static boolean inHoldout(final long salt, final long userId, final double percent)
    {
        return percent > 0 && uniform(salt, userId) * 100.0 < percent;
    }
}
