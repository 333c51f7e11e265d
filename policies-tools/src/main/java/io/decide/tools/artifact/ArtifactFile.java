package io.decide.tools.artifact;

import io.decide.format.ArtifactDescriptor;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An artifact file mapped read-only and validated, for tools that read it once (inspect, sign). The mapping is
 * released by the garbage collector; the file must not be modified in place while a tool holds it.
 *
 * @param path   the file.
 * @param buffer its bytes; index 0 is the start of the file.
 * @param layout the validated layout.
 */
public record ArtifactFile(Path path, UnsafeBuffer buffer, ArtifactLayout layout)
{
    /**
     * Map and validate a file.
     *
     * @param path      the file.
     * @param validator the checks to apply (its trusted keys decide whether a signature is required).
     * @return the validated file.
     * @throws ArtifactFormatException when the file is not a valid artifact (names file, section, offset, reason).
     * @throws IOException             when it cannot be read.
     */
    public static ArtifactFile open(final Path path, final ArtifactValidator validator) throws IOException
    {
        final String source = path.toString();
        if (Files.isDirectory(path))
        {
            throw new IOException(source + ": is a directory, expected a .dpol file");
        }
        final UnsafeBuffer buffer;
        final long length;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            length = channel.size();
            if (length == 0 || length > ArtifactDescriptor.MAX_FILE_LENGTH)
            {
                // Nothing to map: the validator refuses the length before it reads a byte.
                buffer = new UnsafeBuffer(new byte[0]);
            }
            else
            {
                final ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
                buffer = new UnsafeBuffer(mapped);
            }
        }
        return new ArtifactFile(path, buffer, validator.validate(source, buffer, length));
    }

    /**
     * Copy one section's bytes out of the file.
     *
     * @param index section table index.
     * @return a copy of the section content.
     */
    public byte[] sectionBytes(final int index)
    {
        final byte[] bytes = new byte[layout.sectionLength(index)];
        buffer.getBytes(layout.sectionOffset(index), bytes);
        return bytes;
    }
}
