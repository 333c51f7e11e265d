package io.decide.sidecar.daemon;

import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.registry.ReloadResult;
import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.EngineStores;
import io.decide.engine.state.SessionStateStore;
import io.decide.engine.service.FallbackDefaults;
import io.decide.format.signature.KeyFiles;
import io.decide.sidecar.admin.AdminServer;
import io.decide.sidecar.dispatch.DecisionHandlers;
import io.decide.sidecar.dispatch.Dispatcher;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.metrics.StructuredLog;
import io.decide.sidecar.transport.ShmTransport;
import io.decide.sidecar.transport.SocketTransport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A running {@code decided}: the {@link DecisionEngine} over the policy directory, one serving thread that polls
 * every transport (sockets and shared memory) and answers on the spot through its {@link Dispatcher}, a watcher
 * thread that reloads the directory on file-system events and every watch interval, and the admin HTTP server.
 * <p>
 * Idle strategy of the serving thread (one thread, so at most one core ever spins): spin for {@code idle-spins}
 * empty polls, yield for {@code idle-yields} more, then block in the selector (sockets only: woken by the kernel
 * when bytes arrive) or park up to {@code idle-park-us} (shared memory on, which has no wake-up). By default
 * ({@code idle-spins} -1) a sockets-only daemon does not spin at all: on a machine with more runnable threads than
 * cores, a thread that sleeps in the selector is woken ahead of the threads that used their share, while a spinning
 * or yielding one waits for whole scheduler slices (measured: p50 14-70 us against 0.4-1.8 ms at 10k-50k req/s
 * under load average 14). With shared memory on, nothing wakes the thread: it spins {@value #SHM_IDLE_SPINS} empty
 * polls (tens of microseconds) and then parks {@code idle-park-us} at a time (measured at 10k req/s, load average
 * 12: p50 80 us parking against 4-36 ms spinning). Sub-5-microsecond shared-memory round trips need a core of its
 * own and {@code idle-spins} in the millions.
 * <p>
 * Start-up: the policy directory is loaded, then (unless {@code warmup-requests} is 0) {@link WarmUp} decides
 * synthetic requests of every kind for every artifact through a throwaway engine, and only then do the transports
 * listen, so the first real requests meet compiled decision paths.
 * <p>
 * Shutdown ({@link #shutdown()}): listeners close, requests already received are answered and flushed (up to
 * {@code drain-timeout-ms}), then connections close and the engine releases its mappings.
 */
public final class Daemon implements AutoCloseable
{
    /** Empty polls spun before parking when shared memory is on and {@code idle-spins} is -1. */
    static final int SHM_IDLE_SPINS = 100;

    private final DaemonConfig config;
    private final StructuredLog log;
    private final SidecarMetrics metrics = new SidecarMetrics();
    private static final int LOG_RING_SIZE = 1 << 12;
    private static final int LOG_MAX_FEATURES = 256;

    private final DecisionEngine engine;
    private final DecisionLog decisionLog;
    private final Dispatcher dispatcher;
    private final SocketTransport sockets;
    private final ShmTransport shm;
    private final InetSocketAddress tcpAddress;
    private final AdminServer admin;
    private final Thread servingThread;
    private final Thread watcherThread;
    private final WatchService watchService;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch shutdownDone = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean shutdownStarted =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final Object reloadLock = new Object();
    private volatile boolean running = true;
    private volatile boolean draining;
    private volatile boolean ready;

    private Daemon(final DaemonConfig config, final StructuredLog log) throws IOException
    {
        this.config = config;
        this.log = log;
        LoadOptions options = LoadOptions.defaults();
        if (!config.trustedKeys().isEmpty())
        {
            final List<PublicKey> keys = new ArrayList<>();
            for (final Path key : config.trustedKeys())
            {
                keys.add(KeyFiles.readPublic(key));
            }
            options = options.withTrustedKeys(keys);
        }
        engine = new DecisionEngine(config.policies(), options, PolicyRegistry.DEFAULT_MAX_READERS,
            config.maxCandidates(), FallbackDefaults.DEFAULTS, new RegistryListener()
            {
                @Override
                public void onLoaded(final LoadedArtifact artifact, final LoadedArtifact previous)
                {
                    log.info("artifact.loaded", "name", artifact.name(), "version", artifact.version(),
                        "previous", previous == null ? "none" : String.valueOf(previous.version()),
                        "file", artifact.path().getFileName());
                }

                @Override
                public void onRejected(final Path file, final Exception reason)
                {
                    log.warn("artifact.refused", "file", file, "reason", reason.getMessage());
                }
            }, new EngineStores(config.cohortTable(), config.stateDir(), config.maxUsers(),
                SessionStateStore.DEFAULT_SESSION_TIMEOUT_MILLIS));
        DecisionLog opened = null;
        if (config.log() != null)
        {
            try
            {
                opened = DecisionLog.open(DecisionLogConfig.defaults(config.log())
                    .withBackPressure(DecisionLogConfig.BackPressure.DROP).withRingSize(LOG_RING_SIZE)
                    .withMaxFeatures(LOG_MAX_FEATURES));
            }
            catch (final IOException | RuntimeException ex)
            {
                engine.close();
                throw ex;
            }
        }
        decisionLog = opened;
        final ReloadResult first = engine.reload();
        metrics.onReload(first.rejected().size());
        log.info("reload", "reason", "start", "loaded", first.loaded().size(), "refused", first.rejected().size(),
            "serving", engine.versions());
        dispatcher = new Dispatcher(engine, DecisionHandlers.builtIn(decisionLog), metrics, config.defaultTimeoutUs() * 1000,
            config.shedMarginUs() * 1000, config.maxQueueUs() * 1000, config.maxCandidates());
        if (config.warmupRequests() > 0)
        {
            // Before any transport listens: the first real requests then meet compiled decision paths.
            WarmUp.run(config, options, log);
        }
        SocketTransport socketTransport = null;
        InetSocketAddress boundTcp = null;
        ShmTransport shmTransport = null;
        AdminServer adminServer = null;
        try
        {
            if (config.uds() != null || config.tcp() != null)
            {
                socketTransport = new SocketTransport(dispatcher, metrics, log, config.maxFrameBytes(),
                    Math.max(config.outBufferBytes(), 2 * dispatcher.maxResponseLength()), config.maxConnections());
                if (config.uds() != null)
                {
                    socketTransport.listenUnix(config.uds());
                }
                if (config.tcp() != null)
                {
                    boundTcp = socketTransport.listenTcp(config.tcp());
                }
            }
            if (config.shm() != null)
            {
                shmTransport = new ShmTransport(config.shm(), config.shmSlots(), config.shmRingBytes(),
                    config.maxFrameBytes(), dispatcher, metrics, log);
            }
            if (config.admin() != null)
            {
                adminServer = new AdminServer(config.admin(), this);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (socketTransport != null)
            {
                socketTransport.close();
            }
            if (shmTransport != null)
            {
                shmTransport.close();
            }
            dispatcher.close();
            closeLog();
            engine.close();
            throw ex;
        }
        sockets = socketTransport;
        tcpAddress = boundTcp;
        shm = shmTransport;
        admin = adminServer;
        watchService = config.policies().getFileSystem().newWatchService();
        config.policies().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        servingThread = new Thread(this::serve, "decided-serving");
        watcherThread = new Thread(this::watch, "decided-watcher");
        watcherThread.setDaemon(true);
    }

    /**
     * Start a daemon: load the policy directory, bind every configured transport and the admin endpoint, start
     * serving.
     *
     * @param config validated configuration.
     * @param log    structured log.
     * @return the running daemon.
     * @throws IOException when a transport cannot be bound.
     */
    public static Daemon start(final DaemonConfig config, final StructuredLog log) throws IOException
    {
        final Daemon daemon = new Daemon(config, log);
        daemon.servingThread.start();
        daemon.watcherThread.start();
        if (daemon.admin != null)
        {
            daemon.admin.start();
        }
        daemon.ready = true;
        log.info("ready", "pid", ProcessHandle.current().pid(), "uds", config.uds(), "tcp",
            daemon.tcpAddress == null ? null : daemon.tcpAddress.getHostString() + ":" + daemon.tcpAddress.getPort(),
            "shm", config.shm(), "admin", daemon.adminAddress() == null ? null :
                daemon.adminAddress().getHostString() + ":" + daemon.adminAddress().getPort());
        return daemon;
    }

    private void serve()
    {
        final SocketTransport s = sockets;
        final ShmTransport m = shm;
        final int spins = config.idleSpins() >= 0 ? config.idleSpins() : m == null ? 0 : SHM_IDLE_SPINS;
        final int yields = spins + config.idleYields();
        final long parkNanos = config.idleParkUs() * 1000;
        long idle = 0;
        boolean accepting = true;
        try
        {
            while (running)
            {
                if (draining && accepting && s != null)
                {
                    accepting = false;
                    s.stopAccepting();
                }
                int work = 0;
                try
                {
                    if (s != null)
                    {
                        work += s.poll();
                    }
                    if (m != null)
                    {
                        work += m.poll();
                    }
                }
                catch (final RuntimeException ex)
                {
                    metrics.onLoopError();
                    log.error("loop.error", "error", ex);
                }
                if (work > 0)
                {
                    idle = 0;
                    continue;
                }
                if (draining && (s == null || s.idle()) && (m == null || m.idle()))
                {
                    break;
                }
                idle++;
                if (idle < spins)
                {
                    Thread.onSpinWait();
                }
                else if (idle < yields)
                {
                    Thread.yield();
                }
                else if (m == null && !draining)
                {
                    s.await(100);
                    idle = 0;
                }
                else
                {
                    LockSupport.parkNanos(parkNanos);
                }
            }
        }
        finally
        {
            stopped.countDown();
        }
    }

    private void watch()
    {
        final long intervalMs = config.watchIntervalMs();
        while (running)
        {
            try
            {
                final WatchKey key = watchService.poll(intervalMs, TimeUnit.MILLISECONDS);
                if (key != null)
                {
                    Thread.sleep(20);
                    boolean artifacts = false;
                    for (final java.nio.file.WatchEvent<?> event : key.pollEvents())
                    {
                        final Object context = event.context();
                        final String name = context == null ? "" : context.toString();
                        artifacts |= event.kind() == StandardWatchEventKinds.OVERFLOW ||
                            name.endsWith(".dpol") && !name.startsWith(".");
                    }
                    key.reset();
                    if (artifacts)
                    {
                        reload("watch");
                    }
                }
                else
                {
                    reload("scan");
                }
            }
            catch (final InterruptedException | ClosedWatchServiceException ex)
            {
                return;
            }
            catch (final RuntimeException ex)
            {
                log.error("watch.error", "error", ex);
            }
        }
    }

    /**
     * Rescan the policy directory now (watcher, SIGHUP, admin). A bad artifact is refused and the version serving
     * its name keeps serving.
     *
     * @param reason why, for the log.
     * @return what changed.
     */
    public ReloadResult reload(final String reason)
    {
        synchronized (reloadLock)
        {
            final ReloadResult result = engine.reload();
            final boolean automatic = "scan".equals(reason) || "watch".equals(reason);
            if (!automatic || !result.loaded().isEmpty() || result.hasRejections())
            {
                metrics.onReload(result.rejected().size());
                log.info("reload", "reason", reason, "loaded", result.loaded().size(), "refused",
                    result.rejected().size(), "serving", engine.versions());
            }
            return result;
        }
    }

    /** @return the engine. */
    public DecisionEngine engine()
    {
        return engine;
    }

    /** @return the metrics. */
    public SidecarMetrics metrics()
    {
        return metrics;
    }

    /** @return the configuration. */
    public DaemonConfig config()
    {
        return config;
    }

    /** @return the bound TCP address, or null. */
    public InetSocketAddress tcpAddress()
    {
        return tcpAddress;
    }

    /** @return the bound admin address, or null. */
    public InetSocketAddress adminAddress()
    {
        return admin == null ? null : admin.address();
    }

    /** @return whether the serving thread runs. */
    public boolean healthy()
    {
        return running && servingThread.isAlive();
    }

    /** @return whether the daemon serves (transports bound, at least one artifact loaded, not shutting down). */
    public boolean ready()
    {
        return ready && !draining && healthy() && !engine.versions().isEmpty();
    }

    /**
     * Graceful shutdown: stop accepting, answer what was received, close. Idempotent.
     */
    public void shutdown()
    {
        if (!shutdownStarted.compareAndSet(false, true))
        {
            try
            {
                shutdownDone.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return;
        }
        draining = true;
        log.info("shutdown.begin", "drain_timeout_ms", config.drainTimeoutMs());
        if (admin != null)
        {
            admin.stop();
        }
        if (sockets != null)
        {
            sockets.wakeup();
        }
        final long startNanos = System.nanoTime();
        try
        {
            if (!stopped.await(config.drainTimeoutMs(), TimeUnit.MILLISECONDS))
            {
                log.warn("shutdown.drain_timeout");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        running = false;
        if (sockets != null)
        {
            sockets.wakeup();
        }
        try
        {
            servingThread.join(2000);
            watchService.close();
            watcherThread.interrupt();
            watcherThread.join(2000);
        }
        catch (final InterruptedException | IOException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (sockets != null)
        {
            sockets.close();
        }
        if (shm != null)
        {
            shm.close();
        }
        dispatcher.close();
        closeLog();
        engine.close();
        log.info("shutdown.end", "drain_ms", (System.nanoTime() - startNanos) / 1_000_000, "requests",
            metrics.requests());
        shutdownDone.countDown();
    }

    /**
     * Wait for the serving thread to end.
     *
     * @throws InterruptedException when interrupted.
     */
    public void awaitTermination() throws InterruptedException
    {
        servingThread.join();
    }

    /** @return the decision log ad-slot decisions go to, or null when none is configured. */
    public DecisionLog decisionLog()
    {
        return decisionLog;
    }

    private void closeLog()
    {
        if (decisionLog != null)
        {
            try
            {
                decisionLog.close();
            }
            catch (final RuntimeException ex)
            {
                log.warn("decision_log.close_failed", "reason", ex.getMessage());
            }
        }
    }

    @Override
    public void close()
    {
        shutdown();
    }
}
