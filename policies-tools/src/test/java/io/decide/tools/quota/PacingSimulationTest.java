package io.decide.tools.quota;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacingSimulationTest
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

    @Test
    void pacedLambdaReaches98PercentOfHindsightInEveryScenarioAndNeverOverspends()
    {
        for (final long seed : new long[]{11, 12})
        {
            final List<PacingSimulation.Result> results =
                PacingSimulation.run(100_000, 10, 0.8, 0.5, 500, 0.5, seed, solver);
            assertEquals(3, results.size());
            for (final PacingSimulation.Result r : results)
            {
                System.out.printf("seed %d %-10s λ0 %.4f bound %.1f hindsight %.1f | frozen %.4f spent %.1f/%.1f " +
                    "out at %.3f | paced %.4f spent %.1f out at %.3f λ %.4f%n", seed, r.scenario().name(),
                    r.offlineLambda(), r.hindsightBound(), r.hindsightValue(), r.frozen().share(), r.frozen().spent(),
                    r.budget(), r.frozen().exhaustedAt(), r.paced().share(), r.paced().spent(),
                    r.paced().exhaustedAt(), r.paced().finalLambda());
                assertTrue(r.paced().share() >= 0.98, r.scenario().name() + ": paced share " + r.paced().share());
                assertTrue(r.paced().spent() <= r.budget(), "paced overspent");
                assertTrue(r.frozen().spent() <= r.budget(), "frozen overspent");
                assertTrue(r.paced().share() <= 1 + 1e-9, "above the hindsight bound: the bound is wrong");
            }
        }
    }
}
