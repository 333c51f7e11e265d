package io.decide.tools.cli;

import io.decide.format.ArtifactLayout;
import io.decide.format.ArtifactValidator;
import io.decide.format.Checksums;
import io.decide.format.ArtifactDescriptor;
import io.decide.format.signature.KeyFiles;
import io.decide.tools.demo.DemoArtifacts;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/** Artifacts for the CLI tests: the demo artifact (every built-in section kind, plus a payload), corrupted copies. */
final class Fixtures
{
    static final KeyPair SIGNER = KeyFiles.generate();
    static final DemoArtifacts ARTIFACTS = new DemoArtifacts(SIGNER);

    private Fixtures()
    {
    }

    static Path write(final Path dir, final long version, final boolean signed) throws IOException
    {
        return ARTIFACTS.publish(dir, version, signed);
    }

    /** Write the signer's key pair as PREFIX.pem / PREFIX.pub.pem; returns the public key file. */
    static Path writeSignerKeys(final Path dir) throws IOException
    {
        KeyFiles.write(SIGNER, dir.resolve("signer"));
        return dir.resolve("signer.pub.pem");
    }

    static ArtifactLayout layout(final byte[] bytes)
    {
        return new ArtifactValidator().validate("fixture", new UnsafeBuffer(bytes), bytes.length);
    }

    /** Flip one byte in the middle of the payload; the whole-file CRC no longer matches. */
    static int flipPayloadByte(final byte[] bytes)
    {
        final ArtifactLayout layout = layout(bytes);
        final int index = layout.indexOf(DemoArtifacts.PAYLOAD_TYPE, 0);
        final int at = layout.sectionOffset(index) + layout.sectionLength(index) / 2 + 5;
        bytes[at] = (byte)~bytes[at];
        return at;
    }

    /** Recompute the whole-file CRC, so that only the section CRC reveals the damage. */
    static void fixFileCrc(final byte[] bytes)
    {
        final ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(ArtifactDescriptor.FILE_CRC_OFFSET, 0);
        header.putInt(ArtifactDescriptor.FILE_CRC_OFFSET, Checksums.fileCrc32c(new UnsafeBuffer(bytes), bytes.length));
    }

    static Path writeBytes(final Path file, final byte[] bytes) throws IOException
    {
        return Files.write(file, bytes);
    }
}
