package io.decide.sidecar.dispatch;

import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.protocol.ResponseDescriptor;
import io.decide.sidecar.protocol.ResponseEncoder;
import io.decide.sidecar.protocol.RequestDescriptor;
import io.decide.sidecar.protocol.RequestFlyweight;

import java.util.Arrays;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** A dispatching thread's reusable buffers: feature rows, scalars and results. Sized once; never grows. */
public final class DispatchScratch
{
    /** Most results (GBDT outputs) a response carries. */
    public static final int MAX_DOUBLE_RESULTS = 1024;
    /** Most features a request carries or a model takes. */
    public static final int MAX_FEATURES = 65536;

    final double[] row = new double[MAX_FEATURES];
    final double[] scalars = new double[io.decide.engine.rank.CandidateBatchDescriptor.MAX_QUALITY_COUNT];
    final double[] doubles = new double[MAX_DOUBLE_RESULTS];
    final double[] probabilities = new double[io.decide.format.adslot.AdSlotPolicyDescriptor.MAX_PATTERNS];
    final int[] ints;

    /**
     * @param maxCandidates most candidates a rank request may hold.
     */
    public DispatchScratch(final int maxCandidates)
    {
        this.ints = new int[Math.max(1, maxCandidates)];
    }

    /**
     * Read a request's features into {@link #row} for the artifact behind {@code handle}: a sparse request is
     * expanded to the width that artifact's {@code kind} takes.
     *
     * @param request the validated request.
     * @param handle  the engine handle (negative when the name is unknown).
     * @param engine  the engine.
     * @param kind    the decision kind.
     * @return the row's length, or a negative status: -{@link DecisionStatus#UNKNOWN_ARTIFACT},
     *         -{@link DecisionStatus#WRONG_KIND} (sparse request, no width to expand to) or
     *         -{@link DecisionStatus#BAD_SIZE}.
     */
    int features(final RequestFlyweight request, final int handle, final DecisionEngine engine, final DecisionKind kind)
    {
        int width = 0;
        if (request.sparse())
        {
            width = engine.inputWidth(handle, kind);
            if (width < 0)
            {
                return -(handle < 0 ? DecisionStatus.UNKNOWN_ARTIFACT : DecisionStatus.WRONG_KIND);
            }
        }
        return denseRow(request, width);
    }

    /**
     * Start a successful response: the fallback flag and the artifact version of the decision in {@code context}.
     *
     * @param context  the decision's context.
     * @param response the response being encoded.
     * @return {@code response}, ready for its payload.
     */
    static ResponseEncoder answered(final DecisionContext context, final ResponseEncoder response)
    {
        return response
            .flags(context.fallback() ? ResponseDescriptor.FLAG_FALLBACK : 0)
            .artifactVersion(context.version());
    }

    /**
     * Read a request's features into {@link #row} as a dense row of {@code width} values (sparse entries expanded,
     * missing ones NaN).
     *
     * @param request the validated request.
     * @param width   the width the artifact expects (used for sparse requests; dense ones give their own).
     * @return the row's length, or a negative status: -{@link DecisionStatus#BAD_SIZE} when the features do not fit.
     */
    int denseRow(final RequestFlyweight request, final int width)
    {
        final double[] r = row;
        final int count = request.featureCount();
        final int at = request.featuresOffset();
        if (!request.sparse())
        {
            if (count > r.length)
            {
                return -DecisionStatus.BAD_SIZE;
            }
            for (int i = 0; i < count; i++)
            {
                r[i] = request.buffer().getDouble(at + 8 * i, LITTLE_ENDIAN);
            }
            return count;
        }
        if (width < 0 || width > r.length)
        {
            return -DecisionStatus.BAD_SIZE;
        }
        Arrays.fill(r, 0, width, Double.NaN);
        for (int i = 0; i < count; i++)
        {
            final int entry = at + RequestDescriptor.SPARSE_ENTRY_LENGTH * i;
            final int index = request.buffer().getInt(entry, LITTLE_ENDIAN);
            if (index < 0 || index >= width)
            {
                return -DecisionStatus.BAD_SIZE;
            }
            r[index] = request.buffer().getDouble(entry + RequestDescriptor.SPARSE_VALUE_OFFSET, LITTLE_ENDIAN);
        }
        return width;
    }
}
