package io.decide.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.decide.format.ArtifactDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/** {@link ArtifactWriter}: argument checks, determinism, and atomic publication of files. */
final class ArtifactWriterTest
{
    @Test
    void refusesBadNamesAndVersions()
    {
        for (final String name : new String[]{"", "a b", "caf\u00e9", "x/y", "x".repeat(NAME_MAX_LENGTH + 1), "a!"})
        {
            assertThrows(IllegalArgumentException.class, () -> new ArtifactWriter(name, 1), name);
            assertFalse(isValidName(name), name);
        }
        assertTrue(isValidName("x".repeat(NAME_MAX_LENGTH)));
        assertTrue(isValidName("A-z_0.9"));
        assertThrows(IllegalArgumentException.class, () -> new ArtifactWriter("ok", 0));
        assertThrows(IllegalArgumentException.class, () -> new ArtifactWriter("ok", -1));
        assertThrows(IllegalArgumentException.class, () -> new ArtifactWriter("ok", 1).createdMillis(-1));
    }

    @Test
    void refusesBadSectionTypesAndVersions()
    {
        final ArtifactWriter writer = new ArtifactWriter("ok", 1);
        assertThrows(IllegalArgumentException.class, () -> writer.addSection(-1, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> writer.addSection(0x10000, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> writer.addSection(SectionType.SIGNATURE, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> writer.addSection(1000, -1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> writer.addSection(1000, 0x10000, new byte[0]));
        writer.addSection(0xFFFF, 0xFFFF, new byte[0]);
        assertEquals(1, ArtifactBytes.validate(writer.toBytes()).sectionCount());
    }

    @Test
    void copiesSectionBytesAndIsDeterministic()
    {
        final byte[] content = {1, 2, 3};
        final ArtifactWriter writer = new ArtifactWriter("det", 2).createdMillis(5).addSection(1000, 1, content);
        content[0] = 9;
        final byte[] first = writer.toBytes();
        assertArrayEquals(first, writer.toBytes());
        assertEquals(1, first[ArtifactBytes.sectionOffset(first, 0)]);
    }

    @Test
    void alignsTheTableAndSections()
    {
        final byte[] bytes = new ArtifactWriter("align", 1).addSection(1000, 1, new byte[1])
            .addSection(1001, 1, new byte[64]).addSection(1002, 1, new byte[65]).toBytes();
        assertEquals(HEADER_LENGTH, ArtifactBytes.tableOffset(bytes));
        assertEquals(256, ArtifactBytes.sectionOffset(bytes, 0));
        assertEquals(320, ArtifactBytes.sectionOffset(bytes, 1));
        assertEquals(384, ArtifactBytes.sectionOffset(bytes, 2));
        assertEquals(384 + 65, bytes.length);
        assertEquals(64, align(1));
        assertEquals(64, align(64));
        assertEquals(0, align(0));
    }

    @Test
    void publishesAtomicallyAndReplaces(@TempDir final Path dir) throws IOException
    {
        final Path target = dir.resolve("nested/dir/p-v1.dpol");
        final byte[] first = SampleArtifacts.full();
        assertEquals(target, ArtifactWriter.writeAtomically(target, first));
        assertArrayEquals(first, Files.readAllBytes(target));

        final ArtifactWriter writer = SampleArtifacts.fullWriter().createdMillis(1);
        assertEquals(target, writer.writeTo(target));
        assertArrayEquals(writer.toBytes(), Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(target.getParent()))
        {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void leavesTheTargetUnchangedWhenPublishingFails(@TempDir final Path dir) throws IOException
    {
        final Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("child"), "x");
        assertThrows(IOException.class, () -> ArtifactWriter.writeAtomically(target, new byte[]{1}));
        assertTrue(Files.isDirectory(target));
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(1, files.count(), "the temporary file is removed on failure");
        }
    }
}
