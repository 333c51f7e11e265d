package io.decide.tools.ope;

/**
 * The estimators written directly from their definitions (docs/OPE.md, after the Open Bandit Pipeline), with plain
 * loops over the full n × K matrices: the independent reference the tests compare {@link OffPolicyEvaluator} to.
 */
final class ReferenceEstimators
{
    private final BanditLog log;
    private final int k;
    private final double[] dist;
    private final double[] q;

    ReferenceEstimators(final BanditLog log, final int k, final double[] dist, final double[] q)
    {
        this.log = log;
        this.k = k;
        this.dist = dist;
        this.q = q;
    }

    private double w(final int i)
    {
        return dist[i * k + log.action(i)] / log.pscore(i);
    }

    private double qHat(final int i, final int a)
    {
        return q[i * k + a];
    }

    private double directTerm(final int i)
    {
        double s = 0;
        for (int a = 0; a < k; a++)
        {
            s += dist[i * k + a] * qHat(i, a);
        }
        return s;
    }

    double dm()
    {
        double s = 0;
        for (int i = 0; i < log.rows(); i++)
        {
            s += directTerm(i);
        }
        return s / log.rows();
    }

    double ipw(final double clip)
    {
        double s = 0;
        for (int i = 0; i < log.rows(); i++)
        {
            s += Math.min(w(i), clip) * log.reward(i);
        }
        return s / log.rows();
    }

    double snipw()
    {
        double num = 0;
        double den = 0;
        for (int i = 0; i < log.rows(); i++)
        {
            num += w(i) * log.reward(i);
            den += w(i);
        }
        return num / den;
    }

    double dr(final double clip)
    {
        double s = 0;
        for (int i = 0; i < log.rows(); i++)
        {
            s += directTerm(i) + Math.min(w(i), clip) * (log.reward(i) - qHat(i, log.action(i)));
        }
        return s / log.rows();
    }

    double sndr()
    {
        double meanW = 0;
        for (int i = 0; i < log.rows(); i++)
        {
            meanW += w(i);
        }
        meanW /= log.rows();
        double s = 0;
        for (int i = 0; i < log.rows(); i++)
        {
            s += directTerm(i) + w(i) / meanW * (log.reward(i) - qHat(i, log.action(i)));
        }
        return s / log.rows();
    }

    double switchDr(final double tau)
    {
        double s = 0;
        for (int i = 0; i < log.rows(); i++)
        {
            final double correction = w(i) <= tau ? w(i) * (log.reward(i) - qHat(i, log.action(i))) : 0;
            s += directTerm(i) + correction;
        }
        return s / log.rows();
    }

    double dros(final double lambda)
    {
        double s = 0;
        for (int i = 0; i < log.rows(); i++)
        {
            final double shrunk = lambda * w(i) / (w(i) * w(i) + lambda);
            s += directTerm(i) + shrunk * (log.reward(i) - qHat(i, log.action(i)));
        }
        return s / log.rows();
    }

    double ess()
    {
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < log.rows(); i++)
        {
            s += w(i);
            s2 += w(i) * w(i);
        }
        return s * s / s2;
    }
}
