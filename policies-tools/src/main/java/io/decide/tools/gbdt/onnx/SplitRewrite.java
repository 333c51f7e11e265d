package io.decide.tools.gbdt.onnx;

import io.decide.format.gbdt.Precision;
import io.decide.format.gbdt.SplitComparison;

/**
 * Rewrites one ONNX split ({@code BRANCH_LEQ/LT/GTE/GT} with a threshold and {@code missing_value_tracks_true}) as a
 * split of the ensemble-wide {@link SplitComparison}, exactly, for every input of the precision's type.
 * <p>
 * ONNX Runtime sends {@code x} to the true child when {@code x MODE t} holds, or when {@code x} is NaN and the node
 * tracks missing values to true; otherwise to the false child (a comparison with NaN is false, so NaN goes false
 * unless tracked). For non-NaN {@code x} of the precision's type {@code P} (float or double):
 * <pre>
 *   x &lt;  t  &lt;=&gt;  x &lt;= nextDown(t)      for t &gt; -inf     (x &lt; -inf never holds)
 *   x &lt;= t  &lt;=&gt;  x &lt;  nextUp(t)        for t &lt; +inf     (x &lt;= +inf always holds)
 *   x &gt;= t  &lt;=&gt;  !(x &lt; t),   x &gt; t  &lt;=&gt;  !(x &lt;= t)   (negation: swap the children)
 *   t NaN   : every comparison is false
 *   always  : LESS_EQUAL +inf, true child left;   LESS_THAN -inf, true child right
 *   never   : LESS_EQUAL +inf, true child right;  LESS_THAN -inf, true child left
 * </pre>
 * nextDown/nextUp are taken in {@code P}, so the rewritten threshold is a {@code P} value. NaN then goes to the
 * child ONNX Runtime picks for it, whichever side that child ends up on.
 */
final class SplitRewrite
{
    /** The ONNX node modes with an order comparison. */
    enum Mode
    {
        BRANCH_LEQ,
        BRANCH_LT,
        BRANCH_GTE,
        BRANCH_GT
    }

    /**
     * A rewritten split: go left when {@code x COMPARISON threshold}, NaN goes left when {@code nanLeft}.
     *
     * @param threshold threshold for the ensemble's comparison (never NaN).
     * @param trueLeft  whether the ONNX true child becomes the left child.
     * @param nanLeft   whether NaN goes left.
     */
    record Rewritten(double threshold, boolean trueLeft, boolean nanLeft)
    {
    }

    private enum Predicate
    {
        LE,
        LT,
        NOT_LE,
        NOT_LT,
        ALWAYS,
        NEVER
    }

    private SplitRewrite()
    {
    }

    /**
     * @param mode        the node's mode.
     * @param threshold   its threshold, a value of the precision's type (may be NaN or infinite).
     * @param nanTrue     whether the node tracks missing values to its true child.
     * @param target      the ensemble-wide comparison.
     * @param precision   FLOAT32 (float input) or FLOAT64 (double input).
     * @return the equivalent split.
     */
    static Rewritten rewrite(
        final Mode mode,
        final double threshold,
        final boolean nanTrue,
        final SplitComparison target,
        final Precision precision)
    {
        final Predicate predicate;
        if (Double.isNaN(threshold))
        {
            predicate = Predicate.NEVER;
        }
        else
        {
            switch (mode)
            {
                case BRANCH_LEQ:
                    predicate = Predicate.LE;
                    break;
                case BRANCH_LT:
                    predicate = Predicate.LT;
                    break;
                case BRANCH_GTE:
                    predicate = Predicate.NOT_LT;
                    break;
                case BRANCH_GT:
                    predicate = Predicate.NOT_LE;
                    break;
                default:
                    throw new IllegalStateException(mode.name());
            }
        }
        final double t = threshold;
        final double newThreshold;
        final boolean trueLeft;
        if (target == SplitComparison.LESS_EQUAL)
        {
            switch (predicate)
            {
                case LE:
                    newThreshold = t;
                    trueLeft = true;
                    break;
                case NOT_LE:
                    newThreshold = t;
                    trueLeft = false;
                    break;
                case LT:
                    newThreshold = t == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : nextDown(t, precision);
                    trueLeft = t != Double.NEGATIVE_INFINITY;
                    break;
                case NOT_LT:
                    newThreshold = t == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : nextDown(t, precision);
                    trueLeft = t == Double.NEGATIVE_INFINITY;
                    break;
                case ALWAYS:
                    newThreshold = Double.POSITIVE_INFINITY;
                    trueLeft = true;
                    break;
                case NEVER:
                    newThreshold = Double.POSITIVE_INFINITY;
                    trueLeft = false;
                    break;
                default:
                    throw new IllegalStateException(predicate.name());
            }
        }
        else
        {
            switch (predicate)
            {
                case LT:
                    newThreshold = t;
                    trueLeft = true;
                    break;
                case NOT_LT:
                    newThreshold = t;
                    trueLeft = false;
                    break;
                case LE:
                    newThreshold = t == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : nextUp(t, precision);
                    trueLeft = t != Double.POSITIVE_INFINITY;
                    break;
                case NOT_LE:
                    newThreshold = t == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : nextUp(t, precision);
                    trueLeft = t == Double.POSITIVE_INFINITY;
                    break;
                case ALWAYS:
                    newThreshold = Double.NEGATIVE_INFINITY;
                    trueLeft = false;
                    break;
                case NEVER:
                    newThreshold = Double.NEGATIVE_INFINITY;
                    trueLeft = true;
                    break;
                default:
                    throw new IllegalStateException(predicate.name());
            }
        }
        return new Rewritten(newThreshold, trueLeft, nanTrue == trueLeft);
    }

    private static double nextDown(final double t, final Precision precision)
    {
        return precision == Precision.FLOAT32 ? Math.nextDown((float)t) : Math.nextDown(t);
    }

    private static double nextUp(final double t, final Precision precision)
    {
        return precision == Precision.FLOAT32 ? Math.nextUp((float)t) : Math.nextUp(t);
    }
}
