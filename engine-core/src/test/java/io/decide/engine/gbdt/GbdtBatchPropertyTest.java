package io.decide.engine.gbdt;

import io.decide.format.gbdt.TreeEnsemble;
import io.decide.testsupport.RandomEnsembles;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Property: for any random ensemble and any batch of edge-probing rows, batch evaluation gives, bit for bit, the
 * single-row results, and those equal the reference semantics; evaluating a row twice gives the same result
 * (no state leaks between calls through the shared context).
 */
class GbdtBatchPropertyTest
{
    @Test
    void batchEqualsSingleRowEqualsReference()
    {
        qt().withExamples(150).forAll(longs().all(), integers().between(1, 200)).checkAssert((seed, rowCount) ->
        {
            final Random random = new Random(seed);
            final RandomEnsembles.Shape shape = new RandomEnsembles.Shape(1 + random.nextInt(10),
                1 + random.nextInt(3), 1 + random.nextInt(30), random.nextInt(10), random.nextBoolean(),
                random.nextBoolean());
            final TreeEnsemble ensemble = RandomEnsembles.ensemble(random, shape);
            final GbdtEvaluator evaluator = new GbdtEvaluator(ensemble);
            final GbdtContext context = evaluator.newContext();
            final double[][] rows = RandomEnsembles.rows(random, ensemble, rowCount);
            final int width = ensemble.featureCount();
            final int outputs = ensemble.outputCount();
            final double[] flat = new double[rowCount * width];
            for (int r = 0; r < rowCount; r++)
            {
                System.arraycopy(rows[r], 0, flat, r * width, width);
            }
            final double[] batch = new double[rowCount * outputs];
            evaluator.predictRawBatch(flat, rowCount, batch, context);
            final double[] single = new double[outputs];
            final double[] again = new double[outputs];
            final double[] reference = new double[outputs];
            for (int r = 0; r < rowCount; r++)
            {
                evaluator.predictRaw(rows[r], single, context);
                evaluator.predictRaw(rows[r], again, context);
                ensemble.predictRaw(rows[r], reference);
                for (int g = 0; g < outputs; g++)
                {
                    final long bits = Double.doubleToLongBits(single[g]);
                    assertEquals(bits, Double.doubleToLongBits(batch[r * outputs + g]), "batch, seed " + seed);
                    assertEquals(bits, Double.doubleToLongBits(again[g]), "repeat, seed " + seed);
                    assertEquals(Double.doubleToLongBits(reference[g]), bits, "reference, seed " + seed);
                }
            }
        });
    }
}
