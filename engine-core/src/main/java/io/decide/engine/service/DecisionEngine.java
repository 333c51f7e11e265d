package io.decide.engine.service;

import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.quota.QuotaDecider;
import io.decide.engine.rank.CandidateBatchDescriptor;
import io.decide.engine.rank.Ranker;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.registry.ReloadResult;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * its prediction for an all-missing row; quota: option 0, the cheapest; rank: candidates in index order), then the
 * {@link FallbackDefaults static default}. Request faults (unknown name, wrong sizes) are never masked by a
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
        if (maxCandidates < 1)
        {
            throw new IllegalArgumentException("maxCandidates must be >= 1: " + maxCandidates);
        }
        Objects.requireNonNull(listener, "listener");
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
        return new DecisionContext(registry.newReader(), maxCandidates);
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
     * model's feature count for model-valued quota). Allocation-free, for hosts that expand sparse inputs.
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
        if (featureCount < 0)
        {
            context.reset();
            return DecisionStatus.BAD_SIZE;
        }
        final double[] row = context.row(featureCount);
        for (int i = 0; i < featureCount; i++)
        {
            row[i] = buffer.getDouble(offset + 8 * i, LE);
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

    /** Stop serving and release every mapping. Contexts must no longer be used. */
    @Override
    public void close()
    {
        registry.close();
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
