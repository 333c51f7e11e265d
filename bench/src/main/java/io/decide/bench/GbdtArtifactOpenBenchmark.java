package io.decide.bench;

import io.decide.engine.gbdt.BaselineGbdtEvaluator;
import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.SectionType;
import io.decide.format.gbdt.GbdtSectionReader;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.format.vectors.VerificationReplay;
import io.decide.tools.gbdt.GbdtArtifact;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static io.decide.bench.BenchArtifacts.check;

/**
 * Opening a GBDT artifact of {@value #TREES} complete depth-{@value #DEPTH} trees over 100 features (XGBoost-shaped:
 * float thresholds, {@code <} splits, NaN default directions; see {@link GbdtEvaluatorBenchmark#completeEnsemble}),
 * written in setup with {@link GbdtArtifact#writer} and {@value #VECTORS} verification vectors (raw and transformed
 * groups): {@code openAndClose} is {@link ArtifactLoader#open} with the default options (map, validate every
 * section and CRC, replay the vectors, which compiles the {@link GbdtEvaluator} and caches it with the artifact,
 * pre-touch), then {@link LoadedArtifact#close()} (unmap). The file is in the page cache.
 * <p>
 * Where that time goes, each step alone: {@code openNoReplayAndClose} (the same open with no verification
 * evaluators, so no replay and no compilation: map, validate, pre-touch, unmap), {@code readSection}
 * ({@link GbdtSectionReader#read} of the GBDT_ENSEMBLE section into a {@link TreeEnsemble}, from an artifact kept
 * open) and {@code compileEvaluator} ({@code new GbdtEvaluator(ensemble)} from that ensemble).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GbdtArtifactOpenBenchmark
{
    static final int TREES = 5000;
    static final int DEPTH = 6;
    static final int VECTORS = 64;

    private Path directory;
    private Path file;
    private ArtifactLoader loader;
    private ArtifactLoader loaderNoReplay;
    private LoadedArtifact kept;
    private int sectionOffset;
    private int sectionLength;
    private TreeEnsemble read;

    /**
     * Write the artifact and check one open replays every vector and serves the model.
     *
     * @throws IOException when the artifact cannot be written or read.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final TreeEnsemble ensemble = GbdtEvaluatorBenchmark.completeEnsemble(new SplittableRandom(5000), TREES, DEPTH);
        directory = BenchArtifacts.tempDirectory();
        file = GbdtArtifact.writer("bench-gbdt", 1, ensemble, "GbdtArtifactOpenBenchmark", VECTORS, List.of())
            .writeTo(directory.resolve("bench-gbdt-v1.dpol"));
        loader = new ArtifactLoader(LoadOptions.defaults());

        final LoadedArtifact artifact = loader.open(file);
        try
        {
            final VerificationReplay.Result replay = artifact.verification();
            check(replay.groupsReplayed() == 2 && replay.groupsSkipped() == 0 && replay.vectorsChecked() == 2L * VECTORS,
                "verification replay " + replay + ", expected 2 groups of " + VECTORS + " vectors");
            final GbdtEvaluator evaluator = GbdtEvaluator.of(artifact, 0);
            final GbdtContext context = evaluator.newContext();
            final SplittableRandom random = new SplittableRandom(1);
            final double[] row = new double[ensemble.featureCount()];
            final double[] expected = new double[1];
            final double[] actual = new double[1];
            for (int r = 0; r < 100; r++)
            {
                for (int f = 0; f < row.length; f++)
                {
                    row[f] = random.nextInt(20) == 0 ? Double.NaN : random.nextDouble() * 2 - 1;
                }
                ensemble.predictRaw(row, expected);
                evaluator.predictRaw(row, actual, context);
                check(Double.doubleToLongBits(expected[0]) == Double.doubleToLongBits(actual[0]),
                    "loaded evaluator disagrees with the ensemble on row " + r);
            }
            System.out.printf("GbdtArtifactOpenBenchmark: %d trees, depth %d, %d bytes, replay %s, first open %.1f ms%n",
                TREES, DEPTH, Files.size(file), replay, artifact.loadedNanos() / 1e6);
        }
        finally
        {
            artifact.close();
        }
        check(artifact.isUnmapped(), "artifact still mapped after close");

        loaderNoReplay = new ArtifactLoader(new LoadOptions(List.of(), List.of(), Map.of(), true));
        kept = loaderNoReplay.open(file);
        check(kept.verification().groupsReplayed() == 0, "replayed vectors with no evaluators");
        sectionOffset = kept.sectionOffset(SectionType.GBDT_ENSEMBLE, 0);
        sectionLength = kept.sectionLength(SectionType.GBDT_ENSEMBLE, 0);
        read = readSection();
        check(read.trees().length == TREES, "section holds " + read.trees().length + " trees");
    }

    /**
     * Delete the artifact.
     *
     * @throws IOException when it cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (kept != null)
        {
            kept.close();
        }
        BenchArtifacts.deleteRecursively(directory);
    }

    /**
     * @return vectors checked at load.
     * @throws IOException when the file cannot be read.
     */
    @Benchmark
    public long openAndClose() throws IOException
    {
        final LoadedArtifact artifact = loader.open(file);
        try
        {
            return artifact.verification().vectorsChecked();
        }
        finally
        {
            artifact.close();
        }
    }

    /**
     * @return sections validated.
     * @throws IOException when the file cannot be read.
     */
    @Benchmark
    public int openNoReplayAndClose() throws IOException
    {
        final LoadedArtifact artifact = loaderNoReplay.open(file);
        try
        {
            return artifact.layout().sectionCount();
        }
        finally
        {
            artifact.close();
        }
    }

    /** @return the ensemble decoded from the mapped GBDT_ENSEMBLE section. */
    @Benchmark
    public TreeEnsemble readSection()
    {
        return GbdtSectionReader.read(kept.buffer(), sectionOffset, sectionLength);
    }

    /** @return the evaluator compiled from the decoded ensemble. */
    @Benchmark
    public GbdtEvaluator compileEvaluator()
    {
        return new GbdtEvaluator(read);
    }

    /** @return the evaluator before the gbdt-speed changes ({@link BaselineGbdtEvaluator}), compiled. */
    @Benchmark
    public BaselineGbdtEvaluator compileBaselineEvaluator()
    {
        return new BaselineGbdtEvaluator(read);
    }
}
