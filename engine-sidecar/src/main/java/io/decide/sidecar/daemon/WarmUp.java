package io.decide.sidecar.daemon;

import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.engine.service.EngineStores;
import io.decide.engine.service.FallbackDefaults;
import io.decide.engine.state.SessionStateStore;
import io.decide.sidecar.dispatch.DecisionHandlers;
import io.decide.sidecar.dispatch.Dispatcher;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.metrics.StructuredLog;
import io.decide.sidecar.protocol.ResponseFlyweight;
import io.decide.sidecar.protocol.SyntheticRequests;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The daemon's start-up warm-up: before the transports listen, every artifact of the policy directory is asked
 * {@code warmup-requests} synthetic requests of every decision kind through a throwaway {@link DecisionEngine} and
 * {@link Dispatcher} — the same classes the serving thread runs, so the JIT compiles the decision paths before the
 * first real request instead of while real requests wait (a cold daemon otherwise sheds part of its first second of
 * traffic: its decisions take tens of microseconds interpreted). The throwaway engine has a temporary session-state
 * directory (deleted afterwards), no cohort table and no decision log, so nothing the daemon serves or keeps is
 * touched. A kind an artifact does not serve is dropped after {@value #PROBE} requests with no decision.
 */
final class WarmUp
{
    /** Requests after which a kind that decided nothing for an artifact is skipped. */
    static final int PROBE = 64;
    private static final int CANDIDATES = 64;
    private static final int QUALITIES = 2;
    private static final int TOP_K = 10;
    private static final long NO_DEADLINE_NANOS = 60_000_000_000L;

    /**
     * What a warm-up did.
     *
     * @param requests       requests dispatched.
     * @param decided        answered by a decision (not an error, not a fallback).
     * @param nanos          how long it took.
     * @param stateDirectory the temporary session-state directory it used (deleted), or null.
     */
    record Result(long requests, long decided, long nanos, Path stateDirectory)
    {
    }

    private WarmUp()
    {
    }

    /**
     * Warm up, logging the outcome; a failure is logged and ignored (the daemon serves cold).
     *
     * @param config  the daemon's configuration.
     * @param options how artifacts are opened (the daemon's trusted keys).
     * @param log     structured log.
     * @return what was done.
     */
    static Result run(final DaemonConfig config, final LoadOptions options, final StructuredLog log)
    {
        final long started = System.nanoTime();
        final int perKind = config.warmupRequests();
        long requests = 0;
        long decided = 0;
        Path stateDir = null;
        try
        {
            stateDir = Files.createTempDirectory("decided-warmup");
            try (DecisionEngine engine = new DecisionEngine(config.policies(), options, 4, config.maxCandidates(),
                FallbackDefaults.DEFAULTS, RegistryListener.NONE, new EngineStores(null, stateDir,
                Math.max(1_000, perKind), SessionStateStore.DEFAULT_SESSION_TIMEOUT_MILLIS));
                 Dispatcher dispatcher = new Dispatcher(engine, DecisionHandlers.builtIn(), new SidecarMetrics(),
                     NO_DEADLINE_NANOS, 0, NO_DEADLINE_NANOS, config.maxCandidates()))
            {
                engine.reload();
                final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(
                    Math.max(config.maxFrameBytes(), 4096)));
                final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(dispatcher.maxResponseLength()));
                final ResponseFlyweight response = new ResponseFlyweight();
                for (final String name : engine.versions().keySet())
                {
                    for (final DecisionKind kind : DecisionKind.values())
                    {
                        final SyntheticRequests synthetic = new SyntheticRequests(kind, name, 0, CANDIDATES,
                            QUALITIES, TOP_K, 0, 7);
                        long decidedHere = 0;
                        for (int i = 0; i < perKind && (i < PROBE || decidedHere > 0); i++)
                        {
                            final int length = synthetic.encode(frame, 0, i);
                            dispatcher.dispatch(frame, 0, length, out, 0, System.nanoTime());
                            requests++;
                            response.wrap(out, 0);
                            if (response.status() == DecisionStatus.OK && !response.fallback())
                            {
                                decidedHere++;
                            }
                        }
                        decided += decidedHere;
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            log.warn("warmup.failed", "error", String.valueOf(ex.getMessage()));
        }
        finally
        {
            delete(stateDir, log);
        }
        final Result result = new Result(requests, decided, System.nanoTime() - started, stateDir);
        log.info("warmup", "requests", requests, "decided", decided, "ms", result.nanos() / 1_000_000);
        return result;
    }

    private static void delete(final Path dir, final StructuredLog log)
    {
        if (dir != null)
        {
            IoUtil.delete(dir.toFile(), (ErrorHandler)ex ->
                log.warn("warmup.cleanup", "dir", dir, "error", String.valueOf(ex.getMessage())));
        }
    }
}
