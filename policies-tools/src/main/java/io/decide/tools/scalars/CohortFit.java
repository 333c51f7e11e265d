package io.decide.tools.scalars;

/**
 * Least-squares fit of one cohort: engagement {@code k·x + d}, performance {@code a·x² + b·x + c} ({@code a = 0}
 * for a linear fit).
 *
 * @param cohort cohort index.
 * @param k      engagement slope.
 * @param d      engagement intercept.
 * @param a      performance curvature (0 when linear).
 * @param b      performance slope.
 * @param c      performance intercept.
 */
public record CohortFit(int cohort, double k, double d, double a, double b, double c)
{
    /**
     * @param x scalar.
     * @return fitted engagement.
     */
    public double engagement(final double x)
    {
        return k * x + d;
    }

    /**
     * @param x scalar.
     * @return fitted performance.
     */
    public double performance(final double x)
    {
        return (a * x + b) * x + c;
    }

    /**
     * Fit a cohort by least squares.
     *
     * @param cohort      cohort index.
     * @param x           tested scalars (at least 2 distinct; 3 when quadratic).
     * @param engagement  engagement per tested scalar.
     * @param performance performance per tested scalar.
     * @param quadratic   whether performance gets a quadratic term.
     * @return the fit.
     */
    public static CohortFit fit(
        final int cohort, final double[] x, final double[] engagement, final double[] performance,
        final boolean quadratic)
    {
        final double[] e = polyfit(x, engagement, 1);
        final double[] p = polyfit(x, performance, quadratic ? 2 : 1);
        return quadratic ? new CohortFit(cohort, e[1], e[0], p[2], p[1], p[0]) :
            new CohortFit(cohort, e[1], e[0], 0.0, p[1], p[0]);
    }

    /**
     * Polynomial least squares on centred abscissae (normal equations, Gaussian elimination with partial pivoting),
     * expanded back to powers of x.
     *
     * @param x      abscissae.
     * @param y      ordinates.
     * @param degree 1 or 2.
     * @return coefficients, constant first.
     */
    static double[] polyfit(final double[] x, final double[] y, final int degree)
    {
        final int m = degree + 1;
        double mean = 0;
        for (final double v : x)
        {
            mean += v;
        }
        mean /= x.length;
        final double[][] a = new double[m][m + 1];
        for (int s = 0; s < x.length; s++)
        {
            final double t = x[s] - mean;
            final double[] pow = new double[2 * m];
            pow[0] = 1;
            for (int q = 1; q < 2 * m; q++)
            {
                pow[q] = pow[q - 1] * t;
            }
            for (int r = 0; r < m; r++)
            {
                for (int c = 0; c < m; c++)
                {
                    a[r][c] += pow[r + c];
                }
                a[r][m] += pow[r] * y[s];
            }
        }
        for (int col = 0; col < m; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < m; r++)
            {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col]))
                {
                    pivot = r;
                }
            }
            final double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int r = 0; r < m; r++)
            {
                if (r != col)
                {
                    final double f = a[r][col] / a[col][col];
                    for (int c = col; c <= m; c++)
                    {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        final double[] centred = new double[m];
        for (int r = 0; r < m; r++)
        {
            centred[r] = a[r][m] / a[r][r];
        }
        if (degree == 1)
        {
            return new double[]{centred[0] - centred[1] * mean, centred[1]};
        }
        return new double[]{
            centred[0] - centred[1] * mean + centred[2] * mean * mean,
            centred[1] - 2 * centred[2] * mean,
            centred[2]};
    }
}
