package io.decide.engine.scalar;

import io.decide.engine.network.DenseNetworkContext;
import io.decide.engine.network.DenseNetworkEvaluator;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.network.DenseNetworkDescriptor;
import io.decide.format.network.DenseNetworkWriter;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsWriter;
import io.decide.testsupport.AllocationAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MTML cohort path: COHORT_SCALARS bids whose sensitivity is a head of a DENSE_NETWORK section (shared ReLU
 * trunk, one sigmoid head per bid), decided through {@link ScalarDecider} and checked against the network evaluated
 * directly and the bid's boundaries.
 */
final class ScalarDeciderNetworkTest
{
    private static final int INPUTS = 24;
    private static final int BIDS = 3;

    @TempDir
    Path dir;

    private ScalarDecider decider;
    private ScalarContext context;
    private double[] row;
    private double[] out;

    @Test
    void scalarsComeFromTheNetworkHeadsAndRespectEachDirection() throws Exception
    {
        final Random random = new Random(20261122L);
        final DenseNetworkWriter network = new DenseNetworkWriter(INPUTS);
        final int trunk1 = network.addLayer(DenseNetworkDescriptor.SOURCE_INPUT, 32, DenseNetworkDescriptor.RELU,
            weights(random, INPUTS * 32), weights(random, 32));
        final int trunk2 = network.addLayer(trunk1, 16, DenseNetworkDescriptor.RELU,
            weights(random, 32 * 16), weights(random, 16));
        for (int b = 0; b < BIDS; b++)
        {
            final int head = network.addLayer(trunk2, 1, DenseNetworkDescriptor.SIGMOID,
                weights(random, 16), weights(random, 1));
            network.addHead(head, 0, 1);
        }

        final CohortScalarsWriter scalars = new CohortScalarsWriter();
        final double[] boundaries = {0.2, 0.4, 0.5, 0.6, 0.8};
        for (int b = 0; b < BIDS; b++)
        {
            final boolean increasing = b != 1;
            final double[] x = increasing ?
                new double[]{0.5, 0.7, 0.9, 1.1, 1.3, 1.5} : new double[]{1.5, 1.3, 1.1, 0.9, 0.7, 0.5};
            scalars.addBid(10 + b, increasing ? CohortScalarsDescriptor.INCREASING :
                CohortScalarsDescriptor.DECREASING, CohortScalarsDescriptor.METHOD_MANUAL, 0.5, 1.5, 1.0,
                boundaries, x, CohortScalarsDescriptor.MODEL_NETWORK, 0, b);
        }
        final Path file = dir.resolve("mtml-scalars.dpol");
        new ArtifactWriter("mtml-scalars", 1)
            .addSection(SectionType.DENSE_NETWORK, DenseNetworkDescriptor.VERSION, network.toBytes())
            .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, scalars.toBytes())
            .writeTo(file);

        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        try
        {
            decider = ScalarDecider.of(artifact);
            assertEquals(1, decider.modelCount(), "three heads of one network are one model");
            assertTrue(decider.hasModel(0) && decider.hasModel(1) && decider.hasModel(2));
            assertEquals(INPUTS, decider.featureCount());

            final DenseNetworkEvaluator reference = DenseNetworkEvaluator.of(artifact, 0);
            final DenseNetworkContext referenceContext = reference.newContext();
            context = decider.newContext();
            row = new double[INPUTS];
            out = new double[BIDS];
            final double[] heads = new double[BIDS];
            final int[] seen = new int[boundaries.length + 1];
            for (int i = 0; i < 20_000; i++)
            {
                for (int f = 0; f < INPUTS; f++)
                {
                    row[f] = random.nextGaussian() * 2;
                }
                assertEquals(0, decider.scalarsForFeatures(row, out, context));
                reference.evaluate(row, heads, referenceContext);
                for (int b = 0; b < BIDS; b++)
                {
                    final int cohort = countAtOrBelow(boundaries, heads[b]);
                    seen[cohort]++;
                    assertEquals(decider.scalar(b, cohort), out[b], "row " + i + " bid " + b);
                    // direction: scalars move with sensitivity as declared
                    final double up = decider.scalar(b, Math.min(cohort + 1, boundaries.length));
                    assertTrue(b == 1 ? up <= out[b] : up >= out[b]);
                }
            }
            for (int c = 0; c < seen.length; c++)
            {
                assertTrue(seen[c] > 0, "random rows reach cohort " + c + " of some head");
            }
            assertEquals(0, decider.defaultsServed());

            AllocationAssert.assertZeroAllocation("ScalarDecider network path", 50_000, 10_000,
                () -> decider.scalarsForFeatures(row, out, context));
        }
        finally
        {
            artifact.close();
        }
    }

    private static int countAtOrBelow(final double[] boundaries, final double s)
    {
        int n = 0;
        for (final double b : boundaries)
        {
            if (b <= s)
            {
                n++;
            }
        }
        return n;
    }

    private static float[] weights(final Random random, final int n)
    {
        final float[] w = new float[n];
        for (int i = 0; i < n; i++)
        {
            w[i] = (float)(random.nextGaussian() * 0.4);
        }
        return w;
    }
}
