package io.decide.bench;

import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.engine.service.DecisionContext;
import io.decide.engine.service.DecisionEngine;
import io.decide.engine.service.DecisionKind;
import io.decide.engine.service.DecisionStatus;
import io.decide.engine.service.EngineStores;
import io.decide.engine.service.FallbackDefaults;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtDescriptor;
import io.decide.format.gbdt.GbdtSectionWriter;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsWriter;
import io.decide.sidecar.dispatch.DecisionHandlers;
import io.decide.sidecar.dispatch.Dispatcher;
import io.decide.sidecar.metrics.SidecarMetrics;
import io.decide.sidecar.protocol.RequestEncoder;
import io.decide.tools.demo.SidecarArtifacts;
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
import java.util.concurrent.TimeUnit;

/**
 * The SCALAR and AD_SLOT kinds through the {@link DecisionEngine} facade and through the daemon's dispatcher (frame
 * checks, name lookup, decode, decide, encode), in process. Scalars: 2 bids whose cohorts come from the demo's
 * 40-tree click model on an 8-feature row. Ad slot: the demo's policy "feed" (5 slots, static baseline, ε-greedy),
 * the user's state read and updated in a Chronicle Map every call, users cycling through 1,000. All must allocate
 * nothing ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SidecarKindsBenchmark
{
    private static final long T0 = 1_700_000_000_000L;

    private Path directory;
    private DecisionEngine engine;
    private DecisionContext context;
    private Dispatcher dispatcher;
    private int opus;
    private int feed;
    private int scalarFrame;
    private int adSlotFrame;
    private long request;
    private final double[] row = {0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4};
    private final double[] features = new double[SidecarArtifacts.FEED_FEATURES];
    private final double[] scalars = new double[8];
    private final double[] probabilities = new double[64];
    private final UnsafeBuffer requests = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final UnsafeBuffer response = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16));

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        directory = Files.createTempDirectory("kinds-bench-");
        final Path policies = Files.createDirectories(directory.resolve("policies"));
        SidecarArtifacts.leaveIn(policies);
        final CohortScalarsWriter section = new CohortScalarsWriter();
        for (int b = 0; b < 2; b++)
        {
            section.addBid(b, CohortScalarsDescriptor.INCREASING, CohortScalarsDescriptor.METHOD_MANUAL, 0.5, 2.0, 1.0,
                new double[]{-0.5, 0.0, 0.5}, new double[]{0.6, 0.9, 1.2, 1.5}, 0, 0);
        }
        new ArtifactWriter("opus", 1)
            .addSection(SectionType.GBDT_ENSEMBLE, GbdtDescriptor.VERSION,
                GbdtSectionWriter.toBytes(SidecarArtifacts.clickModel()))
            .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, section.toBytes())
            .writeTo(policies.resolve("opus-v1.dpol"));
        engine = new DecisionEngine(policies, LoadOptions.defaults(), PolicyRegistry.DEFAULT_MAX_READERS,
            DecisionEngine.DEFAULT_MAX_CANDIDATES, FallbackDefaults.DEFAULTS, RegistryListener.NONE,
            EngineStores.NONE.withStateDirectory(directory.resolve("state")));
        engine.reload();
        context = engine.newContext();
        opus = engine.handle("opus");
        feed = engine.handle("feed");
        dispatcher = new Dispatcher(engine, DecisionHandlers.builtIn(), new SidecarMetrics(), 1_000_000_000L, 0,
            1_000_000_000L, 4096);
        final RequestEncoder encoder = new RequestEncoder();
        scalarFrame = encoder.begin(requests, 0, 1, DecisionKind.SCALAR.id()).userId(7)
            .name("opus".getBytes(StandardCharsets.UTF_8)).dense(row, row.length).finish();
        adSlotFrame = encoder.begin(requests, 1024, 2, DecisionKind.AD_SLOT.id()).userId(7)
            .name("feed".getBytes(StandardCharsets.UTF_8)).dense(features, features.length).adSlot(1, T0).finish();
        if (engine.scalars(opus, 7, row, row.length, scalars, context) != DecisionStatus.OK ||
            engine.adSlot(feed, 1, 7, T0, features, features.length, probabilities, context) != DecisionStatus.OK)
        {
            throw new IllegalStateException("the facade does not serve the kinds");
        }
        dispatcher.dispatch(requests, 0, scalarFrame, response, 0, System.nanoTime());
        dispatcher.dispatch(requests, 1024, adSlotFrame, response, 0, System.nanoTime());
        if (response.getShort(16, java.nio.ByteOrder.LITTLE_ENDIAN) != 0)
        {
            throw new IllegalStateException("dispatch failed");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        dispatcher.close();
        context.close();
        engine.close();
        BenchArtifacts.deleteRecursively(directory);
    }

    @Benchmark
    public int facadeScalars()
    {
        return engine.scalars(opus, 7, row, row.length, scalars, context);
    }

    @Benchmark
    public int dispatchScalars()
    {
        return dispatcher.dispatch(requests, 0, scalarFrame, response, 0, System.nanoTime());
    }

    @Benchmark
    public int facadeAdSlot()
    {
        final long r = ++request;
        return engine.adSlot(feed, r, r % 1000, T0 + r, features, features.length, probabilities, context);
    }

    @Benchmark
    public int dispatchAdSlot()
    {
        return dispatcher.dispatch(requests, 1024, adSlotFrame, response, 0, System.nanoTime());
    }
}
