package io.decide.engine.scalar;

import io.decide.engine.cohort.CohortReader;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.SectionType;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsFlyweight;
import io.decide.format.vectors.VectorEvaluator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * All quality bids' scalars for one request (Opus, PAPERS.md §1), from a COHORT_SCALARS section: bid {@code i}
 * (directory order) gets {@code scalar_i[cohort_i]}, written to {@code out[i]}. The cohort comes from
 * <ul>
 *   <li>a user→cohort table ({@link #scalarsForUser}: column {@code b} of the table is bid index {@code b});</li>
 *   <li>the bid's sensitivity model on the caller's feature row ({@link #scalarsForFeatures}): sensitivity
 *   {@code s} = output {@code modelOutput} of the model the bid block names, cohort = number of boundaries
 *   {@code <= s}; bids without a model fall back to the table in {@link #scalarsFor};</li>
 *   <li>the caller: cohorts ({@link #scalarsForCohorts}) or sensitivities ({@link #scalarsForSensitivities}).</li>
 * </ul>
 * A bid whose cohort cannot be resolved (unknown user, failed table lookup, a table without that bid or with a cohort
 * outside {@code 0..N-1}, no model, a NaN sensitivity) gets its {@code defaultScalar}; every such scalar is counted in
 * {@link #defaultsServed()}. Each method returns how many of this request's scalars were defaults.
 * <p>
 * Built once per artifact from the validated section: boundaries and scalars are copied into flat arrays and the
 * models compiled, so a decision makes no checks beyond the cohort range and allocates nothing. Immutable apart from
 * its counters, and thread-safe; every thread passes its own {@link ScalarContext} to the table and model paths.
 * Because scalars are monotone in the cohort (the validator guarantees it) and the cohort is monotone in the
 * sensitivity, scalars respect each bid's direction for any two users' sensitivities.
 * <p>
 * <b>Metrics.</b> {@link #defaultsServed()}, {@link #unknownUsers()} and {@link #failedLookups()} are monotone
 * counters, each on its own cache line, read with a volatile load, safe to poll from any thread (e.g. a metrics
 * endpoint). They belong to this decider, i.e. to one artifact version: {@link #of(LoadedArtifact)} caches the
 * decider with the artifact, so a poller reads {@code ScalarDecider.of(slot.current()).defaultsServed()} inside a
 * reader scope, and counts restart when a new version is swapped in.
 */
public final class ScalarDecider
{
    /** Verification-vector mode: input Q sensitivities (NaN: unknown), output Q scalars. */
    public static final int MODE_SENSITIVITIES = 0;
    /** Verification-vector mode: input a feature row of {@link #featureCount()} values, output Q scalars. */
    public static final int MODE_FEATURES = 1;
    /** Verification-vector mode: input Q cohorts (whole numbers; out of range: unknown), output Q scalars. */
    public static final int MODE_COHORTS = 2;

    private static final int PAD = 16;
    private static final int DEFAULTS = PAD;
    private static final int UNKNOWN_USERS = 2 * PAD;
    private static final int FAILED_LOOKUPS = 3 * PAD;

    private final int bidCount;
    private final int[] bidIds;
    private final int[] cohortCounts;
    private final int[] directions;
    private final double[] defaults;
    private final int[] boundaryStart;
    private final double[] boundaries;
    private final int[] scalarStart;
    private final double[] scalars;
    private final int[] bidModel;
    private final int[] bidOutput;
    private final SensitivityModel<Object>[] models;
    private final int featureCount;
    private final boolean anyWithoutModel;
    private final AtomicLongArray counters = new AtomicLongArray(5 * PAD);

    @SuppressWarnings("unchecked")
    private ScalarDecider(
        final CohortScalarsFlyweight section, final LoadedArtifact artifact, final SensitivityModelResolver resolver)
    {
        final int q = section.bidCount();
        bidCount = q;
        bidIds = new int[q];
        cohortCounts = new int[q];
        directions = new int[q];
        defaults = new double[q];
        boundaryStart = new int[q];
        scalarStart = new int[q];
        bidModel = new int[q];
        bidOutput = new int[q];
        int totalCohorts = 0;
        for (int b = 0; b < q; b++)
        {
            totalCohorts += section.bid(b).cohortCount();
        }
        boundaries = new double[totalCohorts];
        scalars = new double[totalCohorts];
        final List<SensitivityModel<?>> distinct = new ArrayList<>();
        final Map<SensitivityModel<?>, Integer> index = new HashMap<>();
        int at = 0;
        int features = 0;
        boolean withoutModel = false;
        for (int b = 0; b < q; b++)
        {
            section.bid(b);
            final int n = section.cohortCount();
            bidIds[b] = section.bidId();
            cohortCounts[b] = n;
            directions[b] = section.direction();
            defaults[b] = section.defaultScalar();
            boundaryStart[b] = at;
            scalarStart[b] = at;
            for (int i = 0; i < n - 1; i++)
            {
                boundaries[at + i] = section.boundary(i);
            }
            for (int i = 0; i < n; i++)
            {
                scalars[at + i] = section.scalar(i);
            }
            at += n;
            final SensitivityModel<?> model = resolver.resolve(artifact, section.bid(b));
            if (model == null)
            {
                bidModel[b] = -1;
                withoutModel = true;
                continue;
            }
            final int output = section.modelOutput();
            if (output < 0 || output >= model.outputCount())
            {
                throw new IllegalArgumentException("COHORT_SCALARS bid " + bidIds[b] + ": model output " + output +
                    " is not an output of " + model + ", which has " + model.outputCount());
            }
            Integer m = index.get(model);
            if (m == null)
            {
                m = distinct.size();
                distinct.add(model);
                index.put(model, m);
                features = Math.max(features, model.featureCount());
            }
            bidModel[b] = m;
            bidOutput[b] = output;
        }
        models = (SensitivityModel<Object>[])distinct.toArray(new SensitivityModel<?>[0]);
        featureCount = features;
        anyWithoutModel = withoutModel;
    }

    /**
     * The decider of an artifact's COHORT_SCALARS section, with the sensitivity models the bids name (GBDT or dense
     * network, {@link SensitivityModelResolver#BUILT_IN}), built once and cached with the artifact (later calls return
     * the same decider, so its counters are per artifact). Load-time: the cache lookup synchronises, so keep the decider for
     * as long as the artifact serves rather than calling this per request.
     *
     * @param artifact a loaded artifact.
     * @return the decider.
     * @throws IllegalArgumentException when the artifact has no COHORT_SCALARS section.
     */
    public static ScalarDecider of(final LoadedArtifact artifact)
    {
        final int index = sectionIndex(artifact);
        return artifact.attachment(index, ScalarDecider.class,
            a -> new ScalarDecider(flyweight(a, index), a, SensitivityModelResolver.BUILT_IN));
    }

    /**
     * A new (uncached) decider whose bids' sensitivity models come from {@code resolver}: the plug point for model
     * kinds beyond GBDT.
     *
     * @param artifact a loaded artifact.
     * @param resolver finds each bid's model.
     * @return the decider.
     * @throws IllegalArgumentException when the artifact has no COHORT_SCALARS section or a model does not fit.
     */
    public static ScalarDecider of(final LoadedArtifact artifact, final SensitivityModelResolver resolver)
    {
        final int index = sectionIndex(artifact);
        return new ScalarDecider(flyweight(artifact, index), artifact, resolver);
    }

    /**
     * Verification-vector evaluator for COHORT_SCALARS ({@link #MODE_SENSITIVITIES}, {@link #MODE_FEATURES},
     * {@link #MODE_COHORTS}; output Q scalars). Replay uses its own decider, so the served decider's counters start
     * at 0. Inputs or outputs of the wrong width are left unevaluated, which fails the vector. Load time only.
     *
     * @param artifact     artifact being loaded.
     * @param sectionIndex table index of the COHORT_SCALARS section.
     * @return an evaluator for replay.
     */
    public static VectorEvaluator verificationEvaluator(final LoadedArtifact artifact, final int sectionIndex)
    {
        final ScalarDecider decider =
            new ScalarDecider(flyweight(artifact, sectionIndex), artifact, SensitivityModelResolver.BUILT_IN);
        final ScalarContext context = decider.newContext();
        final int q = decider.bidCount;
        final int[] cohorts = new int[q];
        return (mode, input, output) ->
        {
            if (output.length != q)
            {
                return;
            }
            if (mode == MODE_SENSITIVITIES && input.length == q)
            {
                decider.scalarsForSensitivities(input, output);
            }
            else if (mode == MODE_FEATURES && input.length == Math.max(1, decider.featureCount))
            {
                decider.scalarsForFeatures(input, output, context);
            }
            else if (mode == MODE_COHORTS && input.length == q)
            {
                for (int b = 0; b < q; b++)
                {
                    final double c = input[b];
                    cohorts[b] = c == Math.rint(c) && Math.abs(c) <= Integer.MAX_VALUE ? (int)c : -1;
                }
                decider.scalarsForCohorts(cohorts, output);
            }
        };
    }

    private static int sectionIndex(final LoadedArtifact artifact)
    {
        final int index = artifact.layout().indexOf(SectionType.COHORT_SCALARS, 0);
        if (index < 0)
        {
            throw new IllegalArgumentException(artifact + " has no COHORT_SCALARS section");
        }
        return index;
    }

    private static CohortScalarsFlyweight flyweight(final LoadedArtifact artifact, final int index)
    {
        return new CohortScalarsFlyweight().wrap(artifact.buffer(), artifact.layout().sectionOffset(index));
    }

    /** @return a new per-thread context for this decider. */
    public ScalarContext newContext()
    {
        return new ScalarContext(this, models);
    }

    /** @return number of quality bids Q; {@code out} arrays need at least this length. */
    public int bidCount()
    {
        return bidCount;
    }

    /**
     * @param index bid index, 0..Q-1.
     * @return its bid id.
     */
    public int bidId(final int index)
    {
        return bidIds[index];
    }

    /**
     * @param bidId a bid id.
     * @return its index, or -1 when the section has no such bid.
     */
    public int bidIndex(final int bidId)
    {
        for (int b = 0; b < bidCount; b++)
        {
            if (bidIds[b] == bidId)
            {
                return b;
            }
        }
        return -1;
    }

    /**
     * @param index bid index.
     * @return number of cohorts N.
     */
    public int cohortCount(final int index)
    {
        return cohortCounts[index];
    }

    /**
     * @param index bid index.
     * @return {@link CohortScalarsDescriptor#INCREASING} or {@link CohortScalarsDescriptor#DECREASING}.
     */
    public int direction(final int index)
    {
        return directions[index];
    }

    /**
     * @param index  bid index.
     * @param cohort cohort, 0..N-1.
     * @return its scalar.
     */
    public double scalar(final int index, final int cohort)
    {
        return scalars[scalarStart[index] + cohort];
    }

    /**
     * @param index bid index.
     * @return the scalar served when the cohort is unknown.
     */
    public double defaultScalar(final int index)
    {
        return defaults[index];
    }

    /**
     * @param index bid index.
     * @return whether the bid has a sensitivity model.
     */
    public boolean hasModel(final int index)
    {
        return bidModel[index] >= 0;
    }

    /** @return number of distinct sensitivity models (each evaluated once per row). */
    public int modelCount()
    {
        return models.length;
    }

    /** @return how many features a row passed to the model paths must hold at least (0 without models). */
    public int featureCount()
    {
        return featureCount;
    }

    /** @return scalars served as defaults since this decider was built (one per bid per request). */
    public long defaultsServed()
    {
        return counters.get(DEFAULTS);
    }

    /** @return table lookups that found no such user. */
    public long unknownUsers()
    {
        return counters.get(UNKNOWN_USERS);
    }

    /** @return table lookups that threw (e.g. the table was closed); their requests got defaults. */
    public long failedLookups()
    {
        return counters.get(FAILED_LOOKUPS);
    }

    /**
     * Cohort of a sensitivity: the number of the bid's boundaries {@code <= s} (binary search). NaN gives 0; the
     * deciding methods serve the default for NaN instead.
     *
     * @param index       bid index.
     * @param sensitivity the sensitivity.
     * @return cohort 0..N-1.
     */
    public int cohortOf(final int index, final double sensitivity)
    {
        final double[] bounds = boundaries;
        final int base = boundaryStart[index];
        int lo = 0;
        int hi = cohortCounts[index] - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (bounds[base + mid] <= sensitivity)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Scalars from a user→cohort table: column {@code b} of the table is bid index {@code b}. An unknown user (or a
     * lookup that throws) gets every bid's default; bids beyond the table's columns, and cohorts outside the bid's
     * {@code 0..N-1}, get that bid's default.
     *
     * @param userId  the user.
     * @param reader  the calling thread's table reader.
     * @param out     receives Q scalars.
     * @param context the calling thread's context of this decider.
     * @return how many of the Q scalars are defaults.
     */
    public int scalarsForUser(
        final long userId, final CohortReader reader, final double[] out, final ScalarContext context)
    {
        checkContext(context);
        final int[] cohorts = context.cohorts;
        if (!lookup(userId, reader, cohorts))
        {
            return allDefaults(out);
        }
        final int q = bidCount;
        final int known = Math.min(q, reader.bidCount());
        final int[] counts = cohortCounts;
        final int[] start = scalarStart;
        final double[] x = scalars;
        int missed = 0;
        for (int b = 0; b < q; b++)
        {
            final int cohort = b < known ? cohorts[b] : -1;
            if (cohort >= 0 && cohort < counts[b])
            {
                out[b] = x[start[b] + cohort];
            }
            else
            {
                out[b] = defaults[b];
                missed++;
            }
        }
        return served(missed);
    }

    /**
     * Scalars from the bids' sensitivity models evaluated on one feature row (each distinct model once). Bids
     * without a model get their default (use {@link #scalarsFor} to take their cohorts from a table).
     *
     * @param row     at least {@link #featureCount()} features.
     * @param out     receives Q scalars.
     * @param context the calling thread's context of this decider.
     * @return how many of the Q scalars are defaults.
     */
    public int scalarsForFeatures(final double[] row, final double[] out, final ScalarContext context)
    {
        return scalarsFor(0, null, row, out, context);
    }

    /**
     * Scalars for a request: bids with a sensitivity model take their cohort from the model on {@code row}; the
     * others from the user→cohort table (looked up only when some bid has no model).
     *
     * @param userId  the user, for the bids without a model.
     * @param reader  the calling thread's table reader, or null (those bids then get their default).
     * @param row     at least {@link #featureCount()} features.
     * @param out     receives Q scalars.
     * @param context the calling thread's context of this decider.
     * @return how many of the Q scalars are defaults.
     */
    public int scalarsFor(
        final long userId, final CohortReader reader, final double[] row, final double[] out,
        final ScalarContext context)
    {
        checkContext(context);
        if (row.length < featureCount)
        {
            throw new IllegalArgumentException("row has " + row.length + " features, the models need " +
                featureCount);
        }
        final SensitivityModel<Object>[] m = models;
        final Object[] scratch = context.scratch;
        final double[][] outputs = context.outputs;
        for (int i = 0; i < m.length; i++)
        {
            m[i].evaluate(row, outputs[i], scratch[i]);
        }
        final int[] cohorts = context.cohorts;
        final boolean found = anyWithoutModel && reader != null && lookup(userId, reader, cohorts);
        final int known = found ? Math.min(bidCount, reader.bidCount()) : 0;
        final int q = bidCount;
        final int[] model = bidModel;
        final int[] counts = cohortCounts;
        int missed = 0;
        for (int b = 0; b < q; b++)
        {
            final int source = model[b];
            if (source >= 0)
            {
                final double s = outputs[source][bidOutput[b]];
                if (s == s)
                {
                    out[b] = scalars[scalarStart[b] + cohortOf(b, s)];
                    continue;
                }
            }
            else if (b < known)
            {
                final int cohort = cohorts[b];
                if (cohort >= 0 && cohort < counts[b])
                {
                    out[b] = scalars[scalarStart[b] + cohort];
                    continue;
                }
            }
            out[b] = defaults[b];
            missed++;
        }
        return served(missed);
    }

    /**
     * Scalars from caller-supplied sensitivities (e.g. from a model evaluated elsewhere); NaN means unknown.
     *
     * @param sensitivities Q sensitivities, {@code sensitivities[b]} for bid index b.
     * @param out           receives Q scalars.
     * @return how many of the Q scalars are defaults.
     */
    public int scalarsForSensitivities(final double[] sensitivities, final double[] out)
    {
        final int q = bidCount;
        int missed = 0;
        for (int b = 0; b < q; b++)
        {
            final double s = sensitivities[b];
            if (s == s)
            {
                out[b] = scalars[scalarStart[b] + cohortOf(b, s)];
            }
            else
            {
                out[b] = defaults[b];
                missed++;
            }
        }
        return served(missed);
    }

    /**
     * Scalars from caller-supplied cohorts; a cohort outside the bid's {@code 0..N-1} (e.g. -1 for unknown) gets
     * the default.
     *
     * @param cohorts Q cohorts, {@code cohorts[b]} for bid index b.
     * @param out     receives Q scalars.
     * @return how many of the Q scalars are defaults.
     */
    public int scalarsForCohorts(final int[] cohorts, final double[] out)
    {
        final int q = bidCount;
        final int[] counts = cohortCounts;
        final int[] start = scalarStart;
        final double[] x = scalars;
        int missed = 0;
        for (int b = 0; b < q; b++)
        {
            final int cohort = cohorts[b];
            if (cohort >= 0 && cohort < counts[b])
            {
                out[b] = x[start[b] + cohort];
            }
            else
            {
                out[b] = defaults[b];
                missed++;
            }
        }
        return served(missed);
    }

    private boolean lookup(final long userId, final CohortReader reader, final int[] cohorts)
    {
        try
        {
            if (reader.lookup(userId, cohorts) != CohortReader.MISS)
            {
                return true;
            }
            counters.getAndIncrement(UNKNOWN_USERS);
        }
        catch (final RuntimeException ex)
        {
            counters.getAndIncrement(FAILED_LOOKUPS);
        }
        return false;
    }

    private int allDefaults(final double[] out)
    {
        final int q = bidCount;
        System.arraycopy(defaults, 0, out, 0, q);
        return served(q);
    }

    private int served(final int missed)
    {
        if (missed != 0)
        {
            counters.getAndAdd(DEFAULTS, missed);
        }
        return missed;
    }

    private void checkContext(final ScalarContext context)
    {
        if (context.decider != this)
        {
            throw new IllegalArgumentException("the context belongs to another ScalarDecider (one per artifact " +
                "version: make a new context after a swap)");
        }
    }

    @Override
    public String toString()
    {
        return "ScalarDecider(" + bidCount + " bids, " + models.length + " sensitivity models)";
    }
}
