package io.decide.tools.quota;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class DualBisectionTest
{
    private static DualBisection solver;

    @BeforeAll
    static void start()
    {
        solver = new DualBisection(2);
    }

    @AfterAll
    static void stop()
    {
        solver.close();
    }

    /**
     * Random instance: integer costs (c_0 may be > 0), continuous values >= 0 with a zero mass, so ties are rare; a
     * quarter of the items earn nothing and a quarter value option 0 highest (both skipped by the solver's passes).
     */
    static QuotaInstance random(final long seed, final int items, final int options)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] costs = new double[options];
        for (int k = 0; k < options; k++)
        {
            costs[k] = random.nextInt(0, 12);
        }
        Arrays.sort(costs);
        final double[] values = new double[items * options];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 10;
        }
        for (int i = 0; i < items; i++)
        {
            final int kind = random.nextInt(4);
            if (kind == 0)
            {
                java.util.Arrays.fill(values, i * options, (i + 1) * options, 0.0);
            }
            else if (kind == 1)
            {
                values[i * options] = 10 + random.nextDouble();
            }
        }
        final double[] labels = new double[options];
        return new QuotaInstance(costs, labels, null, values, null, null);
    }

    static double capacity(final QuotaInstance instance, final double share)
    {
        final double floor = instance.itemCount() * instance.costs()[0];
        final double top = solver.evaluate(instance, 0).totalCost();
        return floor + share * (top - floor);
    }

    @Test
    void solvedLambdaKeepsTheBudgetIsSmallestAndHasABoundedGap()
    {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 300), integers().between(1, 8),
            doubles().between(0, 1.2)).checkAssert((seed, n, k, share) ->
            {
                final QuotaInstance instance = random(seed, n, k);
                final double capacity = capacity(instance, share);
                final DualBisection.Solution s = solver.solve(instance, capacity);
                assertTrue(s.totalCost() <= capacity, "over budget: " + s);
                assertTrue(s.gap() >= -1e-9 * Math.max(1, s.dualBound()), "negative gap: " + s);
                assertTrue(s.gap() <= instance.maxValue() + 1e-9 * Math.max(1, s.dualBound()),
                    "gap " + s.gap() + " > max item value " + instance.maxValue() + ": " + s);
                if (s.lambda() > 0)
                {
                    final double below = s.lambda() * (1 - 1e-9);
                    assertTrue(solver.evaluate(instance, below).totalCost() > capacity,
                        "a smaller lambda " + below + " also keeps the budget: " + s);
                }
                final DualBisection.Pass pass = solver.evaluate(instance, s.lambda());
                assertEquals(s.totalCost(), pass.totalCost());
                assertEquals(s.dualBound(), pass.lagrangian() + s.lambda() * capacity, 1e-9 * Math.max(1, s.dualBound()));
            });
    }

    @Test
    void spendIsNonIncreasingInLambda()
    {
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 200), integers().between(1, 8))
            .checkAssert((seed, n, k) ->
            {
                final QuotaInstance instance = random(seed, n, k);
                double previous = Double.POSITIVE_INFINITY;
                for (int step = 0; step <= 60; step++)
                {
                    final double lambda = step == 0 ? 0 : Math.pow(1.3, step - 30);
                    final double cost = solver.evaluate(instance, lambda).totalCost();
                    assertTrue(cost <= previous, "g rose at lambda " + lambda);
                    previous = cost;
                }
            });
    }

    @Test
    void parallelPassesAgreeWithTheSequentialSolve()
    {
        final QuotaInstance instance = QuotaSimulator.generate(50_000, 10, 0.8, 0, 5);
        final double capacity = capacity(instance, 0.4);
        try (DualBisection one = new DualBisection(1))
        {
            final DualBisection.Solution a = one.solve(instance, capacity);
            final DualBisection.Solution b = solver.solve(instance, capacity);
            assertEquals(a.lambda(), b.lambda());
            assertEquals(a.totalCost(), b.totalCost());
            assertEquals(a.totalValue(), b.totalValue(), 1e-9 * a.totalValue());
            final int[] chosen = new int[instance.itemCount()];
            DualBisection.assign(instance, b.lambda(), chosen);
            double cost = 0;
            for (final int c : chosen)
            {
                cost += instance.costs()[c];
            }
            assertEquals(b.totalCost(), cost);
        }
    }

    @Test
    void relativeGapShrinksWithTheNumberOfItems()
    {
        final QuotaInstance small = QuotaSimulator.generate(1_000, 10, 0.5, 0, 21);
        final QuotaInstance large = QuotaSimulator.generate(100_000, 10, 0.5, 0, 21);
        final DualBisection.Solution s = solver.solve(small, capacity(small, 0.3));
        final DualBisection.Solution l = solver.solve(large, capacity(large, 0.3));
        assertTrue(l.gap() / l.totalValue() < s.gap() / s.totalValue(),
            "relative gap " + l.gap() / l.totalValue() + " at 100k, " + s.gap() / s.totalValue() + " at 1k");
        assertTrue(l.gap() <= large.maxValue());
    }

    @Test
    void unconstrainedCapacityGivesLambdaZeroAndInfeasibleCapacityIsRefused()
    {
        final QuotaInstance instance = random(3, 100, 4);
        final double top = solver.evaluate(instance, 0).totalCost();
        final DualBisection.Solution s = solver.solve(instance, top);
        assertEquals(0.0, s.lambda());
        assertEquals(0.0, s.gap(), 1e-9);
        final double[] costs = {1, 2};
        final QuotaInstance paid = new QuotaInstance(costs, new double[2], null, new double[20], null, null);
        assertThrows(IllegalArgumentException.class, () -> solver.solve(paid, 9.5));
        assertEquals(10.0, solver.solve(paid, 10).totalCost());
    }
}
