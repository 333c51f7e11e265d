package io.decide.bench;

import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.sidecar.dispatch.DecisionHandlers;
import io.decide.sidecar.dispatch.Dispatcher;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.protocol.RequestEncoder;
import io.decide.tools.demo.SidecarArtifacts;
import io.decide.tools.gbdt.GbdtArtifact;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sidecar's pipeline choice, measured: a request decided on the thread that decoded it ({@link #direct}, what
 * {@code decided} does) against handing it to a decision thread and waiting for the answer ({@link #handOff}: the
 * decision thread waits with Agrona's spin-yield-park {@link BackoffIdleStrategy}, as a Disruptor consumer with a
 * phased-backoff wait strategy would). Same dispatcher work in both; the difference is the thread hop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SidecarHandOffBenchmark
{
    private Path directory;
    private DecisionEngine engine;
    private Dispatcher dispatcher;
    private int frameLength;
    private final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final UnsafeBuffer response = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16));
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private volatile boolean running;
    private volatile int result;
    private Thread worker;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        directory = Files.createTempDirectory("sidecar-handoff-");
        GbdtArtifact.writer("ctr", 1, SidecarArtifacts.clickModel(), "bench", 16, List.of())
            .writeTo(directory.resolve("ctr-v1.dpol"));
        engine = DecisionEngine.open(directory);
        dispatcher = new Dispatcher(engine, DecisionHandlers.builtIn(), new SidecarMetrics(), 1_000_000_000L, 0,
            1_000_000_000L, 4096);
        final double[] row = {0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4};
        frameLength = new RequestEncoder().begin(request, 0, 7, DecisionKind.GBDT_PREDICT.id())
            .name("ctr".getBytes(StandardCharsets.UTF_8)).dense(row, row.length).finish();
        running = true;
        worker = new Thread(() ->
        {
            final Dispatcher d = new Dispatcher(engine, DecisionHandlers.builtIn(), new SidecarMetrics(),
                1_000_000_000L, 0, 1_000_000_000L, 4096);
            final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16));
            final BackoffIdleStrategy idle = new BackoffIdleStrategy(100, 100, 1_000, 50_000);
            long done = 0;
            while (running)
            {
                if (submitted.get() > done)
                {
                    result = d.dispatch(request, 0, frameLength, out, 0, System.nanoTime());
                    done++;
                    completed.lazySet(done);
                    idle.reset();
                }
                else
                {
                    idle.idle();
                }
            }
            d.close();
        }, "decision-thread");
        worker.setDaemon(true);
        worker.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        running = false;
        worker.join(5000);
        dispatcher.close();
        engine.close();
        try (var files = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }

    @Benchmark
    public int direct()
    {
        return dispatcher.dispatch(request, 0, frameLength, response, 0, System.nanoTime());
    }

    @Benchmark
    public int handOff()
    {
        final long ticket = submitted.incrementAndGet();
        while (completed.get() < ticket)
        {
            Thread.onSpinWait();
        }
        return result;
    }
}
