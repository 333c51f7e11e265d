package io.decide.tools.demo;

import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.quota.QuotaDualDescriptor;
import io.decide.format.quota.QuotaDualWriter;
import io.decide.tools.quota.DualBisection;
import io.decide.tools.quota.ItemsBinary;
import io.decide.tools.quota.PacingSimulation;
import io.decide.tools.quota.QuotaInstance;
import io.decide.tools.quota.QuotaSimulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The creative-quota loop: simulate 100,000 items x 10 options, write items.bin, solve λ by dual bisection at
 * half the unconstrained spend, publish a signed QUOTA_DUAL artifact (in {@code quota/} under the policy
 * directory, outside the registry's scan), load it as the engine does, decide every item with
 * {@link QuotaDecider} and check the spend equals the solver's and fits the capacity, then replay a day under drift
 * with a frozen and a paced λ. Checks: budget kept everywhere, paced λ at >= 98% of hindsight in every scenario.
 */
public final class QuotaLoopStep implements DemoStep
{
    static final int ITEMS = 100_000;
    static final int OPTIONS = 10;

    @Override
    public String title()
    {
        return "quota loop: simulate " + ITEMS + " x " + OPTIONS + ", solve, publish QUOTA_DUAL, decide, pace";
    }

    @Override
    public void run(final DemoContext context) throws Exception
    {
        final Path directory = Files.createDirectories(context.policies().resolve("quota"));
        final Path items = directory.resolve("items.bin");
        ItemsBinary.write(QuotaSimulator.generate(ITEMS, OPTIONS, 0.8, 0, 7), items);
        final QuotaInstance instance = ItemsBinary.read(items);
        try (DualBisection solver = new DualBisection(2))
        {
            final double capacity = 0.5 * solver.evaluate(instance, 0).totalCost();
            final DualBisection.Solution solution = solver.solve(instance, capacity);
            context.note(String.format("solved λ = %.6g in %d iterations (%.0f ms): cost %.6g of %.6g, value %.6g, " +
                "dual bound %.6g, gap %.3g", solution.lambda(), solution.iterations(), solution.timeNs() / 1e6,
                solution.totalCost(), capacity, solution.totalValue(), solution.dualBound(), solution.gap()));
            context.check(solution.totalCost() <= capacity, "solved quota overspends: " + solution);

            final Path file = directory.resolve("quota-v1.dpol");
            new ArtifactWriter("quota", 1)
                .addSection(SectionType.QUOTA_DUAL, QuotaDualDescriptor.VERSION, new QuotaDualWriter(instance.costs())
                    .lambda(solution.lambda()).capacity(capacity).labels(instance.labels()).toBytes())
                .metadata("{\"solver\":\"dual-bisection\",\"dualBound\":" + solution.dualBound() + ",\"gap\":" +
                    solution.gap() + "}")
                .signWith(context.artifacts().signer().getPrivate(), context.artifacts().signer().getPublic())
                .writeTo(file);
            final LoadedArtifact artifact =
                new ArtifactLoader(DemoArtifacts.loadOptions(context.artifacts().signer().getPublic())).open(file);
            try
            {
                context.check(artifact.layout().signatureVerified(), "quota artifact signature not verified");
                final QuotaDecider decider = QuotaDecider.of(artifact, 0);
                final int[] chosen = new int[instance.itemCount()];
                decider.chooseBatch(instance.values(), instance.itemCount(), decider.lambda(), chosen);
                double cost = 0;
                for (final int k : chosen)
                {
                    cost += decider.cost(k);
                }
                context.note(String.format("served %s: %d decisions spend %.6g (solver: %.6g)", artifact,
                    chosen.length, cost, solution.totalCost()));
                context.check(cost == solution.totalCost() && cost <= capacity,
                    "engine decisions spend " + cost + ", solver said " + solution.totalCost());
                context.summary("quota", String.format("λ %.6g, cost %.6g / %.6g, gap %.3g", decider.lambda(), cost,
                    capacity, solution.gap()));
            }
            finally
            {
                artifact.close();
            }

            final List<PacingSimulation.Result> results =
                PacingSimulation.run(ITEMS, OPTIONS, 0.8, 0.5, 500, 0.5, 7, solver);
            final StringBuilder line = new StringBuilder();
            for (final PacingSimulation.Result r : results)
            {
                context.note(String.format("pacing, drift %-10s: frozen λ %.2f%% of hindsight%s, paced λ %.2f%%%s",
                    r.scenario().name(), 100 * r.frozen().share(), ranOut(r.frozen()), 100 * r.paced().share(),
                    ranOut(r.paced())));
                context.check(r.paced().share() >= 0.98, "paced share " + r.paced().share() + " under drift " +
                    r.scenario().name());
                context.check(r.paced().spent() <= r.budget() && r.frozen().spent() <= r.budget(),
                    "overspent under drift " + r.scenario().name());
                line.append(line.length() == 0 ? "" : ", ").append(r.scenario().name()).append(' ')
                    .append(String.format("%.1f%%/%.1f%%", 100 * r.frozen().share(), 100 * r.paced().share()));
            }
            context.summary("quota pacing (frozen/paced share of hindsight)", line.toString());
        }
    }

    private static String ranOut(final PacingSimulation.Outcome outcome)
    {
        return Double.isNaN(outcome.exhaustedAt()) ? "" :
            String.format(" (budget out at %.1f%% of the day)", 100 * outcome.exhaustedAt());
    }
}
