package io.decide.tools.quota;

import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.quota.QuotaPacer;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays a day of quota requests under drift and compares a frozen λ with a paced one.
 * <p>
 * Yesterday's instance (simulated, {@link QuotaSimulator}) is solved for λ0 at capacity C = {@code budgetShare} of
 * its unconstrained spend. Today's requests are a fresh instance of the same distribution, arriving evenly over
 * the day, with the drift applied: values ×{@code valueFactor} (the decider sees the drifted values, as a value
 * model that tracks reality would report them) and realised costs ×{@code costFactor} (the decider still believes
 * the artifact's costs). Both policies charge realised costs against C with a hard stop (a refused charge serves
 * option 0, which costs 0); the frozen policy keeps λ0, the paced one takes λ from a {@link QuotaPacer} updated
 * {@code updates} times a day. The hindsight optimum is bounded above by the LP dual bound of today's realised
 * instance at C, and shares are reported against that bound (so they are conservative).
 */
public final class PacingSimulation
{
    /** The drift scenarios of the issue. */
    public static final Scenario[] SCENARIOS = {
        new Scenario("none", 1.0, 1.0),
        new Scenario("cost x1.3", 1.0, 1.3),
        new Scenario("value x1.5", 1.5, 1.0),
    };

    private PacingSimulation()
    {
    }

    /**
     * A drift scenario.
     *
     * @param name        for reports.
     * @param valueFactor today's values relative to yesterday's.
     * @param costFactor  today's realised costs relative to the believed ones.
     */
    public record Scenario(String name, double valueFactor, double costFactor)
    {
    }

    /**
     * What one policy did.
     *
     * @param value        realised value.
     * @param share        value / hindsight bound.
     * @param spent        realised spend.
     * @param exhaustedAt  share of the day at which a charge was first refused, NaN when never.
     * @param finalLambda  λ at the end of the day.
     */
    public record Outcome(double value, double share, double spent, double exhaustedAt, double finalLambda)
    {
    }

    /**
     * One scenario's result.
     *
     * @param scenario        the scenario.
     * @param budget          C.
     * @param offlineLambda   λ0.
     * @param hindsightBound  LP dual bound of today's realised instance at C.
     * @param hindsightValue  the dual-bisection primal of that instance (a feasible hindsight assignment).
     * @param frozen          frozen-λ outcome.
     * @param paced           paced-λ outcome.
     */
    public record Result(Scenario scenario, double budget, double offlineLambda, double hindsightBound,
        double hindsightValue, Outcome frozen, Outcome paced)
    {
    }

    /**
     * Run every scenario.
     *
     * @param requests    requests per day.
     * @param options     K.
     * @param zeroShare   share of items that earn nothing.
     * @param budgetShare C as a share of yesterday's unconstrained spend, in (0, 1].
     * @param updates     pacer updates per day.
     * @param gain        pacer gain η.
     * @param seed        random seed.
     * @param solver      the solver (for λ0 and hindsight).
     * @return one result per scenario.
     */
    public static List<Result> run(final int requests, final int options, final double zeroShare,
        final double budgetShare, final int updates, final double gain, final long seed, final DualBisection solver)
    {
        final QuotaInstance yesterday = QuotaSimulator.generate(requests, options, zeroShare, 0, seed);
        final double unconstrained = solver.evaluate(yesterday, 0).totalCost();
        final double budget = budgetShare * unconstrained;
        final double lambda0 = solver.solve(yesterday, budget).lambda();
        final QuotaInstance base = QuotaSimulator.generate(requests, options, zeroShare, 0, seed + 1);
        final List<Result> results = new ArrayList<>();
        for (final Scenario scenario : SCENARIOS)
        {
            final QuotaInstance today = base.scaled(scenario.valueFactor, scenario.costFactor);
            final DualBisection.Solution hindsight = solver.solve(today, budget);
            final QuotaDecider decider = new QuotaDecider(base.costs(), lambda0, 0);
            final Outcome frozen = replay(today, decider, budget, lambda0, false, updates, gain, hindsight.dualBound());
            final Outcome paced = replay(today, decider, budget, lambda0, true, updates, gain, hindsight.dualBound());
            results.add(new Result(scenario, budget, lambda0, hindsight.dualBound(), hindsight.totalValue(), frozen,
                paced));
        }
        return results;
    }

    private static Outcome replay(final QuotaInstance today, final QuotaDecider decider, final double budget,
        final double lambda0, final boolean paced, final int updates, final double gain, final double bound)
    {
        final int n = today.itemCount();
        final int k = today.optionCount();
        final long stepNs = 1000;
        final long horizonNs = stepNs * n;
        final double floor = lambda0 > 0 ? lambda0 * 1e-3 : 1e-9;
        final QuotaPacer pacer = new QuotaPacer(budget, lambda0, 0, horizonNs, Math.max(1, horizonNs / updates), gain,
            floor, Math.max(floor, lambda0 > 0 ? lambda0 * 1e3 : 1e3));
        final double[] values = today.values();
        final double[] realisedCosts = today.costs();
        double value = 0;
        double exhaustedAt = Double.NaN;
        for (int i = 0, offset = 0; i < n; i++, offset += k)
        {
            final long nowNs = i * stepNs;
            final double lambda = paced ? pacer.lambda() : lambda0;
            int chosen = decider.choose(values, offset, lambda);
            if (!pacer.tryCharge(realisedCosts[chosen]))
            {
                if (Double.isNaN(exhaustedAt))
                {
                    exhaustedAt = (double)i / n;
                }
                chosen = 0;
                pacer.tryCharge(realisedCosts[0]);
            }
            value += values[offset + chosen];
            if (paced)
            {
                pacer.update(nowNs);
            }
        }
        return new Outcome(value, value / bound, pacer.spent(), exhaustedAt, paced ? pacer.lambda() : lambda0);
    }
}
