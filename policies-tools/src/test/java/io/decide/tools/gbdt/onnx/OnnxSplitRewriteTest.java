package io.decide.tools.gbdt.onnx;

import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link SplitRewrite} routes every input to the child ONNX Runtime picks: for each mode, threshold (including
 * NaN, ±inf, ±0, subnormals, ±MAX), missing-value tracking, target comparison and precision, on the threshold,
 * one ulp either side of it and on special and random inputs.
 */
class OnnxSplitRewriteTest
{
    private static final double[] FLOAT_SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        0.0, -0.0, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE,
        -Float.MAX_VALUE, 1.0, -1.0, 0.5};
    private static final double[] DOUBLE_SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
        Float.MAX_VALUE, Float.MIN_VALUE, 1.0, -1.0};

    @Test
    void everySpecialThresholdAndInputIsRoutedAsOnnxRuntimeDoes()
    {
        for (final Precision precision : Precision.values())
        {
            final double[] specials = precision == Precision.FLOAT32 ? FLOAT_SPECIALS : DOUBLE_SPECIALS;
            for (final double t : specials)
            {
                for (final double x : specials)
                {
                    checkAll(t, x, precision);
                }
            }
        }
    }

    @Test
    void randomFloatThresholdsAndInputs()
    {
        final Gen<Double> floats = integers().all().map(bits -> (double)Float.intBitsToFloat(bits))
            .mix(Generate.pick(boxed(FLOAT_SPECIALS)), 30);
        qt().withExamples(20_000).forAll(floats, floats).checkAssert((t, x) -> checkAll(t, x, Precision.FLOAT32));
    }

    @Test
    void randomDoubleThresholdsAndInputs()
    {
        final Gen<Double> doubles = longs().all().map(Double::longBitsToDouble)
            .mix(Generate.pick(boxed(DOUBLE_SPECIALS)), 30);
        qt().withExamples(20_000).forAll(doubles, doubles).checkAssert((t, x) -> checkAll(t, x, Precision.FLOAT64));
    }

    private static void checkAll(final double t, final double x, final Precision precision)
    {
        final boolean f32 = precision == Precision.FLOAT32;
        final double[] inputs = {x, t, f32 ? Math.nextUp((float)t) : Math.nextUp(t),
            f32 ? Math.nextDown((float)t) : Math.nextDown(t)};
        for (final SplitRewrite.Mode mode : SplitRewrite.Mode.values())
        {
            for (final boolean nanTrue : new boolean[]{false, true})
            {
                for (final SplitComparison target : SplitComparison.values())
                {
                    final SplitRewrite.Rewritten split = SplitRewrite.rewrite(mode, t, nanTrue, target, precision);
                    assertFalse(Double.isNaN(split.threshold()));
                    if (f32)
                    {
                        assertEquals(split.threshold(), (double)(float)split.threshold(), "a float threshold");
                    }
                    for (final double input : inputs)
                    {
                        final boolean left = Double.isNaN(input) ? split.nanLeft() :
                            target == SplitComparison.LESS_EQUAL ? input <= split.threshold() :
                            input < split.threshold();
                        assertEquals(onnxTrue(mode, input, t, nanTrue), left == split.trueLeft(),
                            () -> mode + " t=" + t + " nanTrue=" + nanTrue + " target=" + target + " x=" + input +
                                " -> " + split);
                    }
                }
            }
        }
    }

    /** ONNX Runtime's routing ({@code tree_ensemble_common.h}): true child when the comparison holds or NaN is tracked. */
    private static boolean onnxTrue(final SplitRewrite.Mode mode, final double x, final double t, final boolean nanTrue)
    {
        final boolean holds;
        switch (mode)
        {
            case BRANCH_LEQ:
                holds = x <= t;
                break;
            case BRANCH_LT:
                holds = x < t;
                break;
            case BRANCH_GTE:
                holds = x >= t;
                break;
            case BRANCH_GT:
                holds = x > t;
                break;
            default:
                throw new IllegalStateException();
        }
        return holds || (nanTrue && Double.isNaN(x));
    }

    private static List<Double> boxed(final double[] values)
    {
        final List<Double> list = new ArrayList<>();
        Arrays.stream(values).forEach(list::add);
        return list;
    }
}
