package io.decide.format;

import io.decide.format.signature.ArtifactSignatures;
import io.decide.format.signature.SignatureDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import static io.decide.format.ArtifactDescriptor.*;

/**
 * Builds a {@code .dpol} artifact: header, section table, 64-byte aligned sections, CRCs and an optional
 * Ed25519 signature. {@link #writeTo(Path)} publishes the file atomically (temporary file, fsync, rename), so a
 * directory watcher never sees a half-written artifact.
 */
public final class ArtifactWriter
{
    /** Largest artifact this writer can build in one heap array (the JVM's array limit is a little under 2 GiB). */
    public static final long MAX_WRITABLE_LENGTH = Integer.MAX_VALUE - 16;

    private record Section(int type, int version, byte[] bytes)
    {
    }

    private final String name;
    private final long version;
    private long createdMillis = System.currentTimeMillis();
    private final List<Section> sections = new ArrayList<>();
    private PrivateKey signingKey;
    private PublicKey signingPublicKey;

    /**
     * Start an artifact.
     *
     * @param name    1..64 characters of [A-Za-z0-9._-].
     * @param version artifact version, >= 1; a registry serves the highest valid version of each name.
     */
    public ArtifactWriter(final String name, final long version)
    {
        if (!isValidName(name))
        {
            throw new IllegalArgumentException(
                "artifact name must be 1.." + NAME_MAX_LENGTH + " characters of [A-Za-z0-9._-]: '" + name + "'");
        }
        if (version < 1)
        {
            throw new IllegalArgumentException("artifact version must be >= 1: " + version);
        }
        this.name = name;
        this.version = version;
    }

    /**
     * @param millis creation time, epoch milliseconds (default: now).
     * @return this.
     */
    public ArtifactWriter createdMillis(final long millis)
    {
        if (millis < 0)
        {
            throw new IllegalArgumentException("creation time must be >= 0: " + millis);
        }
        this.createdMillis = millis;
        return this;
    }

    /**
     * Append a section. Sections are laid out in the order added.
     *
     * @param type           section type id (see {@link SectionType}); SIGNATURE is added by {@link #signWith}.
     * @param sectionVersion the section's layout version.
     * @param bytes          section content.
     * @return this.
     */
    public ArtifactWriter addSection(final int type, final int sectionVersion, final byte[] bytes)
    {
        if (type < 0 || type > SectionType.MAX_TYPE_ID || type == SectionType.SIGNATURE)
        {
            throw new IllegalArgumentException("bad section type " + type + " (SIGNATURE is added by signWith)");
        }
        if (sectionVersion < 0 || sectionVersion > 0xFFFF)
        {
            throw new IllegalArgumentException("bad section version " + sectionVersion);
        }
        sections.add(new Section(type, sectionVersion, bytes.clone()));
        return this;
    }

    /**
     * Add a METADATA section.
     *
     * @param json a JSON object, UTF-8 encoded on write.
     * @return this.
     */
    public ArtifactWriter metadata(final String json)
    {
        return addSection(SectionType.METADATA, 1, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sign the artifact when it is written.
     *
     * @param privateKey Ed25519 private key.
     * @param publicKey  its public key (its id is recorded so verifiers can pick the key).
     * @return this.
     */
    public ArtifactWriter signWith(final PrivateKey privateKey, final PublicKey publicKey)
    {
        this.signingKey = privateKey;
        this.signingPublicKey = publicKey;
        return this;
    }

    /** @return the artifact's bytes. */
    public byte[] toBytes()
    {
        final int count = sections.size() + (signingKey != null ? 1 : 0);
        final long tableOffset = align(HEADER_LENGTH);
        final long[] offsets = new long[count];
        long end = tableOffset + (long)count * SectionTableDescriptor.ENTRY_LENGTH;
        for (int i = 0; i < sections.size(); i++)
        {
            offsets[i] = align(end);
            end = offsets[i] + sections.get(i).bytes.length;
        }
        if (signingKey != null)
        {
            offsets[count - 1] = align(end);
            end = offsets[count - 1] + SignatureDescriptor.SECTION_LENGTH;
        }
        if (end > MAX_WRITABLE_LENGTH)
        {
            throw new IllegalStateException("artifact would be " + end + " bytes; this writer builds artifacts of " +
                "at most " + MAX_WRITABLE_LENGTH + " bytes in memory (the format's limit is 2 GiB)");
        }
        final int fileLength = (int)end;
        final byte[] bytes = new byte[fileLength];
        final ByteBuffer out = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(MAGIC_OFFSET, MAGIC);
        out.putShort(MAJOR_OFFSET, (short)MAJOR_VERSION);
        out.putShort(MINOR_OFFSET, (short)MINOR_VERSION);
        out.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        out.putLong(FILE_LENGTH_OFFSET, fileLength);
        out.putLong(ARTIFACT_VERSION_OFFSET, version);
        out.putLong(CREATED_MILLIS_OFFSET, createdMillis);
        out.putInt(SECTION_TABLE_OFFSET_OFFSET, (int)tableOffset);
        out.putInt(SECTION_COUNT_OFFSET, count);
        final byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        out.putShort(NAME_LENGTH_OFFSET, (short)nameBytes.length);
        out.put(NAME_OFFSET, nameBytes);

        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        for (int i = 0; i < sections.size(); i++)
        {
            final Section s = sections.get(i);
            out.put((int)offsets[i], s.bytes);
            writeEntry(out, (int)tableOffset, i, s.type, s.version, offsets[i], s.bytes.length,
                Checksums.crc32c(view, (int)offsets[i], s.bytes.length));
        }
        if (signingKey != null)
        {
            final int index = count - 1;
            final int at = (int)offsets[index];
            writeEntry(out, (int)tableOffset, index, SectionType.SIGNATURE, SignatureDescriptor.VERSION, at,
                SignatureDescriptor.SECTION_LENGTH, 0);
            out.putShort(at + SignatureDescriptor.ALGORITHM_OFFSET, (short)SignatureDescriptor.ALGORITHM_ED25519);
            out.putInt(at + SignatureDescriptor.SIGNATURE_LENGTH_OFFSET, SignatureDescriptor.ED25519_SIGNATURE_LENGTH);
            out.put(at + SignatureDescriptor.KEY_ID_OFFSET, ArtifactSignatures.keyId(signingPublicKey));
            final byte[] digest = ArtifactSignatures.digest(view, (int)tableOffset, index, at);
            out.put(at + SignatureDescriptor.SIGNATURE_OFFSET, ArtifactSignatures.sign(signingKey, digest));
            out.putInt(SectionTableDescriptor.entryOffset((int)tableOffset, index) + SectionTableDescriptor.CRC_OFFSET,
                Checksums.crc32c(view, at, SignatureDescriptor.SECTION_LENGTH));
        }
        out.putInt(FILE_CRC_OFFSET, Checksums.fileCrc32c(view, fileLength));
        return bytes;
    }

    /**
     * Write the artifact to {@code target} atomically: a temporary file in the same directory is written,
     * forced to disk and renamed over the target.
     *
     * @param target destination, conventionally {@code NAME-vVERSION.dpol}.
     * @return the target.
     * @throws IOException on write failure; the target is then unchanged.
     */
    public Path writeTo(final Path target) throws IOException
    {
        return writeAtomically(target, toBytes());
    }

    /**
     * Publish bytes as a file atomically (temporary file, fsync, rename, directory fsync).
     *
     * @param target destination.
     * @param bytes  content.
     * @return the target.
     * @throws IOException on failure; the target is then unchanged.
     */
    public static Path writeAtomically(final Path target, final byte[] bytes) throws IOException
    {
        final Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        final Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE))
            {
                final ByteBuffer src = ByteBuffer.wrap(bytes);
                while (src.hasRemaining())
                {
                    channel.write(src);
                }
                channel.force(true);
            }
            if (Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class))
            {
                // createTempFile makes the file 0600; a published artifact is read by other users (the daemon).
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try
            {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                throw new IOException("cannot publish " + target + " atomically: " + ex.getMessage(), ex);
            }
            try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ))
            {
                dirChannel.force(true);
            }
            catch (final IOException ignore)
            {
                // Some file systems cannot fsync a directory; the rename itself is still atomic.
            }
        }
        finally
        {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    private static void writeEntry(
        final ByteBuffer out, final int tableOffset, final int index, final int type, final int version,
        final long offset, final long length, final int crc)
    {
        final int at = SectionTableDescriptor.entryOffset(tableOffset, index);
        out.putShort(at + SectionTableDescriptor.TYPE_OFFSET, (short)type);
        out.putShort(at + SectionTableDescriptor.SECTION_VERSION_OFFSET, (short)version);
        out.putInt(at + SectionTableDescriptor.CRC_OFFSET, crc);
        out.putLong(at + SectionTableDescriptor.OFFSET_OFFSET, offset);
        out.putLong(at + SectionTableDescriptor.LENGTH_OFFSET, length);
    }
}
