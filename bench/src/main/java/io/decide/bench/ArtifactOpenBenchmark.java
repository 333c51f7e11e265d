package io.decide.bench;

import io.decide.engine.registry.LoadedArtifact;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.Checksums;
import org.agrona.IoUtil;
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

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.decide.bench.BenchArtifacts.check;

/**
 * Cost of accepting a ~100 MB artifact (one 100 MiB payload section of an unknown type, plus FEATURE_SCHEMA and
 * METADATA), written once per trial into a temporary directory (so it is in the page cache):
 * <ul>
 *   <li>{@code crc32cWholeFile}: one CRC32C pass over the mapped file, the floor any full validation pays;</li>
 *   <li>{@code validateMapped}: {@link ArtifactValidator#validate} over a buffer mapped once per trial;</li>
 *   <li>{@code openValidatePretouchUnmap}: what a hot swap pays before serving, end to end: a new
 *   {@link PolicyRegistry} (explicit loads only), {@link PolicyRegistry#load} (map, validate, verification
 *   replay, pre-touch, publish), then {@link PolicyRegistry#close(Duration)}, which unmaps. The registry is the
 *   public way to release a mapping ({@code LoadedArtifact.unmap} is package-private); creating one costs a
 *   33 KB array, negligible here.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ArtifactOpenBenchmark
{
    private static final String NAME = "bench-open";
    private static final long VERSION = 7;
    private static final int PAYLOAD_LENGTH_BYTES = 100 * 1024 * 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private Path directory;
    private Path file;
    private String source;
    private long fileLengthBytes;
    private ArtifactValidator validator;
    private MappedByteBuffer mapped;
    private UnsafeBuffer mappedBuffer;

    /**
     * Write the artifact, map it, and check that validation and a registry load both see what was written.
     *
     * @throws IOException when the artifact cannot be written or read.
     */
    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        directory = BenchArtifacts.tempDirectory();
        file = directory.resolve(NAME + "-v" + VERSION + ".dpol");
        BenchArtifacts.withSchemaAndMetadata(NAME, VERSION)
            .addSection(BenchArtifacts.PAYLOAD_TYPE, 1,
                BenchArtifacts.payload(BenchArtifacts.PAYLOAD_TYPE, 0, PAYLOAD_LENGTH_BYTES, 42))
            .writeTo(file);
        source = file.toString();
        fileLengthBytes = Files.size(file);
        validator = new ArtifactValidator();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileLengthBytes);
        }
        mappedBuffer = new UnsafeBuffer(mapped);

        final long marker = BenchArtifacts.marker(BenchArtifacts.PAYLOAD_TYPE, 0);
        final ArtifactLayout layout = validator.validate(source, mappedBuffer, fileLengthBytes);
        final int index = layout.indexOf(BenchArtifacts.PAYLOAD_TYPE, 0);
        check(layout.version() == VERSION, "validated version " + layout.version() + ", expected " + VERSION);
        check(layout.sectionCount() == 3, "validated " + layout.sectionCount() + " sections, expected 3");
        check(index >= 0 && layout.sectionLength(index) == PAYLOAD_LENGTH_BYTES, "payload section missing or short");
        check(mappedBuffer.getLong(layout.sectionOffset(index)) == marker, "payload marker not found");
        check(fileLengthBytes > PAYLOAD_LENGTH_BYTES, "file is only " + fileLengthBytes + " bytes");

        final LoadedArtifact loaded;
        final PolicyRegistry registry = new PolicyRegistry(null);
        try
        {
            loaded = registry.load(file);
            check(loaded.version() == VERSION, "loaded version " + loaded.version() + ", expected " + VERSION);
            check(loaded.featureSchema() != null && loaded.featureSchema().size() == 1, "feature schema not loaded");
            check(loaded.sectionLength(BenchArtifacts.PAYLOAD_TYPE, 0) == PAYLOAD_LENGTH_BYTES,
                "loaded payload section has the wrong length");
            check(loaded.buffer().getLong(loaded.sectionOffset(BenchArtifacts.PAYLOAD_TYPE, 0)) == marker,
                "loaded payload marker not found");
        }
        finally
        {
            check(registry.close(CLOSE_TIMEOUT), "registry did not release its mapping on close");
        }
        check(loaded.isUnmapped(), "artifact still mapped after the registry closed");
    }

    /**
     * Unmap the trial mapping and delete the artifact.
     *
     * @throws IOException when the directory cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (mapped != null)
        {
            IoUtil.unmap(mapped);
            mapped = null;
        }
        BenchArtifacts.deleteRecursively(directory);
    }

    /** @return CRC32C of the whole mapped file. */
    @Benchmark
    public int crc32cWholeFile()
    {
        return Checksums.crc32c(mappedBuffer, 0, (int)fileLengthBytes);
    }

    /** @return the layout of the artifact, validated completely over the already mapped file. */
    @Benchmark
    public ArtifactLayout validateMapped()
    {
        return validator.validate(source, mappedBuffer, fileLengthBytes);
    }

    /**
     * @return the version served after a full load; the mapping is released before returning.
     * @throws IOException when the file cannot be read.
     */
    @Benchmark
    public long openValidatePretouchUnmap() throws IOException
    {
        final PolicyRegistry registry = new PolicyRegistry(null);
        final long version;
        try
        {
            version = registry.load(file).version();
        }
        finally
        {
            if (!registry.close(CLOSE_TIMEOUT))
            {
                throw new IllegalStateException("registry did not release its mapping on close");
            }
        }
        return version;
    }
}
