package io.decide.tools.gbdt.xgboost;

/**
 * {@code logf} as glibc (2.28 and later) and musl compute it on x86-64 and AArch64: XGBoost turns a probability-space
 * {@code base_score} into a margin with the C library's single-precision log, which is not correctly rounded
 * (0.82 ulp at worst), so {@code (float) Math.log(x)} differs from it for about one float in a thousand.
 * <p>
 * The algorithm and its constants are those of Arm's Optimized Routines {@code logf} (Copyright (c) 2017-2018,
 * Arm Limited, MIT licence), which glibc and musl ship: {@code log(x) = log1p(z/c - 1) + log(c) + k ln2} with
 * {@code x = 2^k z}, a 16-entry table of {@code c}, and a degree-4 polynomial, evaluated in double and rounded once.
 * glibc's FMA variant gives the same floats (checked on every 7th float in [1e-3, 1e3]).
 */
final class GlibcLogf
{
    private static final int TABLE_BITS = 4;
    private static final int OFF = 0x3f330000;
    private static final double LN2 = 0x1.62e42fefa39efp-1;
    private static final double A0 = -0x1.00ea348b88334p-2;
    private static final double A1 = 0x1.5575b0be00b6ap-2;
    private static final double A2 = -0x1.ffffef20a4123p-2;
    private static final double[] INV_C =
    {
        0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
        0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
        0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
        0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1
    };
    private static final double[] LOG_C =
    {
        -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
        -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
        -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
        0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2
    };

    private GlibcLogf()
    {
    }

    /**
     * @param x argument.
     * @return the float glibc's {@code logf(x)} returns: -inf for ±0, NaN for negative or NaN, +inf for +inf.
     */
    static float logf(final float x)
    {
        int ix = Float.floatToRawIntBits(x);
        if (ix == 0x3f800000)
        {
            return 0.0f;
        }
        if (Integer.compareUnsigned(ix - 0x00800000, 0x7f800000 - 0x00800000) >= 0)
        {
            if (ix << 1 == 0)
            {
                return Float.NEGATIVE_INFINITY;
            }
            if (ix == 0x7f800000)
            {
                return x;
            }
            if ((ix & 0x80000000) != 0 || Integer.compareUnsigned(ix << 1, 0xff000000) >= 0)
            {
                return Float.NaN;
            }
            ix = Float.floatToRawIntBits(x * 0x1p23f) - (23 << 23);
        }
        final int tmp = ix - OFF;
        final int i = (tmp >>> (23 - TABLE_BITS)) & ((1 << TABLE_BITS) - 1);
        final int k = tmp >> 23;
        final int iz = ix - (tmp & 0xff800000);
        final double z = Float.intBitsToFloat(iz);
        final double r = z * INV_C[i] - 1.0;
        final double y0 = LOG_C[i] + k * LN2;
        final double r2 = r * r;
        double y = A1 * r + A2;
        y = A0 * r2 + y;
        y = y * r2 + (y0 + r);
        return (float)y;
    }
}
