package io.decide.engine.service;

import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.cohort.CohortTable;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.rank.CandidateBatchDescriptor;
import io.decide.engine.rank.Ranker;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.registry.ReloadResult;
import io.decide.engine.scalar.ScalarDecider;
import io.decide.engine.state.SessionStateStore;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The in-process decision facade every host calls (the Java API, the {@code decided} sidecar, the C ABI): a
 * {@link PolicyRegistry} over a policy directory, artifacts addressed by name through integer handles, and one
 * allocation-free method per {@link DecisionKind} that takes flat inputs, writes into caller-provided outputs and
 * returns a {@link DecisionStatus} code.
 * <pre>{@code
 * DecisionEngine engine = DecisionEngine.open(Path.of("/srv/policies"));
 * int ctr = engine.handle("ctr");                    // resolve once (-1 when no such artifact was loaded)
 * DecisionContext context = engine.newContext();     // one per thread
 * int status = engine.predict(ctr, row, row.length, out, context);
 * if (status == DecisionStatus.OK) { ... out[0 .. context.resultCount()), context.version(), context.fallback() }
 * }</pre>
 * <b>Fallback rule.</b> A decision is answered by the serving version of its artifact name. When that version has
 * no section for the requested kind (a newer version changed what the name holds), the <em>last good version</em>
 * of that name that had one answers instead, and {@link DecisionContext#fallback()} is set; when there is none, the
 * status is {@link DecisionStatus#WRONG_KIND}. The {@code fallback*} methods answer without evaluating anything,
 * for requests a host sheds (past their deadline, overload): the last good version's precomputed fallback (GBDT:
 * its prediction for an all-missing row; quota: option 0, the cheapest; rank: candidates in index order; scalar:
 * every bid's default scalar; ad slot: the empty (no-ad) pattern 0 with probability 1, state untouched), then the
 * {@link FallbackDefaults static default} (scalar: none, {@link DecisionStatus#WRONG_KIND}; ad slot: pattern 0,
 * mask 0, one probability 1.0). Request faults (unknown name, wrong sizes) are never masked by a
 * fallback: they return their status and write nothing.
 * <p>
 * Thread-safe: decisions run concurrently from many threads, each with its own {@link DecisionContext};
 * {@link #reload()} may run on any thread at the same time (swaps are atomic, see {@link PolicyRegistry}).
 */
public final class DecisionEngine implements AutoCloseable
{
    /** Most candidates a rank decision accepts unless configured otherwise. */
    public static final int DEFAULT_MAX_CANDIDATES = 4096;
    /** Handle value meaning "no such artifact". */
    public static final int NO_HANDLE = -1;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final PolicyRegistry registry;
    private final FallbackDefaults defaults;
    private final int maxCandidates;
    private final Ranker ranker = new Ranker();
    private final EngineStores stores;
    private final CohortTable cohortTable;
    private final SessionStateStore stateStore;
    private final Object handlesLock = new Object();
    private volatile NamedArtifact[] handles = new NamedArtifact[0];

    /**
     * An engine over a policy directory. Nothing is loaded until {@link #reload()}.
     *
     * @param directory     directory of {@code *.dpol} files.
     * @param options       how artifacts are opened (trusted keys, rules).
     * @param maxThreads    most {@link DecisionContext}s alive at once.
     * @param maxCandidates most candidates per rank decision.
     * @param defaults      static defaults for shed requests.
     * @param listener      also told of every load and refusal (e.g. for logs and metrics).
     */
    public DecisionEngine(
        final Path directory,
        final LoadOptions options,
        final int maxThreads,
        final int maxCandidates,
        final FallbackDefaults defaults,
        final RegistryListener listener)
    {
        this(directory, options, maxThreads, maxCandidates, defaults, listener, EngineStores.NONE);
    }

    /**
     * An engine over a policy directory with per-user stores (cohort table, session state), which are opened now.
     * No artifact is loaded until {@link #reload()}.
     *
     * @param directory     directory of {@code *.dpol} files.
     * @param options       how artifacts are opened (trusted keys, rules).
     * @param maxThreads    most {@link DecisionContext}s alive at once.
     * @param maxCandidates most candidates per rank decision.
     * @param defaults      static defaults for shed requests.
     * @param listener      also told of every load and refusal (e.g. for logs and metrics).
     * @param stores        the cohort table and session-state directory, each optional.
     * @throws UncheckedIOException when a store cannot be opened (the message names its file).
     */
    public DecisionEngine(
        final Path directory,
        final LoadOptions options,
        final int maxThreads,
        final int maxCandidates,
        final FallbackDefaults defaults,
        final RegistryListener listener,
        final EngineStores stores)
    {
        if (maxCandidates < 1)
        {
            throw new IllegalArgumentException("maxCandidates must be >= 1: " + maxCandidates);
        }
        Objects.requireNonNull(listener, "listener");
        this.stores = Objects.requireNonNull(stores, "stores");
        this.cohortTable = openTable(stores.cohortTable());
        try
        {
            this.stateStore = openState(stores);
        }
        catch (final RuntimeException ex)
        {
            if (cohortTable != null)
            {
                cohortTable.close();
            }
            throw ex;
        }
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.maxCandidates = maxCandidates;
        this.registry = new PolicyRegistry(Objects.requireNonNull(directory, "directory"), options, maxThreads,
            new RegistryListener()
            {
                @Override
                public void onLoaded(final LoadedArtifact artifact, final LoadedArtifact previous)
                {
                    served(artifact);
                    listener.onLoaded(artifact, previous);
                }

                @Override
                public void onRejected(final Path file, final Exception reason)
                {
                    listener.onRejected(file, reason);
                }
            });
    }

    /**
     * Open an engine on a policy directory with default options and load it once.
     *
     * @param directory directory of {@code *.dpol} files.
     * @return the engine; files that were refused are in {@link PolicyRegistry#loadFailures()}.
     */
    public static DecisionEngine open(final Path directory)
    {
        final DecisionEngine engine = new DecisionEngine(directory, LoadOptions.defaults(),
            PolicyRegistry.DEFAULT_MAX_READERS, DEFAULT_MAX_CANDIDATES, FallbackDefaults.DEFAULTS,
            RegistryListener.NONE);
        engine.reload();
        return engine;
    }

    /**
     * Rescan the policy directory: new valid versions start serving, bad files are refused and the old version
     * keeps serving.
     *
     * @return what changed.
     */
    public ReloadResult reload()
    {
        return registry.reload();
    }

    /** @return the registry underneath (for hosts that need its counters). */
    public PolicyRegistry registry()
    {
        return registry;
    }

    /** @return the per-user stores this engine was opened with. */
    public EngineStores stores()
    {
        return stores;
    }

    /** @return the session-state store ad-slot decisions use, or null when the engine has no state directory. */
    public SessionStateStore stateStore()
    {
        return stateStore;
    }

    /** @return the static defaults. */
    public FallbackDefaults defaults()
    {
        return defaults;
    }

    /**
     * A new per-thread context.
     *
     * @return the context; close it when the thread ends.
     * @throws IllegalStateException when {@code maxThreads} contexts are alive.
     */
    public DecisionContext newContext()
    {
        return new DecisionContext(registry.newReader(), maxCandidates,
            cohortTable == null ? null : cohortTable.newReader(), stateStore == null ? null : stateStore.newCursor());
    }

    /**
     * Resolve an artifact name to a handle (once, not per decision).
     *
     * @param name artifact name.
     * @return its handle, or {@link #NO_HANDLE} when no artifact of that name has been loaded.
     */
    public int handle(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(bytes);
        return handle(buffer, 0, bytes.length);
    }

    /**
     * Resolve an artifact name held as UTF-8 bytes in a buffer, without allocating (for hosts that decode names from
     * requests).
     *
     * @param buffer holds the name.
     * @param offset its first byte.
     * @param length its length in bytes.
     * @return its handle, or {@link #NO_HANDLE}.
     */
    public int handle(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = NamedArtifact.hash(buffer, offset, length);
        final NamedArtifact[] all = handles;
        for (int i = 0; i < all.length; i++)
        {
            if (all[i].nameEquals(buffer, offset, length, hash))
            {
                return i;
            }
        }
        return NO_HANDLE;
    }

    /**
     * @param handle a handle.
     * @return its artifact name.
     */
    public String name(final int handle)
    {
        return handles[handle].name;
    }

    /** @return how many names have handles (handles are 0 .. count-1). */
    public int handleCount()
    {
        return handles.length;
    }

    /**
     * @param handle a handle.
     * @return the version serving under it, or 0 when the handle is unknown.
     */
    public long version(final int handle)
    {
        final NamedArtifact[] all = handles;
        if (handle < 0 || handle >= all.length)
        {
            return 0;
        }
        final CompiledArtifact latest = all[handle].latest;
        return latest == null ? 0 : latest.version;
    }

    /** @return serving version per artifact name. */
    public Map<String, Long> versions()
    {
        final Map<String, Long> result = new TreeMap<>();
        for (final NamedArtifact named : handles)
        {
            final CompiledArtifact latest = named.latest;
            if (latest != null)
            {
                result.put(named.name, latest.version);
            }
        }
        return result;
    }

    /**
     * Input width a decision kind expects from the version that would answer it (the serving version, or the last
     * good version of that kind when the serving one cannot): GBDT feature count, quota option count (or the value
     * model's feature count for model-valued quota), scalar sensitivity models' feature count, ad-slot context feature
     * count. Allocation-free, for hosts that expand sparse inputs.
     *
     * @param handle a handle.
     * @param kind   a kind.
     * @return the width, or -1 when no version of that name can answer that kind.
     */
    public int inputWidth(final int handle, final DecisionKind kind)
    {
        final NamedArtifact named = named(handle);
        if (named == null)
        {
            return -1;
        }
        final CompiledArtifact latest = named.latest;
        if (kind == DecisionKind.GBDT_PREDICT)
        {
            final CompiledArtifact c = latest != null && latest.gbdt != null ? latest : named.lastGoodGbdt;
            return c == null ? -1 : c.gbdt.featureCount();
        }
        if (kind == DecisionKind.QUOTA)
        {
            final CompiledArtifact c = latest != null && latest.quota != null ? latest : named.lastGoodQuota;
            return c == null ? -1 : c.quota.modelValued() ? c.quotaFeatureCount : c.quota.optionCount();
        }
        if (kind == DecisionKind.SCALAR)
        {
            final CompiledArtifact c = latest != null && latest.scalar != null ? latest : named.lastGoodScalar;
            return c == null ? -1 : c.scalar.featureCount();
        }
        if (kind == DecisionKind.AD_SLOT)
        {
            final CompiledArtifact c = latest != null && latest.adSlot != null ? latest : named.lastGoodAdSlot;
            return c == null ? -1 : c.adSlot.contextFeatureCount();
        }
        return -1;
    }

    /**
     * GBDT prediction: the model's transformed outputs (probabilities, rates, class index) for one dense row.
     *
     * @param handle       artifact handle.
     * @param row          features, NaN for missing, from index 0.
     * @param featureCount number of features given; must equal the model's.
     * @param out          receives {@link DecisionContext#resultCount()} outputs.
     * @param context      the calling thread's context.
     * @return a {@link DecisionStatus}.
     */
    public int predict(
        final int handle, final double[] row, final int featureCount, final double[] out, final DecisionContext context)
    {
        context.reset();
        final NamedArtifact named = named(handle);
        if (named == null)
        {
            return DecisionStatus.UNKNOWN_ARTIFACT;
        }
        if (featureCount > row.length)
        {
            return DecisionStatus.BAD_SIZE;
        }
        context.reader.enter();
        try
        {
            CompiledArtifact compiled = current(named);
            boolean fallback = false;
            if (compiled == null || compiled.gbdt == null)
            {
                compiled = named.lastGoodGbdt;
                fallback = true;
                if (compiled == null)
                {
                    return DecisionStatus.WRONG_KIND;
                }
            }
            final GbdtEvaluator evaluator = compiled.gbdt;
            final int outputs = evaluator.transformedCount();
            if (featureCount != evaluator.featureCount() || out.length < outputs)
            {
                return DecisionStatus.BAD_SIZE;
            }
            evaluator.predict(row, out, context.gbdtContext(handle, evaluator));
            context.answered(compiled.version, fallback, outputs);
            return DecisionStatus.OK;
        }
        finally
        {
            context.reader.exit();
        }
    }

    /**
     * GBDT prediction for a row of little-endian doubles in a buffer (e.g. a request frame).
     *
     * @param handle       artifact handle.
     * @param buffer       holds the row.
     * @param offset       offset of feature 0.
     * @param featureCount number of features; must equal the model's.
     * @param out          receives the outputs.
     * @param context      the calling thread's context.
     * @return a {@link DecisionStatus}.
     */
    public int predict(
        final int handle,
        final DirectBuffer buffer,
        final int offset,
        final int featureCount,
        final double[] out,
        final DecisionContext context)
    {
        final double[] row = rowFrom(buffer, offset, featureCount, context);
        if (row == null)
        {
            return DecisionStatus.BAD_SIZE;
        }
        return predict(handle, row, featureCount, out, context);
    }

    /**
     * Creative quota: {@code k* = argmax_k (v_k − λ·c_k)} with the artifact's λ. For a caller-valued QUOTA_DUAL the
     * input is the K option values; for a model-valued one it is the value model's feature row (the K feature is
     * set per option by the decider and restored).
     *
     * @param handle  artifact handle.
     * @param input   option values or model row, from index 0.
     * @param length  number of values given; must equal K (or the model's feature count).
     * @param out     receives k* in {@code out[0]}.
     * @param context the calling thread's context.
     * @return a {@link DecisionStatus}.
     */
    public int quota(
        final int handle, final double[] input, final int length, final int[] out, final DecisionContext context)
    {
        context.reset();
        final NamedArtifact named = named(handle);
        if (named == null)
        {
            return DecisionStatus.UNKNOWN_ARTIFACT;
        }
        if (length > input.length || out.length < 1)
        {
            return DecisionStatus.BAD_SIZE;
        }
        context.reader.enter();
        try
        {
            CompiledArtifact compiled = current(named);
            boolean fallback = false;
            if (compiled == null || compiled.quota == null)
            {
                compiled = named.lastGoodQuota;
                fallback = true;
                if (compiled == null)
                {
                    return DecisionStatus.WRONG_KIND;
                }
            }
            final QuotaDecider decider = compiled.quota;
            final int k;
            if (decider.modelValued())
            {
                if (length != compiled.quotaFeatureCount)
                {
                    return DecisionStatus.BAD_SIZE;
                }
                k = decider.chooseWithModel(input, decider.lambda(), context.quotaContext(handle, decider));
            }
            else
            {
                if (length != decider.optionCount())
                {
                    return DecisionStatus.BAD_SIZE;
                }
                k = decider.choose(input, 0);
            }
            out[0] = k;
            context.answered(compiled.version, fallback, 1);
            return DecisionStatus.OK;
        }
        finally
        {
            context.reader.exit();
        }
    }

    /**
     * Quota decision for values held as little-endian doubles in a buffer.
     *
     * @param handle  artifact handle.
     * @param buffer  holds the values.
     * @param offset  offset of value 0.
     * @param length  number of values.
     * @param out     receives k* in {@code out[0]}.
     * @param context the calling thread's context.
     * @return a {@link DecisionStatus}.
     */
    public int quota(
        final int handle,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int[] out,
        final DecisionContext context)
    {
        if (length < 0)
        {
            context.reset();
            return DecisionStatus.BAD_SIZE;
        }
        final double[] row = context.row(length);
        for (int i = 0; i < length; i++)
        {
            row[i] = buffer.getDouble(offset + 8 * i, LE);
        }
        return quota(handle, row, length, out, context);
    }

    /**
     * Ranking with quality scalars: top K of a candidate batch ({@link CandidateBatchDescriptor}) by
     * {@code eCPM − CQS}. Needs no artifact; {@link DecisionContext#version()} is 0.
     *
     * @param batch       buffer holding the batch.
     * @param offset      offset of the batch header.
     * @param length      bytes available for the batch from {@code offset}.
     * @param scalars     the request's quality scalars.
     * @param scalarCount scalars given; must be at least the batch's Q.
     * @param k           how many to select.
     * @param out         receives the selected candidate indices, best first.
     * @param context     the calling thread's context.
     * @return a {@link DecisionStatus}.
     */
    public int rank(
        final DirectBuffer batch,
        final int offset,
        final int length,
        final double[] scalars,
        final int scalarCount,
        final int k,
        final int[] out,
        final DecisionContext context)
    {
        context.reset();
        final int status = checkBatch(batch, offset, length, k, out, context);
        if (status != DecisionStatus.OK)
        {
            return status;
        }
        final int q = batch.getInt(offset + CandidateBatchDescriptor.QUALITY_COUNT_OFFSET, LE);
        if (q > scalarCount || scalarCount > scalars.length)
        {
            return DecisionStatus.BAD_SIZE;
        }
        final int r = ranker.topK(batch, offset, scalars, k, out, context.rank);
        if (r < 0)
        {
            return DecisionStatus.BAD_SIZE;
        }
        context.answered(0, false, r);
        return DecisionStatus.OK;
    }

    /**
     * Quality-bid scalars ({@link DecisionKind#SCALAR}): all Q bids' scalars of a request, in the artifact's bid order.
     * With a feature row, bids with a sensitivity model take their cohort from the model and the others from the
     * cohort table (by user id); without one ({@code featureCount == 0}) every bid takes its cohort from the table.
     * A bid whose cohort is unknown (no table, unknown user, cohort out of range, NaN sensitivity) gets its default
     * scalar (an OK answer: the artifact's own rule, not a fallback).
     *
     * @param handle       artifact handle.
     * @param userId       the user (cohort table key).
     * @param row          features from index 0 (NaN for missing), or ignored when {@code featureCount} is 0.
     * @param featureCount 0, or exactly the sensitivity models' feature count ({@link #inputWidth}).
     * @param out          receives Q scalars; {@link DecisionContext#resultCount()} is Q.
     * @param context      the calling thread's context.
     * @return a {@link DecisionStatus}.
     */
    public int scalars(
        final int handle, final long userId, final double[] row, final int featureCount, final double[] out,
        final DecisionContext context)
    {
        context.reset();
        final NamedArtifact named = named(handle);
        if (named == null)
        {
            return DecisionStatus.UNKNOWN_ARTIFACT;
        }
        if (featureCount < 0 || featureCount > row.length)
        {
            return DecisionStatus.BAD_SIZE;
        }
        context.reader.enter();
        try
        {
            CompiledArtifact compiled = current(named);
            boolean fallback = false;
            if (compiled == null || compiled.scalar == null)
            {
                compiled = named.lastGoodScalar;
                fallback = true;
                if (compiled == null)
                {
                    return DecisionStatus.WRONG_KIND;
                }
            }
            final ScalarDecider decider = compiled.scalar;
            final int q = decider.bidCount();
            if (out.length < q || (featureCount != 0 && featureCount != decider.featureCount()))
            {
                return DecisionStatus.BAD_SIZE;
            }
            if (featureCount == 0)
            {
                if (context.cohorts != null)
                {
                    decider.scalarsForUser(userId, context.cohorts, out, context.scalarContext(handle, decider));
                }
                else
                {
                    decider.scalarsForCohorts(context.unknownCohorts, out);
                }
            }
            else
            {
                decider.scalarsFor(userId, context.cohorts, row, out, context.scalarContext(handle, decider));
            }
            context.answered(compiled.version, fallback, q);
            return DecisionStatus.OK;
        }
        finally
        {
            context.reader.exit();
        }
    }

    /**
     * Scalars for a feature row of little-endian doubles in a buffer (e.g. a request frame).
     *
     * @param handle       artifact handle.
     * @param userId       the user.
     * @param buffer       holds the row.
     * @param offset       offset of feature 0.
     * @param featureCount 0, or the models' feature count.
     * @param out          receives Q scalars.
     * @param context      the calling thread's context.
     * @return a {@link DecisionStatus}.
     */
    public int scalars(
        final int handle,
        final long userId,
        final DirectBuffer buffer,
        final int offset,
        final int featureCount,
        final double[] out,
        final DecisionContext context)
    {
        final double[] row = rowFrom(buffer, offset, featureCount, context);
        if (row == null)
        {
            return DecisionStatus.BAD_SIZE;
        }
        return scalars(handle, userId, row, featureCount, out, context);
    }

    /**
     * Ad-slot pattern of a feed fetch ({@link DecisionKind#AD_SLOT}, {@link AdSlotDecider}): reads the user's session
     * state, decides, and records the chosen pattern in the state at once. Deterministic in (artifact version,
     * request id) for a given state. The action is in {@link DecisionContext#adPattern()}, its mask in
     * {@link DecisionContext#adMask()}, its propensity in {@link DecisionContext#propensity()}, the answering version
     * in {@link DecisionContext#version()}; {@code probabilities} receives the P patterns' probabilities
     * ({@link DecisionContext#resultCount()} is P).
     *
     * @param handle        artifact handle.
     * @param requestId     the decision's request id (seeds the draw).
     * @param userId        the user (session-state key, holdout hash).
     * @param nowMillis     request time, epoch milliseconds, > 0.
     * @param features      the C context features from index 0 (the state-fed slots are overwritten from the state).
     * @param featureCount  must equal C ({@link #inputWidth}).
     * @param probabilities receives P probabilities.
     * @param context       the calling thread's context.
     * @return a {@link DecisionStatus}; {@link DecisionStatus#UNSUPPORTED_KIND} when the engine has no state
     *         directory, {@link DecisionStatus#BAD_REQUEST} for a time <= 0.
     */
    public int adSlot(
        final int handle,
        final long requestId,
        final long userId,
        final long nowMillis,
        final double[] features,
        final int featureCount,
        final double[] probabilities,
        final DecisionContext context)
    {
        context.reset();
        final NamedArtifact named = named(handle);
        if (named == null)
        {
            return DecisionStatus.UNKNOWN_ARTIFACT;
        }
        if (featureCount < 0 || featureCount > features.length)
        {
            return DecisionStatus.BAD_SIZE;
        }
        if (context.state == null)
        {
            return DecisionStatus.UNSUPPORTED_KIND;
        }
        if (nowMillis <= 0)
        {
            return DecisionStatus.BAD_REQUEST;
        }
        context.reader.enter();
        try
        {
            CompiledArtifact compiled = current(named);
            boolean fallback = false;
            if (compiled == null || compiled.adSlot == null)
            {
                compiled = named.lastGoodAdSlot;
                fallback = true;
                if (compiled == null)
                {
                    return DecisionStatus.WRONG_KIND;
                }
            }
            final AdSlotDecider decider = compiled.adSlot;
            final int p = decider.patternCount();
            if (featureCount != decider.contextFeatureCount() || probabilities.length < p)
            {
                return DecisionStatus.BAD_SIZE;
            }
            final AdSlotDecision d = decider.decide(requestId, userId, nowMillis, features, context.state,
                context.adSlotContext(handle, decider));
            System.arraycopy(d.probabilities(), 0, probabilities, 0, p);
            context.adSlotAnswered(d, d.pattern(), d.mask(), d.propensity());
            context.answered(compiled.version, fallback, p);
            return DecisionStatus.OK;
        }
        finally
        {
            context.reader.exit();
        }
    }

    /**
     * Ad-slot decision for context features held as little-endian doubles in a buffer.
     *
     * @param handle        artifact handle.
     * @param requestId     the decision's request id.
     * @param userId        the user.
     * @param nowMillis     request time, epoch milliseconds.
     * @param buffer        holds the features.
     * @param offset        offset of feature 0.
     * @param featureCount  must equal C.
     * @param probabilities receives P probabilities.
     * @param context       the calling thread's context.
     * @return a {@link DecisionStatus}.
     */
    public int adSlot(
        final int handle,
        final long requestId,
        final long userId,
        final long nowMillis,
        final DirectBuffer buffer,
        final int offset,
        final int featureCount,
        final double[] probabilities,
        final DecisionContext context)
    {
        final double[] row = rowFrom(buffer, offset, featureCount, context);
        if (row == null)
        {
            return DecisionStatus.BAD_SIZE;
        }
        return adSlot(handle, requestId, userId, nowMillis, row, featureCount, probabilities, context);
    }

    /**
     * Shed-path scalar answer, evaluating nothing: every bid's default scalar of the last good version.
     *
     * @param handle  artifact handle.
     * @param out     receives Q scalars.
     * @param context the calling thread's context.
     * @return a {@link DecisionStatus}: {@link DecisionStatus#WRONG_KIND} when no version of the name ever had a
     *         COHORT_SCALARS section (there is no static default: Q is unknown).
     */
    public int fallbackScalars(final int handle, final double[] out, final DecisionContext context)
    {
        context.reset();
        final NamedArtifact named = named(handle);
        if (named == null)
        {
            return DecisionStatus.UNKNOWN_ARTIFACT;
        }
        final CompiledArtifact good = named.lastGoodScalar;
        if (good == null)
        {
            return DecisionStatus.WRONG_KIND;
        }
        final ScalarDecider decider = good.scalar;
        final int q = decider.bidCount();
        if (out.length < q)
        {
            return DecisionStatus.BAD_SIZE;
        }
        for (int b = 0; b < q; b++)
        {
            out[b] = decider.defaultScalar(b);
        }
        context.answered(good.version, true, q);
        return DecisionStatus.OK;
    }

    /**
     * Shed-path ad-slot answer, evaluating nothing and leaving the session state untouched: the empty (no-ad)
     * pattern 0 with probability 1 (propensity 1) over the last good version's P patterns, else the static default
     * (pattern 0, mask 0, one probability 1.0, version 0).
     *
     * @param handle        artifact handle.
     * @param probabilities receives the probabilities.
     * @param context       the calling thread's context.
     * @return a {@link DecisionStatus}; the context's fallback flag is set when OK.
     */
    public int fallbackAdSlot(final int handle, final double[] probabilities, final DecisionContext context)
    {
        context.reset();
        final NamedArtifact named = named(handle);
        if (named == null)
        {
            return DecisionStatus.UNKNOWN_ARTIFACT;
        }
        final CompiledArtifact good = named.lastGoodAdSlot;
        final int p = good == null ? 1 : good.adSlot.patternCount();
        if (probabilities.length < p)
        {
            return DecisionStatus.BAD_SIZE;
        }
        probabilities[0] = 1.0;
        for (int i = 1; i < p; i++)
        {
            probabilities[i] = 0.0;
        }
        context.adSlotAnswered(null, 0, 0, 1.0);
        context.answered(good == null ? 0 : good.version, true, p);
        return DecisionStatus.OK;
    }

    /**
     * Shed-path GBDT answer, evaluating nothing: the last good version's prediction for an all-missing row, else
     * the static default (one output).
     *
     * @param handle  artifact handle.
     * @param out     receives the outputs.
     * @param context the calling thread's context.
     * @return a {@link DecisionStatus}; the context's fallback flag is set when OK.
     */
    public int fallbackPredict(final int handle, final double[] out, final DecisionContext context)
    {
        context.reset();
        final NamedArtifact named = named(handle);
        if (named == null)
        {
            return DecisionStatus.UNKNOWN_ARTIFACT;
        }
        final CompiledArtifact good = named.lastGoodGbdt;
        if (good == null)
        {
            if (out.length < 1)
            {
                return DecisionStatus.BAD_SIZE;
            }
            out[0] = defaults.gbdtValue();
            context.answered(0, true, 1);
            return DecisionStatus.OK;
        }
        final double[] values = good.gbdtMissingRow;
        if (out.length < values.length)
        {
            return DecisionStatus.BAD_SIZE;
        }
        System.arraycopy(values, 0, out, 0, values.length);
        context.answered(good.version, true, values.length);
        return DecisionStatus.OK;
    }

    /**
     * Shed-path quota answer, evaluating nothing: option 0 (the cheapest) of the last good version, else the static
     * default option.
     *
     * @param handle  artifact handle.
     * @param out     receives the option in {@code out[0]}.
     * @param context the calling thread's context.
     * @return a {@link DecisionStatus}; the context's fallback flag is set when OK.
     */
    public int fallbackQuota(final int handle, final int[] out, final DecisionContext context)
    {
        context.reset();
        final NamedArtifact named = named(handle);
        if (named == null)
        {
            return DecisionStatus.UNKNOWN_ARTIFACT;
        }
        if (out.length < 1)
        {
            return DecisionStatus.BAD_SIZE;
        }
        final CompiledArtifact good = named.lastGoodQuota;
        out[0] = good == null ? defaults.quotaOption() : 0;
        context.answered(good == null ? 0 : good.version, true, 1);
        return DecisionStatus.OK;
    }

    /**
     * Shed-path rank answer, evaluating nothing: the first min(K, N) candidates in index order.
     *
     * @param batch   buffer holding the batch.
     * @param offset  offset of the batch header.
     * @param length  bytes available for the batch.
     * @param k       how many to select.
     * @param out     receives candidate indices.
     * @param context the calling thread's context.
     * @return a {@link DecisionStatus}; the context's fallback flag is set when OK.
     */
    public int fallbackRank(
        final DirectBuffer batch,
        final int offset,
        final int length,
        final int k,
        final int[] out,
        final DecisionContext context)
    {
        context.reset();
        final int status = checkBatch(batch, offset, length, k, out, context);
        if (status != DecisionStatus.OK)
        {
            return status;
        }
        final int n = batch.getInt(offset + CandidateBatchDescriptor.CANDIDATE_COUNT_OFFSET, LE);
        final int r = Math.max(0, Math.min(k, n));
        for (int i = 0; i < r; i++)
        {
            out[i] = i;
        }
        context.answered(0, true, r);
        return DecisionStatus.OK;
    }

    /**
     * Copy a row of little-endian doubles out of a buffer into the context's row array.
     *
     * @return the row, or null (context reset) when {@code featureCount} is negative.
     */
    private static double[] rowFrom(
        final DirectBuffer buffer, final int offset, final int featureCount, final DecisionContext context)
    {
        if (featureCount < 0)
        {
            context.reset();
            return null;
        }
        final double[] row = context.row(featureCount);
        for (int i = 0; i < featureCount; i++)
        {
            row[i] = buffer.getDouble(offset + 8 * i, LE);
        }
        return row;
    }

    /** Stop serving, release every mapping and close the stores. Contexts must no longer be used. */
    @Override
    public void close()
    {
        registry.close();
        if (stateStore != null)
        {
            stateStore.close();
        }
        if (cohortTable != null)
        {
            cohortTable.close();
        }
    }

    private static CohortTable openTable(final Path file)
    {
        if (file == null)
        {
            return null;
        }
        try
        {
            return CohortTable.open(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cohort table " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static SessionStateStore openState(final EngineStores stores)
    {
        final Path directory = stores.stateDirectory();
        if (directory == null)
        {
            return null;
        }
        try
        {
            Files.createDirectories(directory);
            return SessionStateStore.open(directory.resolve(EngineStores.STATE_FILE_NAME), stores.maxUsers(),
                stores.sessionTimeoutMillis());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("state directory " + directory + ": " + ex.getMessage(), ex);
        }
    }

    private int checkBatch(
        final DirectBuffer batch,
        final int offset,
        final int length,
        final int k,
        final int[] out,
        final DecisionContext context)
    {
        if (length < CandidateBatchDescriptor.HEADER_LENGTH || offset < 0 ||
            (long)offset + length > batch.capacity())
        {
            return DecisionStatus.BAD_REQUEST;
        }
        final int n = batch.getInt(offset + CandidateBatchDescriptor.CANDIDATE_COUNT_OFFSET, LE);
        final int q = batch.getInt(offset + CandidateBatchDescriptor.QUALITY_COUNT_OFFSET, LE);
        if (n < 0 || q < 0 || q > CandidateBatchDescriptor.MAX_QUALITY_COUNT ||
            CandidateBatchDescriptor.batchLength(n, q) > length)
        {
            return DecisionStatus.BAD_REQUEST;
        }
        if (n > context.maxCandidates() || out.length < Math.max(0, Math.min(k, n)))
        {
            return DecisionStatus.BAD_SIZE;
        }
        return DecisionStatus.OK;
    }

    private NamedArtifact named(final int handle)
    {
        final NamedArtifact[] all = handles;
        return handle >= 0 && handle < all.length ? all[handle] : null;
    }

    private static CompiledArtifact current(final NamedArtifact named)
    {
        final LoadedArtifact artifact = named.slot.current();
        return artifact == null ? null : named.compiledFor(artifact);
    }

    private void served(final LoadedArtifact artifact)
    {
        final CompiledArtifact compiled;
        try
        {
            compiled = CompiledArtifact.of(artifact);
        }
        catch (final RuntimeException ex)
        {
            return;
        }
        synchronized (handlesLock)
        {
            final NamedArtifact[] all = handles;
            for (final NamedArtifact named : all)
            {
                if (named.name.equals(artifact.name()))
                {
                    named.serving(compiled);
                    return;
                }
            }
            final NamedArtifact named = new NamedArtifact(all.length, artifact.name(), registry.slot(artifact.name()));
            named.serving(compiled);
            final NamedArtifact[] grown = Arrays.copyOf(all, all.length + 1);
            grown[all.length] = named;
            handles = grown;
        }
    }
}
