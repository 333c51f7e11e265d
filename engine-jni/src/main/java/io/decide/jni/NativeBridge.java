package io.decide.jni;

import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.registry.ReloadResult;
import io.decide.engine.service.AdSlotLogSink;
import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.engine.service.EngineStores;
import io.decide.engine.service.FallbackDefaults;
import io.decide.format.adslot.AdSlotPolicyDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The static entry points libdecide.so calls (see {@code decide.h}). Engines are numbered by the order they were
 * opened; ids are never reused, so a closed engine's id keeps answering {@link DecideError#CLOSED}. Request and
 * response memory arrives as native addresses and lengths and is wrapped, in place, by the calling thread's
 * {@link UnsafeBuffer}s: no JNI array copies, and no allocation on a decision once the thread's state exists.
 * <p>
 * Every method returns 0 or a negative {@link DecideError} code; on failure the calling thread's message is kept for
 * {@link #lastError(long, int)}. Each thread gets its own {@link DecisionContext} per engine on its first decision;
 * {@link #threadExit()} (called by the library's pthread key destructor before it detaches the thread) gives them
 * back. Engine-level state (open, close, reload) is guarded by a lock; decisions take no lock.
 */
public final class NativeBridge
{
    /** Most outputs a predict copies back; larger capacities are treated as this. */
    static final int MAX_OUTPUTS = 1 << 20;
    /** Bytes of the {@code decide_result_t} struct: int64 version, int32 count, int32 fallback. */
    static final int RESULT_LENGTH = 16;
    static final int RESULT_VERSION_OFFSET = 0;
    static final int RESULT_COUNT_OFFSET = 8;
    static final int RESULT_FALLBACK_OFFSET = 12;
    /** Bytes of {@code decide_ad_slot_t}: int32 pattern, int32 mask, double propensity. */
    static final int AD_SLOT_CHOICE_LENGTH = 16;
    /** Bytes of {@code decide_reload_stats_t}: int32 loaded, int32 rejected. */
    static final int STATS_LENGTH = 8;

    private static final Object LOCK = new Object();
    /** Decision log ring slots when {@code options.log_dir} is set (as the sidecar daemon's). */
    private static final int LOG_RING_SIZE = 1 << 12;
    /** Feature slots per log record: room for the replay row of ad-slot models up to 254 context features. */
    private static final int LOG_MAX_FEATURES = 256;
    private static volatile Engine[] engines = new Engine[0];
    private static final ThreadLocal<ThreadState> THREAD = ThreadLocal.withInitial(ThreadState::new);

    private NativeBridge()
    {
    }

    /**
     * Open an engine on a policy directory and load it once.
     *
     * @param directory      policy directory.
     * @param stateDir       per-user state directory, or null; kept for the kinds that use it.
     * @param logDir         decision log directory, or null: with one, every ad-slot decision is logged (replay row
     *                       included) for {@code decide log export} and {@code decide ope --policy}.
     * @param maxThreads     most deciding threads, 0 for the default.
     * @param maxCandidates  most rank candidates, 0 for the default.
     * @param failOnRejected whether a refused artifact file fails the open.
     * @param cohortTable    user→cohort table file for scalar decisions, or null.
     * @return the engine id (&gt;= 0) or a negative code.
     */
    public static int open(
        final String directory,
        final String stateDir,
        final String logDir,
        final int maxThreads,
        final int maxCandidates,
        final boolean failOnRejected,
        final String cohortTable)
    {
        final ThreadState t = THREAD.get();
        try
        {
            if (maxThreads < 0 || maxCandidates < 0)
            {
                return t.fail(DecideError.BAD_ARGUMENT, "decide_open: max_threads " + maxThreads +
                    " and max_candidates " + maxCandidates + " must be >= 0 (0 = default)");
            }
            final Path dir = Path.of(directory);
            if (!Files.isDirectory(dir))
            {
                return t.fail(DecideError.OPEN, "decide_open: policy directory " + dir.toAbsolutePath() +
                    (Files.exists(dir) ? " is not a directory" : " does not exist"));
            }
            if (!Files.isReadable(dir))
            {
                return t.fail(DecideError.OPEN, "decide_open: policy directory " + dir.toAbsolutePath() +
                    " is not readable");
            }
            if (cohortTable != null && !Files.isRegularFile(Path.of(cohortTable)))
            {
                return t.fail(DecideError.OPEN, "decide_open: cohort table " + Path.of(cohortTable).toAbsolutePath() +
                    " is not a file");
            }
            final DecisionEngine engine = new DecisionEngine(dir, LoadOptions.defaults(),
                maxThreads == 0 ? PolicyRegistry.DEFAULT_MAX_READERS : maxThreads,
                maxCandidates == 0 ? DecisionEngine.DEFAULT_MAX_CANDIDATES : maxCandidates,
                FallbackDefaults.DEFAULTS, RegistryListener.NONE, EngineStores.NONE
                    .withCohortTable(cohortTable == null ? null : Path.of(cohortTable))
                    .withStateDirectory(stateDir == null ? null : Path.of(stateDir)));
            final ReloadResult result;
            try
            {
                result = engine.reload();
            }
            catch (final RuntimeException ex)
            {
                engine.close();
                return t.fail(DecideError.OPEN, "decide_open: cannot scan policy directory " +
                    dir.toAbsolutePath() + ": " + ex);
            }
            final String rejected = rejections(result);
            if (rejected != null && failOnRejected)
            {
                engine.close();
                return t.fail(DecideError.ARTIFACT_REJECTED, "decide_open: " + rejected);
            }
            DecisionLog log = null;
            if (logDir != null)
            {
                try
                {
                    // The daemon's settings: a full ring drops (counted) rather than making a decision wait.
                    log = DecisionLog.open(DecisionLogConfig.defaults(Path.of(logDir))
                        .withBackPressure(DecisionLogConfig.BackPressure.DROP).withRingSize(LOG_RING_SIZE)
                        .withMaxFeatures(LOG_MAX_FEATURES));
                }
                catch (final Exception ex)
                {
                    engine.close();
                    return t.fail(DecideError.OPEN, "decide_open: cannot open decision log directory " +
                        Path.of(logDir).toAbsolutePath() + ": " + ex.getMessage());
                }
            }
            synchronized (LOCK)
            {
                final Engine[] all = engines;
                final Engine[] grown = Arrays.copyOf(all, all.length + 1);
                grown[all.length] = new Engine(engine, maxCandidates == 0 ?
                    DecisionEngine.DEFAULT_MAX_CANDIDATES : maxCandidates, stateDir, logDir, log, rejected);
                engines = grown;
                return all.length;
            }
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_open");
        }
    }

    /**
     * Close an engine.
     *
     * @param engineId engine id.
     * @return 0 or a negative code.
     */
    public static int close(final int engineId)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e;
            synchronized (LOCK)
            {
                e = live(engineId);
                if (e == null)
                {
                    return t.closed("decide_close", engineId);
                }
                e.closed = true;
            }
            e.engine.close();
            if (e.sink != null)
            {
                e.sink.log().close();
            }
            return 0;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_close");
        }
    }

    /**
     * Rescan an engine's directory.
     *
     * @param engineId     engine id.
     * @param statsAddress address of a {@code decide_reload_stats_t}, or 0.
     * @return 0, {@link DecideError#ARTIFACT_REJECTED} or another negative code.
     */
    public static int reload(final int engineId, final long statsAddress)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e = live(engineId);
            if (e == null)
            {
                return t.closed("decide_reload", engineId);
            }
            final ReloadResult result = e.engine.reload();
            if (statsAddress != 0)
            {
                t.out.wrap(statsAddress, STATS_LENGTH);
                t.out.putInt(0, result.loaded().size());
                t.out.putInt(4, result.rejected().size());
            }
            final String rejected = rejections(result);
            if (rejected != null)
            {
                e.lastRejections = rejected;
                return t.fail(DecideError.ARTIFACT_REJECTED, "decide_reload: " + rejected);
            }
            return 0;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_reload");
        }
    }

    /**
     * Resolve a name.
     *
     * @param engineId engine id.
     * @param name     artifact name.
     * @return the handle (&gt;= 0) or a negative code.
     */
    public static int handle(final int engineId, final String name)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e = live(engineId);
            if (e == null)
            {
                return t.closed("decide_handle", engineId);
            }
            final int handle = e.engine.handle(name);
            if (handle == DecisionEngine.NO_HANDLE)
            {
                final String refused = e.lastRejections;
                return t.fail(DecideError.UNKNOWN_ARTIFACT, "decide_handle: no artifact named '" + name +
                    "' is loaded (loaded: " + e.engine.versions().keySet() + ")" +
                    (refused == null ? "" : "; refused at load: " + refused));
            }
            return handle;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_handle");
        }
    }

    /**
     * @param engineId engine id.
     * @return how many handles exist, or a negative code.
     */
    public static int handleCount(final int engineId)
    {
        final ThreadState t = THREAD.get();
        final Engine e = live(engineId);
        return e == null ? t.closed("decide_handle_count", engineId) : e.engine.handleCount();
    }

    /**
     * Copy a handle's name as NUL-terminated UTF-8.
     *
     * @param engineId engine id.
     * @param handle   handle.
     * @param address  destination.
     * @param capacity bytes at the destination.
     * @return 0 or a negative code.
     */
    public static int name(final int engineId, final int handle, final long address, final int capacity)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e = live(engineId);
            if (e == null)
            {
                return t.closed("decide_name", engineId);
            }
            if (handle < 0 || handle >= e.engine.handleCount())
            {
                return t.fail(DecideError.UNKNOWN_ARTIFACT, "decide_name: handle " + handle + " is out of range 0.." +
                    (e.engine.handleCount() - 1));
            }
            final byte[] bytes = e.engine.name(handle).getBytes(StandardCharsets.UTF_8);
            if (bytes.length + 1 > capacity)
            {
                return t.fail(DecideError.BAD_SIZE, "decide_name: the name of handle " + handle + " needs " +
                    (bytes.length + 1) + " bytes with its NUL; capacity is " + capacity);
            }
            t.out.wrap(address, capacity);
            t.out.putBytes(0, bytes);
            t.out.putByte(bytes.length, (byte)0);
            return 0;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_name");
        }
    }

    /**
     * @param engineId engine id.
     * @param handle   handle.
     * @param address  receives the int64 version.
     * @return 0 or a negative code.
     */
    public static int version(final int engineId, final int handle, final long address)
    {
        final ThreadState t = THREAD.get();
        final Engine e = live(engineId);
        if (e == null)
        {
            return t.closed("decide_version", engineId);
        }
        if (handle < 0 || handle >= e.engine.handleCount())
        {
            return t.fail(DecideError.UNKNOWN_ARTIFACT, "decide_version: handle " + handle + " is out of range 0.." +
                (e.engine.handleCount() - 1));
        }
        t.out.wrap(address, 8);
        t.out.putLong(0, e.engine.version(handle));
        return 0;
    }

    /**
     * @param engineId engine id.
     * @param handle   handle.
     * @param kind     a {@link DecisionKind} id.
     * @return the input width (&gt;= 0) or a negative code.
     */
    public static int inputWidth(final int engineId, final int handle, final int kind)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e = live(engineId);
            if (e == null)
            {
                return t.closed("decide_input_width", engineId);
            }
            final DecisionKind decisionKind = DecisionKind.fromId(kind);
            if (decisionKind == null)
            {
                return t.fail(DecideError.BAD_ARGUMENT, "decide_input_width: no decision kind has id " + kind);
            }
            if (handle < 0 || handle >= e.engine.handleCount())
            {
                return t.fail(DecideError.UNKNOWN_ARTIFACT, "decide_input_width: handle " + handle +
                    " is out of range 0.." + (e.engine.handleCount() - 1));
            }
            final int width = e.engine.inputWidth(handle, decisionKind);
            if (width < 0)
            {
                return t.fail(DecideError.WRONG_KIND, "decide_input_width: artifact '" + e.engine.name(handle) +
                    "' cannot answer " + decisionKind);
            }
            return width;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_input_width");
        }
    }

    /**
     * GBDT prediction over native memory.
     *
     * @param engineId      engine id.
     * @param handle        artifact handle.
     * @param rowAddress    address of {@code featureCount} doubles.
     * @param featureCount  features given.
     * @param outAddress    address of {@code outCapacity} doubles.
     * @param outCapacity   doubles available at {@code outAddress}.
     * @param resultAddress address of a {@code decide_result_t}, or 0.
     * @return 0 or a negative code.
     */
    public static int predict(
        final int engineId,
        final int handle,
        final long rowAddress,
        final int featureCount,
        final long outAddress,
        final int outCapacity,
        final long resultAddress)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e = live(engineId);
            if (e == null)
            {
                return t.closed("decide_predict", engineId);
            }
            final DecisionContext context = t.context(engineId, e);
            final UnsafeBuffer in = t.in;
            in.wrap(rowAddress, featureCount << 3);
            final double[] out = t.doubles(outCapacity);
            final int status = e.engine.predict(handle, in, 0, featureCount, out, context);
            if (status != DecisionStatus.OK)
            {
                return t.decisionFailed(status, "decide_predict", e, handle, DecisionKind.GBDT_PREDICT,
                    featureCount, outCapacity);
            }
            final int count = context.resultCount();
            if (count > outCapacity)
            {
                return t.decisionFailed(DecisionStatus.BAD_SIZE, "decide_predict", e, handle,
                    DecisionKind.GBDT_PREDICT, featureCount, outCapacity);
            }
            t.copyOut(out, outAddress, count);
            t.result(resultAddress, context);
            return 0;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_predict");
        }
    }

    /**
     * Quota k* over native memory.
     *
     * @param engineId      engine id.
     * @param handle        artifact handle.
     * @param valuesAddress address of {@code count} doubles.
     * @param count         values given.
     * @param kAddress      address of an int32 receiving k*.
     * @param resultAddress address of a {@code decide_result_t}, or 0.
     * @return 0 or a negative code.
     */
    public static int quota(
        final int engineId,
        final int handle,
        final long valuesAddress,
        final int count,
        final long kAddress,
        final long resultAddress)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e = live(engineId);
            if (e == null)
            {
                return t.closed("decide_quota", engineId);
            }
            final DecisionContext context = t.context(engineId, e);
            final UnsafeBuffer in = t.in;
            in.wrap(valuesAddress, count << 3);
            final int[] k = t.one;
            final int status = e.engine.quota(handle, in, 0, count, k, context);
            if (status != DecisionStatus.OK)
            {
                return t.decisionFailed(status, "decide_quota", e, handle, DecisionKind.QUOTA, count, 1);
            }
            final UnsafeBuffer dst = t.out;
            dst.wrap(kAddress, 4);
            dst.putInt(0, k[0]);
            t.result(resultAddress, context);
            return 0;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_quota");
        }
    }

    /**
     * Top-K ranking over a native candidate batch.
     *
     * @param engineId       engine id.
     * @param batchAddress   address of the batch.
     * @param batchLength    bytes at {@code batchAddress}.
     * @param scalarsAddress address of {@code scalarCount} doubles.
     * @param scalarCount    scalars given.
     * @param k              how many to select.
     * @param outAddress     address of {@code outCapacity} int32s.
     * @param outCapacity    int32s available at {@code outAddress}.
     * @param resultAddress  address of a {@code decide_result_t}, or 0.
     * @return 0 or a negative code.
     */
    public static int rank(
        final int engineId,
        final long batchAddress,
        final int batchLength,
        final long scalarsAddress,
        final int scalarCount,
        final int k,
        final long outAddress,
        final int outCapacity,
        final long resultAddress)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e = live(engineId);
            if (e == null)
            {
                return t.closed("decide_rank", engineId);
            }
            final DecisionContext context = t.context(engineId, e);
            final UnsafeBuffer batch = t.in;
            batch.wrap(batchAddress, batchLength);
            final int copied = Math.min(scalarCount, t.scalars.length);
            final double[] scalars = t.scalars;
            if (copied > 0)
            {
                final UnsafeBuffer src = t.out;
                src.wrap(scalarsAddress, copied << 3);
                for (int i = 0; i < copied; i++)
                {
                    scalars[i] = src.getDouble(i << 3);
                }
            }
            final int[] out = t.ranked(e.maxCandidates);
            final int status = e.engine.rank(batch, 0, batchLength, scalars, copied, k, out, context);
            if (status != DecisionStatus.OK)
            {
                return t.rankFailed(status, e, batchLength, scalarCount, k, outCapacity);
            }
            final int count = context.resultCount();
            if (count > outCapacity)
            {
                return t.rankFailed(DecisionStatus.BAD_SIZE, e, batchLength, scalarCount, k, outCapacity);
            }
            final UnsafeBuffer dst = t.out;
            dst.wrap(outAddress, count << 2);
            for (int i = 0; i < count; i++)
            {
                dst.putInt(i << 2, out[i]);
            }
            t.result(resultAddress, context);
            return 0;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_rank");
        }
    }

    /**
     * Quality-bid scalars over native memory.
     *
     * @param engineId      engine id.
     * @param handle        artifact handle.
     * @param userId        the user (cohort table key).
     * @param rowAddress    address of {@code featureCount} doubles (unused when 0 features).
     * @param featureCount  0 (every cohort from the table) or the sensitivity models' feature count.
     * @param outAddress    address of {@code outCapacity} doubles.
     * @param outCapacity   doubles available; at least Q.
     * @param resultAddress address of a {@code decide_result_t}, or 0.
     * @return 0 or a negative code.
     */
    public static int scalars(
        final int engineId,
        final int handle,
        final long userId,
        final long rowAddress,
        final int featureCount,
        final long outAddress,
        final int outCapacity,
        final long resultAddress)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e = live(engineId);
            if (e == null)
            {
                return t.closed("decide_scalars", engineId);
            }
            final DecisionContext context = t.context(engineId, e);
            final UnsafeBuffer in = t.in;
            in.wrap(rowAddress, featureCount << 3);
            final double[] out = t.doubles(outCapacity);
            final int status = e.engine.scalars(handle, userId, in, 0, featureCount, out, context);
            if (status != DecisionStatus.OK)
            {
                return t.decisionFailed(status, "decide_scalars", e, handle, DecisionKind.SCALAR, featureCount,
                    outCapacity);
            }
            final int count = context.resultCount();
            if (count > outCapacity)
            {
                return t.decisionFailed(DecisionStatus.BAD_SIZE, "decide_scalars", e, handle, DecisionKind.SCALAR,
                    featureCount, outCapacity);
            }
            t.copyOut(out, outAddress, count);
            t.result(resultAddress, context);
            return 0;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_scalars");
        }
    }

    /**
     * Ad-slot decision over native memory; reads and updates the user's session state.
     *
     * @param engineId             engine id.
     * @param handle               artifact handle.
     * @param requestId            the decision's request id.
     * @param userId               the user.
     * @param nowMillis            request time, epoch milliseconds.
     * @param featuresAddress      address of {@code featureCount} doubles.
     * @param featureCount         C.
     * @param choiceAddress        address of a {@code decide_ad_slot_t} (int32 pattern, int32 mask, double
     *                             propensity).
     * @param probabilitiesAddress address of {@code capacity} doubles.
     * @param capacity             doubles available; at least P (checked before any state changes).
     * @param resultAddress        address of a {@code decide_result_t}, or 0.
     * @return 0 or a negative code.
     */
    public static int adSlot(
        final int engineId,
        final int handle,
        final long requestId,
        final long userId,
        final long nowMillis,
        final long featuresAddress,
        final int featureCount,
        final long choiceAddress,
        final long probabilitiesAddress,
        final int capacity,
        final long resultAddress)
    {
        final ThreadState t = THREAD.get();
        try
        {
            final Engine e = live(engineId);
            if (e == null)
            {
                return t.closed("decide_ad_slot", engineId);
            }
            final DecisionContext context = t.context(engineId, e);
            final UnsafeBuffer in = t.in;
            in.wrap(featuresAddress, featureCount << 3);
            final double[] probabilities = t.probabilities(capacity);
            final int status = e.engine.adSlot(handle, requestId, userId, nowMillis, in, 0, featureCount,
                probabilities, context);
            if (status == DecisionStatus.UNSUPPORTED_KIND)
            {
                return t.fail(DecideError.UNSUPPORTED_KIND, "decide_ad_slot: DECIDE_E_UNSUPPORTED_KIND: the engine " +
                    "was opened without options.state_dir, where ad-slot decisions keep the users' session state");
            }
            if (status == DecisionStatus.BAD_REQUEST)
            {
                return t.fail(DecideError.BAD_REQUEST, "decide_ad_slot: DECIDE_E_BAD_REQUEST: now_ms " + nowMillis +
                    " must be > 0 (epoch milliseconds)");
            }
            if (status != DecisionStatus.OK)
            {
                return t.decisionFailed(status, "decide_ad_slot", e, handle, DecisionKind.AD_SLOT, featureCount,
                    capacity);
            }
            if (e.sink != null)
            {
                e.sink.log(context.adSlotDecision(), handle, e.engine, nowMillis);
            }
            final int count = context.resultCount();
            t.copyOut(probabilities, probabilitiesAddress, count);
            final UnsafeBuffer dst = t.out;
            dst.wrap(choiceAddress, AD_SLOT_CHOICE_LENGTH);
            dst.putInt(0, context.adPattern());
            dst.putInt(4, context.adMask());
            dst.putDouble(8, context.propensity());
            t.result(resultAddress, context);
            return 0;
        }
        catch (final Throwable ex)
        {
            return t.fail(ex, "decide_ad_slot");
        }
    }

    /**
     * Copy the calling thread's last failure message as NUL-terminated UTF-8 (truncated to fit).
     *
     * @param address  destination.
     * @param capacity bytes at the destination, at least 1.
     * @return bytes written before the NUL.
     */
    public static int lastError(final long address, final int capacity)
    {
        final ThreadState t = THREAD.get();
        final String message = t.message == null ? "" : t.message;
        final byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, capacity - 1);
        while (length > 0 && length < bytes.length && (bytes[length] & 0xC0) == 0x80)
        {
            length--;
        }
        t.out.wrap(address, capacity);
        t.out.putBytes(0, bytes, 0, length);
        t.out.putByte(length, (byte)0);
        return length;
    }

    /** Give the calling thread's decision contexts back (the library calls this before detaching the thread). */
    public static void threadExit()
    {
        final ThreadState t = THREAD.get();
        THREAD.remove();
        t.closeAll();
    }

    /**
     * @param engineId engine id.
     * @return the per-user state directory given at open, or null (for decision kinds that keep user state).
     */
    public static String stateDirectory(final int engineId)
    {
        final Engine e = live(engineId);
        return e == null ? null : e.stateDir;
    }

    /**
     * @param engineId engine id.
     * @return the decision log directory given at open, or null (for decision kinds that log).
     */
    public static String logDirectory(final int engineId)
    {
        final Engine e = live(engineId);
        return e == null ? null : e.logDir;
    }

    /**
     * The facade behind an engine id, for in-JVM callers and tests that compare the C ABI with the Java API.
     *
     * @param engineId engine id.
     * @return the engine, or null when closed or unknown.
     */
    public static DecisionEngine engine(final int engineId)
    {
        final Engine e = live(engineId);
        return e == null ? null : e.engine;
    }

    private static Engine live(final int engineId)
    {
        final Engine[] all = engines;
        if (engineId < 0 || engineId >= all.length)
        {
            return null;
        }
        final Engine e = all[engineId];
        return e.closed ? null : e;
    }

    private static String rejections(final ReloadResult result)
    {
        if (!result.hasRejections())
        {
            return null;
        }
        final StringBuilder sb = new StringBuilder();
        sb.append(result.rejected().size()).append(" artifact file(s) refused: ");
        for (int i = 0; i < result.rejected().size(); i++)
        {
            final ReloadResult.Rejected r = result.rejected().get(i);
            sb.append(i == 0 ? "" : "; ").append(r.file()).append(": ").append(r.reason().getMessage());
        }
        return sb.toString();
    }

    private static final class Engine
    {
        final DecisionEngine engine;
        final int maxCandidates;
        final String stateDir;
        final String logDir;
        final AdSlotLogSink sink;
        volatile boolean closed;
        volatile String lastRejections;

        Engine(
            final DecisionEngine engine,
            final int maxCandidates,
            final String stateDir,
            final String logDir,
            final DecisionLog log,
            final String lastRejections)
        {
            this.engine = engine;
            this.maxCandidates = maxCandidates;
            this.stateDir = stateDir;
            this.logDir = logDir;
            this.sink = log == null ? null : new AdSlotLogSink(log);
            this.lastRejections = lastRejections;
        }
    }

    /** One native thread's reusable state: views over native memory, scratch arrays, contexts by engine id. */
    private static final class ThreadState
    {
        final UnsafeBuffer in = new UnsafeBuffer();
        final UnsafeBuffer out = new UnsafeBuffer();
        final UnsafeBuffer result = new UnsafeBuffer();
        final int[] one = new int[1];
        final double[] scalars = new double[64];
        double[] doubles = new double[16];
        double[] probabilities = new double[0];
        int[] ranked = new int[0];
        DecisionContext[] contexts = new DecisionContext[4];
        Engine[] owners = new Engine[4];
        String message;

        DecisionContext context(final int engineId, final Engine e)
        {
            if (engineId >= contexts.length)
            {
                contexts = Arrays.copyOf(contexts, Math.max(engineId + 1, contexts.length * 2));
                owners = Arrays.copyOf(owners, contexts.length);
            }
            DecisionContext context = contexts[engineId];
            if (context == null || owners[engineId] != e)
            {
                context = e.engine.newContext();
                contexts[engineId] = context;
                owners[engineId] = e;
            }
            return context;
        }

        /** Copy {@code count} doubles to native memory at {@code address} (a caller's output array). */
        void copyOut(final double[] values, final long address, final int count)
        {
            final UnsafeBuffer dst = out;
            dst.wrap(address, count << 3);
            for (int i = 0; i < count; i++)
            {
                dst.putDouble(i << 3, values[i]);
            }
        }

        double[] doubles(final int capacity)
        {
            if (capacity > doubles.length && doubles.length < MAX_OUTPUTS)
            {
                doubles = new double[Math.min(capacity, MAX_OUTPUTS)];
            }
            return doubles;
        }

        double[] probabilities(final int capacity)
        {
            // Exactly the caller's capacity (so the engine refuses a too-small one before touching any state);
            // a host passes the same capacity every call, so this allocates once.
            final int length = Math.max(0, Math.min(capacity, AdSlotPolicyDescriptor.MAX_PATTERNS));
            if (probabilities.length != length)
            {
                probabilities = new double[length];
            }
            return probabilities;
        }

        int[] ranked(final int maxCandidates)
        {
            if (ranked.length < maxCandidates)
            {
                ranked = new int[maxCandidates];
            }
            return ranked;
        }

        void result(final long address, final DecisionContext context)
        {
            if (address != 0)
            {
                final UnsafeBuffer r = result;
                r.wrap(address, RESULT_LENGTH);
                r.putLong(RESULT_VERSION_OFFSET, context.version());
                r.putInt(RESULT_COUNT_OFFSET, context.resultCount());
                r.putInt(RESULT_FALLBACK_OFFSET, context.fallback() ? 1 : 0);
            }
        }

        int fail(final DecideError error, final String text)
        {
            message = text;
            return error.code();
        }

        int fail(final Throwable ex, final String function)
        {
            if (ex instanceof IllegalStateException && ex.getMessage() != null &&
                ex.getMessage().contains("readers are in use"))
            {
                return fail(DecideError.TOO_MANY_THREADS, function + ": " + ex.getMessage());
            }
            if (ex instanceof OutOfMemoryError)
            {
                return fail(DecideError.NO_MEMORY, function + ": " + ex);
            }
            return fail(DecideError.JAVA_EXCEPTION, function + ": " + ex);
        }

        int closed(final String function, final int engineId)
        {
            return fail(DecideError.CLOSED, function + ": engine " + engineId + " is closed");
        }

        int decisionFailed(
            final int status,
            final String function,
            final Engine e,
            final int handle,
            final DecisionKind kind,
            final int inputCount,
            final int outCapacity)
        {
            final DecideError error = DecideError.ofStatus(status);
            final StringBuilder sb = new StringBuilder(function).append(": ")
                .append(error == null ? DecisionStatus.name(status) : error.macroName()).append(": ");
            if (status == DecisionStatus.UNKNOWN_ARTIFACT)
            {
                sb.append("handle ").append(handle).append(" is out of range 0..").append(e.engine.handleCount() - 1);
            }
            else
            {
                final String name = e.engine.name(handle);
                final int width = e.engine.inputWidth(handle, kind);
                sb.append("artifact '").append(name).append("' v").append(e.engine.version(handle));
                if (status == DecisionStatus.WRONG_KIND)
                {
                    sb.append(" cannot answer ").append(kind).append(" and no earlier version of it could");
                }
                else if (status == DecisionStatus.BAD_SIZE)
                {
                    sb.append(" expects ").append(width).append(" input values, got ").append(inputCount)
                        .append("; output capacity ").append(outCapacity);
                }
            }
            return fail(error == null ? DecideError.INTERNAL_ERROR : error, sb.toString());
        }

        int rankFailed(
            final int status,
            final Engine e,
            final int batchLength,
            final int scalarCount,
            final int k,
            final int outCapacity)
        {
            final DecideError error = DecideError.ofStatus(status);
            final String detail;
            if (status == DecisionStatus.BAD_REQUEST)
            {
                detail = "the candidate batch header (N, Q) does not fit batch_length " + batchLength +
                    " (expected 8 + N * 8 * (1 + Q) bytes, Q <= 64)";
            }
            else
            {
                detail = "scalar_count " + scalarCount + " must be >= the batch's Q, N must be <= max_candidates " +
                    e.maxCandidates + ", and out_capacity " + outCapacity + " >= min(k, N) with k " + k + " >= 0";
            }
            return fail(error == null ? DecideError.INTERNAL_ERROR : error,
                "decide_rank: " + (error == null ? DecisionStatus.name(status) : error.macroName()) + ": " + detail);
        }

        void closeAll()
        {
            for (int i = 0; i < contexts.length; i++)
            {
                final DecisionContext context = contexts[i];
                if (context != null && !owners[i].closed)
                {
                    try
                    {
                        context.close();
                    }
                    catch (final RuntimeException ignored)
                    {
                        // the engine closed meanwhile: its readers are gone with it
                    }
                }
                contexts[i] = null;
                owners[i] = null;
            }
        }
    }
}
