package io.decide.bench;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.schema.FeatureSchemaWriter;
import org.agrona.DirectBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.decide.bench.BenchArtifacts.check;

/**
 * Section lookup on a loaded artifact of 16 sections: {@link LoadedArtifact#sectionOffset(int, int)} (a linear
 * scan of the section table), a long read at an offset resolved at setup, and both together. {@code target}
 * picks the section looked up: {@code first} is table index 0, {@code last} is index 15 (a full scan).
 * Single-threaded, no swaps, so the artifact is held directly (no read guard; see {@link RegistryGuardBenchmark}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class SectionLookupBenchmark
{
    private static final String NAME = "bench-lookup";
    private static final long VERSION = 3;
    private static final int PAYLOAD_SECTIONS = 14;
    private static final int SECTION_COUNT = PAYLOAD_SECTIONS + 2;

    /** Which section is looked up: {@code first} (table index 0) or {@code last} (index 15). */
    @Param({"first", "last"})
    public String target;

    private Path directory;
    private PolicyRegistry registry;
    private LoadedArtifact artifact;
    private DirectBuffer buffer;
    private int type;
    private int ordinal;
    private int offset;

    /**
     * Write and load the artifact; check its 16 sections and the target's table index and marker.
     *
     * @throws IOException when the artifact cannot be written or read.
     */
    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        directory = BenchArtifacts.tempDirectory();
        final ArtifactWriter writer = new ArtifactWriter(NAME, VERSION);
        for (int i = 0; i < PAYLOAD_SECTIONS; i++)
        {
            final int sectionType = payloadType(i);
            writer.addSection(sectionType, 1, BenchArtifacts.payload(sectionType, i % 2, 64 + 8 * i, i));
            if (i == 0)
            {
                writer.addSection(SectionType.FEATURE_SCHEMA, 1, new FeatureSchemaWriter().numeric("x").toBytes());
                writer.metadata("{\"producer\":\"io.decide.bench\"}");
            }
        }
        final Path file = writer.writeTo(directory.resolve(NAME + "-v" + VERSION + ".dpol"));
        registry = new PolicyRegistry(null);
        artifact = registry.load(file);
        buffer = artifact.buffer();

        final int expectedIndex;
        switch (target)
        {
            case "first":
                type = payloadType(0);
                ordinal = 0;
                expectedIndex = 0;
                break;
            case "last":
                type = payloadType(PAYLOAD_SECTIONS - 1);
                ordinal = (PAYLOAD_SECTIONS - 1) % 2;
                expectedIndex = SECTION_COUNT - 1;
                break;
            default:
                throw new IllegalArgumentException("target must be first or last: " + target);
        }
        final ArtifactLayout layout = artifact.layout();
        check(artifact.version() == VERSION, "loaded version " + artifact.version() + ", expected " + VERSION);
        check(layout.sectionCount() == SECTION_COUNT, layout.sectionCount() + " sections, expected " + SECTION_COUNT);
        check(layout.indexOf(type, ordinal) == expectedIndex,
            "target " + target + " is at index " + layout.indexOf(type, ordinal) + ", expected " + expectedIndex);
        offset = artifact.sectionOffset(type, ordinal);
        check(offset > 0, "target section not found");
        check(buffer.getLong(offset) == BenchArtifacts.marker(type, ordinal), "target marker not found");
    }

    /**
     * Unmap the artifact and delete it.
     *
     * @throws IOException when the directory cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (registry != null)
        {
            registry.close(Duration.ofSeconds(5));
        }
        BenchArtifacts.deleteRecursively(directory);
    }

    /** @return the target's file offset, resolved from (type, ordinal). */
    @Benchmark
    public int sectionOffset()
    {
        return artifact.sectionOffset(type, ordinal);
    }

    /** @return the long at the offset resolved at setup (the way decisions read). */
    @Benchmark
    public long readLongAtResolvedOffset()
    {
        return buffer.getLong(offset);
    }

    /** @return the long at the target's offset, resolved on every call. */
    @Benchmark
    public long resolveThenReadLong()
    {
        return buffer.getLong(artifact.sectionOffset(type, ordinal));
    }

    private static int payloadType(final int index)
    {
        return BenchArtifacts.PAYLOAD_TYPE + index / 2;
    }
}
