package io.decide.bench;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.sidecar.dispatch.DecisionHandlers;
import io.decide.sidecar.dispatch.Dispatcher;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.protocol.RequestEncoder;
import io.decide.tools.demo.SidecarArtifacts;
import io.decide.tools.gbdt.GbdtArtifact;
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

/**
 * What the sidecar adds around a decision, in process (no transport): the demo's GBDT click model evaluated
 * directly ({@link #evaluator}), through the {@link DecisionEngine} facade by handle ({@link #facade}: reader scope,
 * handle lookup, size checks), and as the daemon's serving thread does it ({@link #dispatch}: frame checks, name
 * lookup, deadline, decode, decide, encode the response). All three must allocate nothing ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SidecarDispatchBenchmark
{
    private Path directory;
    private DecisionEngine engine;
    private DecisionContext context;
    private Dispatcher dispatcher;
    private GbdtEvaluator evaluator;
    private GbdtContext gbdtContext;
    private int handle;
    private int frameLength;
    private final double[] row = {0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4};
    private final double[] out = new double[4];
    private final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final UnsafeBuffer response = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16));

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        directory = Files.createTempDirectory("sidecar-bench-");
        GbdtArtifact.writer("ctr", 1, SidecarArtifacts.clickModel(), "bench", 16, List.of())
            .writeTo(directory.resolve("ctr-v1.dpol"));
        engine = DecisionEngine.open(directory);
        context = engine.newContext();
        handle = engine.handle("ctr");
        dispatcher = new Dispatcher(engine, DecisionHandlers.builtIn(), new SidecarMetrics(), 1_000_000_000L, 0,
            1_000_000_000L, 4096);
        frameLength = new RequestEncoder().begin(request, 0, 7, DecisionKind.GBDT_PREDICT.id())
            .name("ctr".getBytes(StandardCharsets.UTF_8)).dense(row, row.length).finish();
        final LoadedArtifact artifact = new io.decide.engine.registry.ArtifactLoader(
            io.decide.engine.registry.LoadOptions.defaults()).open(directory.resolve("ctr-v1.dpol"));
        evaluator = GbdtEvaluator.of(artifact, 0);
        gbdtContext = evaluator.newContext();
        final double[] direct = new double[1];
        evaluator.predict(row, direct, gbdtContext);
        if (engine.predict(handle, row, row.length, out, context) != DecisionStatus.OK || out[0] != direct[0])
        {
            throw new IllegalStateException("facade disagrees with the evaluator");
        }
        dispatcher.dispatch(request, 0, frameLength, response, 0, System.nanoTime());
        if (response.getDouble(40, java.nio.ByteOrder.LITTLE_ENDIAN) != direct[0])
        {
            throw new IllegalStateException("dispatch disagrees with the evaluator");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        dispatcher.close();
        context.close();
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
    public double evaluator()
    {
        evaluator.predict(row, out, gbdtContext);
        return out[0];
    }

    @Benchmark
    public int facade()
    {
        return engine.predict(handle, row, row.length, out, context);
    }

    @Benchmark
    public int dispatch()
    {
        return dispatcher.dispatch(request, 0, frameLength, response, 0, System.nanoTime());
    }
}
