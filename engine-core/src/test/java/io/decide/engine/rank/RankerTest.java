package io.decide.engine.rank;

import io.decide.testsupport.AllocationAssert;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RankerTest
{
    /** Three candidates, two quality events; hand-computed below. */
    private static RankBatches.Batch three()
    {
        return RankBatches.write(new double[]{5.0, 4.0, 6.0}, new double[]{0.5, 0.0, 0.0, 0.25, 1.0, 1.0}, 3, 2, 0);
    }

    @Test
    void totalValueIsEcpmMinusCqsByDefault()
    {
        // CQS = 2·p0 + 4·p1: candidate 0: 1.0 → 4.0; candidate 1: 1.0 → 3.0; candidate 2: 6.0 → 0.0
        final RankBatches.Batch b = three();
        final RankContext context = new RankContext(8);
        final int[] out = new int[3];
        assertEquals(3, new Ranker().topK(b.buffer(), 0, new double[]{2, 4}, 3, out, context));
        assertArrayEquals(new int[]{0, 1, 2}, out);
        assertEquals(4.0, context.totalValue(0));
        assertEquals(3.0, context.totalValue(1));
        assertEquals(0.0, context.totalValue(2));
    }

    @Test
    void linearTransformAndZeroScalars()
    {
        final RankBatches.Batch b = three();
        final RankContext context = new RankContext(3);
        final int[] out = new int[2];
        // scalars 0: total value = eCPM − b, order by eCPM: 2, 0
        assertEquals(2, new Ranker(QualityTransform.linear(3, 1)).topK(b.buffer(), 0, new double[]{0, 0}, 2, out,
            context));
        assertArrayEquals(new int[]{2, 0}, out);
        assertEquals(5.0, context.totalValue(2));
        // f = 0.5·CQS − 1 with scalars 1,1: CQS 0.5, 0.25, 2 → values 5.75, 4.875, 6.0
        assertEquals(2, new Ranker(QualityTransform.linear(0.5, -1)).topK(b.buffer(), 0, new double[]{1, 1}, 2,
            out, context));
        assertArrayEquals(new int[]{2, 0}, out);
        assertEquals(4.875, context.totalValue(1));
        assertThrows(IllegalArgumentException.class, () -> QualityTransform.linear(Double.NaN, 0));
    }

    @Test
    void tiesGoToTheLowerIndexAndNanRanksLast()
    {
        final RankBatches.Batch b = RankBatches.write(new double[]{1, 2, Double.NaN, 2, 1, 2}, new double[0], 6, 0,
            0);
        final int[] out = new int[6];
        final RankContext context = new RankContext(6);
        assertEquals(4, new Ranker().topK(b.buffer(), 0, new double[0], 4, out, context));
        assertArrayEquals(new int[]{1, 3, 5, 0}, Arrays.copyOf(out, 4));
        assertEquals(6, new Ranker().topK(b.buffer(), 0, new double[0], 6, out, context));
        assertArrayEquals(new int[]{1, 3, 5, 0, 4, 2}, out);
    }

    @Test
    void kAtLeastNReturnsAllAndKZeroNone()
    {
        final RankBatches.Batch b = three();
        final int[] out = new int[10];
        Arrays.fill(out, -1);
        final RankContext context = new RankContext(3);
        assertEquals(3, new Ranker().topK(b.buffer(), 0, new double[]{2, 4}, 10, out, context));
        assertArrayEquals(new int[]{0, 1, 2, -1}, Arrays.copyOf(out, 4));
        assertEquals(0, new Ranker().topK(b.buffer(), 0, new double[]{2, 4}, 0, out, context));
        final RankBatches.Batch empty = RankBatches.write(new double[0], new double[0], 0, 2, 0);
        assertEquals(0, new Ranker().topK(empty.buffer(), 0, new double[]{2, 4}, 5, out, context));
    }

    @Test
    void requestFaultsAreReturnCodes()
    {
        final RankBatches.Batch b = three();
        assertEquals(Ranker.QUALITY_MISMATCH, new Ranker().topK(b.buffer(), 0, new double[]{1}, 2, new int[2],
            new RankContext(3)));
        assertEquals(Ranker.TOO_MANY_CANDIDATES, new Ranker().topK(b.buffer(), 0, new double[]{1, 1}, 2, new int[2],
            new RankContext(2)));
        assertEquals(Ranker.OUTPUT_TOO_SHORT, new Ranker().topK(b.buffer(), 0, new double[]{1, 1}, 3, new int[2],
            new RankContext(3)));
    }

    @Test
    void validateChecksTheHeaderAgainstTheBuffer()
    {
        final RankBatches.Batch b = three();
        assertNull(new CandidateBatchFlyweight().wrap(b.buffer(), 0).validate());
        final UnsafeBuffer shorter = new UnsafeBuffer(b.buffer(), 0, b.buffer().capacity() - 1);
        final String message = new CandidateBatchFlyweight().wrap(shorter, 0).validate();
        assertNotNull(message);
        assertEquals(true, message.contains("past the buffer"), message);
        b.buffer().putInt(4, 65, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(true, new CandidateBatchFlyweight().wrap(b.buffer(), 0).validate().contains("quality count"));
        final CandidateBatchFlyweight read = new CandidateBatchFlyweight().wrap(three().buffer(), 0);
        assertEquals(3, read.candidateCount());
        assertEquals(6.0, read.ecpm(2));
        assertEquals(0.25, read.pQuality(1, 1));
    }

    private RankBatches.Batch batch;
    private double[] scalars;
    private int[] out;
    private RankContext context;
    private Ranker ranker;
    private int sink;

    @Test
    void topFiftyOfFiveHundredAllocatesNothing()
    {
        batch = RankBatches.random(42, 500, 3, 0, false);
        scalars = new double[]{1.5, 0.7, 2.0};
        out = new int[50];
        context = new RankContext(500);
        ranker = new Ranker(QualityTransform.linear(1.2, 0.1));
        AllocationAssert.assertZeroAllocation("Ranker.topK (50 of 500)", 20_000, 2_000,
            () -> sink += ranker.topK(batch.buffer(), 0, scalars, 50, out, context));
        assertArrayEquals(RankBatches.reference(ranker, batch, scalars, 50), out);
    }
}
