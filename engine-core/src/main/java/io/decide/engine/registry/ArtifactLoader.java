package io.decide.engine.registry;

import io.decide.format.ArtifactDescriptor;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.SectionRule;
import io.decide.format.SectionType;
import io.decide.format.schema.FeatureSchema;
import io.decide.format.vectors.VectorEvaluator;
import io.decide.format.vectors.VerificationReplay;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens artifacts: map read-only, validate every byte once, replay verification vectors, pre-touch pages.
 * A file that fails any step is unmapped again and refused with an {@link ArtifactFormatException}; what it
 * returns is safe for decisions to read with no checks. Thread-safe.
 */
public final class ArtifactLoader
{
    private static final int PAGE_SIZE = 4096;

    private final LoadOptions options;
    private final ArtifactValidator validator;
    private long pretouchSink;

    /**
     * @param options how to open artifacts.
     */
    public ArtifactLoader(final LoadOptions options)
    {
        this.options = options;
        this.validator = new ArtifactValidator(options.trustedKeys(), options.extraRules().toArray(new SectionRule[0]));
    }

    /** @return the options this loader was made with. */
    public LoadOptions options()
    {
        return options;
    }

    /**
     * Open one artifact file.
     *
     * @param file a {@code .dpol} file, which must never be modified in place while mapped.
     * @return the loaded artifact.
     * @throws ArtifactFormatException when the file is not a valid artifact (names file, section, offset, reason).
     * @throws IOException             when the file cannot be read.
     */
    public LoadedArtifact open(final Path file) throws IOException
    {
        final long start = System.nanoTime();
        final String source = file.toString();
        final long size = Files.size(file);
        if (size > ArtifactDescriptor.MAX_FILE_LENGTH)
        {
            throw new ArtifactFormatException(source, "file", -1, "file is " + size + " bytes; artifacts larger than " +
                ArtifactDescriptor.MAX_FILE_LENGTH + " bytes (2 GiB) are not supported");
        }
        if (size < ArtifactDescriptor.HEADER_LENGTH)
        {
            throw new ArtifactFormatException(source, "header", 0, "file is " + size + " bytes, shorter than the " +
                ArtifactDescriptor.HEADER_LENGTH + "-byte header");
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file.toFile(), FileChannel.MapMode.READ_ONLY,
            source, 0, size);
        boolean ok = false;
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            final ArtifactLayout layout = validator.validate(source, buffer, size);
            final int schemaIndex = layout.indexOf(SectionType.FEATURE_SCHEMA, 0);
            final FeatureSchema schema = schemaIndex < 0 ? null :
                FeatureSchema.read(buffer, layout.sectionOffset(schemaIndex));
            final LoadedArtifact artifact = new LoadedArtifact(file, layout, mapped, buffer, schema);
            artifact.verification(VerificationReplay.replay(source, buffer, layout,
                (type, ordinal, index) -> evaluator(artifact, type, index)));
            if (options.pretouch())
            {
                pretouch(buffer, (int)size);
            }
            artifact.loadedNanos(System.nanoTime() - start);
            ok = true;
            return artifact;
        }
        finally
        {
            if (!ok)
            {
                IoUtil.unmap(mapped);
            }
        }
    }

    private VectorEvaluator evaluator(final LoadedArtifact artifact, final int type, final int sectionIndex)
    {
        final SectionEvaluators factory = options.evaluators().get(type);
        return factory == null ? null : factory.create(artifact, sectionIndex);
    }

    private void pretouch(final UnsafeBuffer buffer, final int length)
    {
        long sum = 0;
        for (int at = 0; at < length; at += PAGE_SIZE)
        {
            sum += buffer.getByte(at);
        }
        pretouchSink += sum;
    }
}
