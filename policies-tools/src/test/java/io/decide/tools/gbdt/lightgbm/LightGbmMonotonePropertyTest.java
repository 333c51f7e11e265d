package io.decide.tools.gbdt.lightgbm;

import io.decide.format.gbdt.MonotoneCheck;
import io.decide.format.gbdt.Tree;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.lightgbm.LightGbmFidelity.Fixture;
import io.decide.tools.gbdt.lightgbm.SyntheticData.Label;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.List;

import static io.decide.tools.gbdt.lightgbm.HandcraftedModels.model;
import static io.decide.tools.gbdt.lightgbm.HandcraftedModels.stump;
import static io.decide.tools.gbdt.lightgbm.HandcraftedModels.threeLeaves;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arrays;
import static org.quicktheories.generators.SourceDSL.doubles;

/**
 * Property: a model LightGBM trained with monotone_constraints (feature 4 increasing, feature 2 decreasing), read
 * by the importer, gives margins that never move against a constraint when only that feature changes, and
 * {@link MonotoneCheck} proves it tree by tree; a handcrafted violation is reported with its tree and node.
 */
class LightGbmMonotonePropertyTest
{
    private static final int[] CONSTRAINTS = {0, 0, -1, 0, 1, 0};
    private static Fixture monotone;

    @BeforeAll
    static void train()
    {
        final SyntheticData.Data training = SyntheticData.training(201, LightGbmFixtures.TRAINING_ROWS,
            Label.REGRESSION, false);
        monotone = LightGbmFidelity.fixture("monotone", LightGbmFixtures.COMMON +
            "objective=regression monotone_constraints=0,0,-1,0,1,0", 40, training, false, 20_000, 202);
    }

    private static Gen<Double> values()
    {
        final Gen<Double> special = Generate.pick(List.of(Double.NaN, 0.0, -0.0, 1e-36, -1e-36,
            (double)TreeEnsemble.ZERO_THRESHOLD, -(double)TreeEnsemble.ZERO_THRESHOLD, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 1e300, -1e300));
        return Generate.frequency(List.of(Pair.of(60, doubles().between(-4, 12)), Pair.of(25, special),
            Pair.of(15, doubles().any())));
    }

    private static Gen<double[]> rows()
    {
        return arrays().ofClass(values(), Double.class).withLength(SyntheticData.FEATURES).map(boxed ->
        {
            final double[] row = new double[boxed.length];
            for (int i = 0; i < row.length; i++)
            {
                row[i] = boxed[i];
            }
            return row;
        });
    }

    private static Gen<Double> ordered()
    {
        return values().assuming(v -> !Double.isNaN(v));
    }

    private static int splitsOn(final TreeEnsemble ensemble, final int feature)
    {
        int count = 0;
        for (final Tree tree : ensemble.trees())
        {
            for (int i = 0; i < tree.nodeCount(); i++)
            {
                count += !tree.isLeaf(i) && tree.feature(i) == feature ? 1 : 0;
            }
        }
        return count;
    }

    private static double margin(final TreeEnsemble ensemble, final double[] row, final int feature,
        final double value)
    {
        final double[] copy = row.clone();
        copy[feature] = value;
        final double[] out = new double[1];
        ensemble.predictRaw(copy, out);
        return out[0];
    }

    @Test
    void trainedConstraintsHoldForEveryRow()
    {
        final TreeEnsemble ensemble = monotone.ensemble();
        assertArrayEquals(CONSTRAINTS, ensemble.monotone());
        assertTrue(splitsOn(ensemble, 4) > 10 && splitsOn(ensemble, 2) > 10, "the constrained features are used: " +
            splitsOn(ensemble, 4) + ", " + splitsOn(ensemble, 2));
        assertEquals(List.of(), MonotoneCheck.check(ensemble));
        LightGbmFidelity.assertRawBitIdentical(monotone, ensemble::predictRaw);

        qt().withExamples(3000).forAll(rows(), ordered(), ordered()).checkAssert((row, a, b) ->
        {
            final double low = Math.min(a, b);
            final double high = Math.max(a, b);
            assertTrue(margin(ensemble, row, 4, low) <= margin(ensemble, row, 4, high),
                "increasing in feature 4 between " + low + " and " + high);
            assertTrue(margin(ensemble, row, 2, low) >= margin(ensemble, row, 2, high),
                "decreasing in feature 2 between " + low + " and " + high);
        });
    }

    @Test
    void handcraftedViolationIsReportedWithTreeAndNode()
    {
        final String text = model("regression", 2, "monotone_constraints=1 0\n",
            stump(0, "1.5", 8, -1, 1),
            threeLeaves(1, 0.5, 0, 2.0, 0.1, 0.9, 0.2));
        final TreeEnsemble ensemble = LightGbmFidelity.importText("violation", text);
        final List<MonotoneCheck.Violation> violations = MonotoneCheck.check(ensemble);
        assertEquals(1, violations.size(), violations.toString());
        final MonotoneCheck.Violation violation = violations.get(0);
        assertEquals(1, violation.tree());
        assertEquals(1, violation.node());
        assertEquals(0, violation.feature());
        assertTrue(violation.toString().startsWith("tree 1 node 1 (feature 0)"), violation.toString());

        final double[] row = {0, 1};
        assertTrue(margin(ensemble, row, 0, 1.75) > margin(ensemble, row, 0, 2.25), "and the margin does drop");
    }
}
