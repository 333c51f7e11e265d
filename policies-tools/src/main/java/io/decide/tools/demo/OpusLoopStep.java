package io.decide.tools.demo;

import io.decide.engine.cohort.CohortReader;
import io.decide.engine.cohort.CohortTable;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyReader;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.registry.ReloadResult;
import io.decide.engine.scalar.ScalarContext;
import io.decide.engine.scalar.ScalarDecider;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.gbdt.MissingRule;
import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsWriter;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsWriter;
import io.decide.tools.scalars.BidResponses;
import io.decide.tools.scalars.BidSolution;
import io.decide.tools.scalars.CohortFit;
import io.decide.tools.scalars.PolicyDeltas;
import io.decide.tools.scalars.ResponseSimulator;
import io.decide.tools.scalars.ScalarMethod;
import io.decide.tools.scalars.ScalarPolicySolver;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The Opus loop (PAPERS.md §1), end to end: simulate RCT responses of {@value #BIDS} quality bids x
 * {@value #COHORTS} cohorts from known ground truth ({@link ResponseSimulator}), solve each bid with lpqc-sorted
 * (decreasing, ρ = 1%), publish a signed artifact with one GBDT sensitivity model per bid and the COHORT_SCALARS
 * section, plus a user→cohort Chronicle Map table for the same users, load the artifact with a
 * {@link PolicyRegistry} (in {@code opus/} under the policy directory, outside the main registry's scan), and decide
 * every simulated user's scalars both ways with {@link ScalarDecider}. Checks: both ways give every user the solved
 * scalar of their true cohort; unknown users get the default and are counted exactly; on a held-out RCT of the same
 * truth, the served policy gains more engagement than the uniform policy with the same performance loss.
 * <p>
 * Users: feature {@code q} is the user's sensitivity signal {@code u_q} in [0, 1) for bid q (their true cohort is
 * the number of thresholds {@code i/N <= u_q}); the last feature is noise. The sensitivity model of bid q is that
 * truth as a GBDT: N−1 stumps on feature q, each adding 1, so its raw margin is the cohort index and the
 * boundaries are 1..N−1 (the {@code decide solve-scalars} default). It stands for a trained sensitivity model; the
 * demo shows the runtime, not model training.
 */
public final class OpusLoopStep implements DemoStep
{
    static final int BIDS = 2;
    static final int COHORTS = 10;
    static final int USERS = 20_000;
    static final int UNKNOWN_USERS = 2_000;
    static final double RHO = 0.01;
    private static final double[] TESTED = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};
    private static final double LOWER = 0.5;
    private static final double UPPER = 2.0;
    private static final int FEATURES = BIDS + 1;
    private static final int PASSES = 3;

    @Override
    public String title()
    {
        return "opus loop: simulate " + BIDS + " bids x " + COHORTS + " cohorts, solve lpqc-sorted, publish " +
            "COHORT_SCALARS + GBDT sensitivity, decide " + USERS + " users";
    }

    @Override
    public void run(final DemoContext context) throws Exception
    {
        final Path directory = Files.createDirectories(context.policies().resolve("opus"));
        final ResponseSimulator simulator = new ResponseSimulator(BIDS, COHORTS, 42);
        final List<BidResponses> train = simulator.responses(TESTED, 0.002, 1);
        final List<BidResponses> heldOut = simulator.responses(TESTED, 0.002, 2);
        final ScalarPolicySolver solver = new ScalarPolicySolver();
        final double[][] solved = new double[BIDS][];
        final CohortScalarsWriter section = new CohortScalarsWriter();
        final ArtifactWriter writer = new ArtifactWriter("opus", 1);
        final VerificationVectorsWriter vectors = new VerificationVectorsWriter();
        final StringBuilder metadata = new StringBuilder("{\"solver\":\"lagrangian-pava\",\"bids\":[");
        final double[] boundaries = new double[COHORTS - 1];
        for (int i = 0; i < COHORTS - 1; i++)
        {
            boundaries[i] = i + 1;
        }
        for (int q = 0; q < BIDS; q++)
        {
            final BidSolution solution =
                solver.solve(train.get(q), ScalarMethod.LPQC_SORTED, RHO, Double.NaN, LOWER, UPPER, false);
            solved[q] = solution.certificate().x();
            context.note(String.format("bid %d: lpqc-sorted in %.0f µs, gap %.2g, residual %.3g, scalars %s", q,
                solution.solveNanos() / 1e3, solution.certificate().gap(), solution.certificate().residual(),
                brief(solved[q])));
            final TreeEnsemble model = sensitivityModel(q);
            writer.addSection(SectionType.GBDT_ENSEMBLE, 1, GbdtSectionWriter.toBytes(model));
            final VerificationVectorsWriter.Group group = vectors.group(SectionType.GBDT_ENSEMBLE, q,
                GbdtEvaluator.MODE_RAW, FEATURES, 1, Tolerance.EXACT, 0);
            final Random probe = new Random(q);
            for (int v = 0; v < 8; v++)
            {
                final double[] row = {probe.nextDouble(), probe.nextDouble(), probe.nextDouble()};
                final double[] margin = new double[1];
                model.predictRaw(row, margin);
                group.add(row, margin);
            }
            section.addBid(q, CohortScalarsDescriptor.DECREASING, ScalarMethod.LPQC_SORTED.code(), LOWER, UPPER, 1.0,
                boundaries, solved[q], q, 0);
            metadata.append(q == 0 ? "" : ",").append("{\"bid\":").append(q).append(",\"objective\":")
                .append(solution.certificate().objective()).append(",\"dualGap\":")
                .append(solution.certificate().gap()).append(",\"residual\":")
                .append(solution.certificate().residual()).append('}');
        }
        final VerificationVectorsWriter.Group scalarVectors = vectors.group(SectionType.COHORT_SCALARS, 0,
            ScalarDecider.MODE_FEATURES, FEATURES, BIDS, Tolerance.EXACT, 0);
        final Random probe = new Random(99);
        for (int v = 0; v < 8; v++)
        {
            final double[] row = {probe.nextDouble(), probe.nextDouble(), probe.nextDouble()};
            final double[] expected = new double[BIDS];
            for (int q = 0; q < BIDS; q++)
            {
                expected[q] = solved[q][trueCohort(row[q])];
            }
            scalarVectors.add(row, expected);
        }
        final Path file = directory.resolve("opus-v1.dpol");
        writer.addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, section.toBytes())
            .addSection(SectionType.VERIFICATION_VECTORS, 1, vectors.toBytes())
            .metadata(metadata.append("],\"rho\":").append(RHO).append('}').toString())
            .signWith(context.artifacts().signer().getPrivate(), context.artifacts().signer().getPublic())
            .writeTo(file);

        final Random random = new Random(7);
        final double[][] rows = new double[USERS][FEATURES];
        final int[][] truth = new int[USERS][BIDS];
        final Path tableFile = directory.resolve("users.cmap");
        try (CohortTable table = CohortTable.create(tableFile, BIDS, USERS))
        {
            final byte[] cohorts = new byte[BIDS];
            for (int u = 0; u < USERS; u++)
            {
                for (int q = 0; q < BIDS; q++)
                {
                    rows[u][q] = random.nextDouble();
                    truth[u][q] = trueCohort(rows[u][q]);
                    cohorts[q] = (byte)truth[u][q];
                }
                rows[u][BIDS] = random.nextDouble();
                table.put(userId(u), cohorts);
            }
        }
        context.note(String.format("published %s (%d bytes, signed) and %s (%d users)", file.getFileName(),
            Files.size(file), tableFile.getFileName(), USERS));

        try (PolicyRegistry registry = new PolicyRegistry(directory,
            DemoArtifacts.loadOptions(context.artifacts().signer().getPublic()), 4, RegistryListener.NONE);
            CohortTable table = CohortTable.open(tableFile))
        {
            final ReloadResult result = registry.reload();
            if (!context.check(result.loaded().size() == 1 && !result.hasRejections(),
                "opus artifact did not load: " + FoundationDemo.describe(result)))
            {
                return;
            }
            try (PolicyReader reader = registry.newReader())
            {
                reader.enter();
                final LoadedArtifact artifact = registry.slot("opus").current();
                context.check(artifact.layout().signatureVerified(), "opus artifact signature not verified");
                context.note(String.format("loaded %s in %.2f ms, %d verification vectors replayed (GBDT " +
                    "margins, scalars from features)", artifact, artifact.loadedNanos() / 1e6,
                    artifact.verification().vectorsChecked()));
                try
                {
                    decide(context, ScalarDecider.of(artifact), table.newReader(), rows, truth, solved, heldOut);
                }
                finally
                {
                    reader.exit();
                }
            }
        }
    }

    private static void decide(
        final DemoContext context, final ScalarDecider decider, final CohortReader reader, final double[][] rows,
        final int[][] truth, final double[][] solved, final List<BidResponses> heldOut)
    {
        final ScalarContext scalarContext = decider.newContext();
        final double[] byModel = new double[BIDS];
        final double[] byTable = new double[BIDS];
        final Histogram modelNs = new Histogram(3);
        final Histogram tableNs = new Histogram(3);
        long wrong = 0;
        long modelDefaults = 0;
        long tableDefaults = 0;
        for (int pass = 0; pass < PASSES; pass++)
        {
            final boolean last = pass == PASSES - 1;
            for (int u = 0; u < USERS; u++)
            {
                final long t0 = System.nanoTime();
                final int dm = decider.scalarsForFeatures(rows[u], byModel, scalarContext);
                final long t1 = System.nanoTime();
                final int dt = decider.scalarsForUser(userId(u), reader, byTable, scalarContext);
                final long t2 = System.nanoTime();
                if (last)
                {
                    modelNs.recordValue(t1 - t0);
                    tableNs.recordValue(t2 - t1);
                    modelDefaults += dm;
                    tableDefaults += dt;
                    for (int q = 0; q < BIDS; q++)
                    {
                        final double expected = solved[q][truth[u][q]];
                        wrong += byModel[q] != expected || byTable[q] != expected ? 1 : 0;
                    }
                }
            }
        }
        context.note(String.format("decided %d users x %d bids by GBDT sensitivity and by table: %d scalars differ " +
            "from the solved scalar of the user's true cohort", USERS, BIDS, wrong));
        context.check(wrong == 0, wrong + " scalars differ from the solved scalar of the user's true cohort");
        context.check(modelDefaults == 0 && tableDefaults == 0, "known users got defaults: " + modelDefaults +
            " (model), " + tableDefaults + " (table)");

        final long before = decider.defaultsServed();
        final long unknownBefore = decider.unknownUsers();
        boolean allDefault = true;
        for (int u = 0; u < UNKNOWN_USERS; u++)
        {
            decider.scalarsForUser(userId(USERS + u), reader, byTable, scalarContext);
            for (int q = 0; q < BIDS; q++)
            {
                allDefault &= byTable[q] == decider.defaultScalar(q);
            }
        }
        final long defaults = decider.defaultsServed() - before;
        final long unknown = decider.unknownUsers() - unknownBefore;
        context.note(String.format("%d unknown users: %d default scalars served, %d unknown users counted",
            UNKNOWN_USERS, defaults, unknown));
        context.check(allDefault && defaults == (long)UNKNOWN_USERS * BIDS && unknown == UNKNOWN_USERS,
            "unknown users: " + defaults + " defaults and " + unknown + " misses counted, expected " +
            (long)UNKNOWN_USERS * BIDS + " and " + UNKNOWN_USERS + (allDefault ? "" : "; some got a non-default"));

        final StringBuilder efficiency = new StringBuilder();
        for (int q = 0; q < BIDS; q++)
        {
            final double[] served = new double[COHORTS];
            for (int i = 0; i < COHORTS; i++)
            {
                served[i] = decider.scalar(q, i);
            }
            final CohortFit[] evaluation = ScalarPolicySolver.fit(heldOut.get(q), true);
            final PolicyDeltas policy = PolicyDeltas.of(evaluation, served);
            final double uniformX = uniformAtSamePerformance(evaluation, policy.performanceDelta());
            final PolicyDeltas uniform = PolicyDeltas.uniform(evaluation, uniformX);
            context.note(String.format("bid %d held out: performance %+.3f%%, engagement %+.3f%%, efficiency %.3f; " +
                "uniform x = %.3f at the same performance: engagement %+.3f%%, efficiency %.3f (%.2fx)", q,
                100 * policy.performanceDelta(), 100 * policy.engagementDelta(), policy.efficiency(), uniformX,
                100 * uniform.engagementDelta(), uniform.efficiency(), policy.efficiency() / uniform.efficiency()));
            context.check(policy.engagementDelta() > uniform.engagementDelta() &&
                policy.efficiency() > uniform.efficiency(), "bid " + q + ": served policy " + policy +
                " does not beat uniform " + uniform + " on held-out data");
            efficiency.append(q == 0 ? "" : ", ").append(String.format("bid %d %.2fx", q,
                policy.efficiency() / uniform.efficiency()));
        }
        context.note(String.format("decision latency per request (%d bids, System.nanoTime around each call): " +
            "GBDT p50 %.2f µs, p99 %.2f µs; table p50 %.2f µs, p99 %.2f µs", BIDS,
            modelNs.getValueAtPercentile(50) / 1e3, modelNs.getValueAtPercentile(99) / 1e3,
            tableNs.getValueAtPercentile(50) / 1e3, tableNs.getValueAtPercentile(99) / 1e3));
        context.summary("opus scalars", String.format("%d users x %d bids, %d wrong, %d defaults for %d unknown " +
            "users, efficiency vs uniform on held-out data: %s", USERS, BIDS, wrong, defaults, unknown, efficiency));
        context.summary("opus decision latency", String.format("GBDT p50 %.2f µs p99 %.2f µs, table p50 %.2f µs " +
            "p99 %.2f µs", modelNs.getValueAtPercentile(50) / 1e3, modelNs.getValueAtPercentile(99) / 1e3,
            tableNs.getValueAtPercentile(50) / 1e3, tableNs.getValueAtPercentile(99) / 1e3));
    }

    /** The uniform scalar whose held-out performance delta equals {@code target} (bisection on [l, u]). */
    private static double uniformAtSamePerformance(final CohortFit[] curves, final double target)
    {
        double lo = LOWER;
        double hi = UPPER;
        for (int i = 0; i < 100; i++)
        {
            final double mid = 0.5 * (lo + hi);
            if (PolicyDeltas.uniform(curves, mid).performanceDelta() < target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return hi;
    }

    /** Number of thresholds {@code i/N <= u}, i = 1..N−1: the cohort the sensitivity model gives. */
    static int trueCohort(final double u)
    {
        int cohort = 0;
        for (int i = 1; i < COHORTS; i++)
        {
            cohort += u >= (double)i / COHORTS ? 1 : 0;
        }
        return cohort;
    }

    /** The sensitivity model of bid q: N−1 stumps on feature q at i/N, each adding 1 (FLOAT64, x < t goes left). */
    static TreeEnsemble sensitivityModel(final int bid)
    {
        final TreeEnsemble.Builder builder = TreeEnsemble.builder().featureCount(FEATURES).baseScores(0.0)
            .precision(Precision.FLOAT64).comparison(SplitComparison.LESS_THAN);
        for (int i = 1; i < COHORTS; i++)
        {
            builder.addTree(new Tree(0, 1.0, new int[]{1, -1, -1}, new int[]{2, -1, -1}, new int[]{bid, 0, 0},
                new double[]{(double)i / COHORTS, 0, 0}, new boolean[]{true, false, false},
                new MissingRule[]{MissingRule.NAN_DEFAULT, null, null}, new int[3][], new double[]{0, 0, 1}));
        }
        return builder.build();
    }

    private static long userId(final int index)
    {
        return 1_000_003L * index + 17;
    }

    private static String brief(final double[] x)
    {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < x.length; i++)
        {
            sb.append(i == 0 ? "" : " ").append(String.format("%.3f", x[i]));
        }
        return sb.append(']').toString();
    }
}
