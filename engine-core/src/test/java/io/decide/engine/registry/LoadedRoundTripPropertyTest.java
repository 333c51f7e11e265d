package io.decide.engine.registry;

import io.decide.format.signature.KeyFiles;
import io.decide.testsupport.ArtifactFixtures;
import io.decide.testsupport.ArtifactSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;
import static org.quicktheories.QuickTheory.qt;

/**
 * Property: a random valid artifact, written atomically and loaded through the real path (mmap, validate, replay,
 * pre-touch), reads back exactly as specified: header fields, every section's bytes, the resolved schema.
 */
class LoadedRoundTripPropertyTest
{
    @TempDir
    Path dir;

    @Test
    void randomArtifactsLoadBackAsWritten()
    {
        final AtomicInteger n = new AtomicInteger();
        qt().withExamples(200).forAll(ArtifactFixtures.artifactSpecs()).checkAssert(spec ->
        {
            final Path file = dir.resolve("a" + n.incrementAndGet() + ".dpol");
            final List<java.security.PublicKey> keys = new ArrayList<>();
            if (spec.signed())
            {
                keys.add(spec.signingKeys().getPublic());
            }
            try
            {
                spec.writer().writeTo(file);
                final byte[] written = Files.readAllBytes(file);
                assertArrayEquals(spec.toBytes(), written, "writer is deterministic");
                final LoadedArtifact artifact = new ArtifactLoader(
                    LoadOptions.defaults().withTrustedKeys(keys)).open(file);
                try
                {
                    check(spec, written, artifact);
                }
                finally
                {
                    artifact.close();
                    Files.delete(file);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
    }

    @Test
    void signedArtifactFailsToLoadUnderAnotherKey() throws IOException
    {
        final Path file = dir.resolve("s.dpol");
        ArtifactFixtures.write(dir, ArtifactFixtures.signed("s", 3, ArtifactFixtures.signingKeys().get(0)), "s.dpol");
        final ArtifactLoader loader = new ArtifactLoader(
            LoadOptions.defaults().withTrustedKeys(List.of(KeyFiles.generate().getPublic())));
        assertThrows(io.decide.format.ArtifactFormatException.class, () -> loader.open(file));
    }

    private static void check(final ArtifactSpec spec, final byte[] written, final LoadedArtifact artifact)
    {
        assertEquals(spec.name(), artifact.name());
        assertEquals(spec.version(), artifact.version());
        assertEquals(spec.createdMillis(), artifact.layout().createdMillis());
        assertEquals(spec.signed(), artifact.layout().signatureVerified());
        final int[] types = spec.sectionTypes();
        assertEquals(types.length, artifact.layout().sectionCount());
        for (int i = 0; i < types.length; i++)
        {
            assertEquals(types[i], artifact.layout().sectionType(i));
            final int offset = artifact.layout().sectionOffset(i);
            final byte[] mapped = new byte[artifact.layout().sectionLength(i)];
            artifact.buffer().getBytes(offset, mapped);
            assertArrayEquals(java.util.Arrays.copyOfRange(written, offset, offset + mapped.length), mapped);
        }
        if (spec.features() == null)
        {
            assertNull(artifact.featureSchema());
        }
        else
        {
            assertEquals(spec.features().size(), artifact.featureSchema().size());
            for (int f = 0; f < spec.features().size(); f++)
            {
                final ArtifactSpec.Feature feature = spec.features().get(f);
                assertEquals(f, artifact.featureSchema().indexOf(feature.name()));
                assertEquals(feature.type(), artifact.featureSchema().type(f));
                assertEquals(feature.missing(), artifact.featureSchema().missing(f));
                assertEquals(feature.sentinel(), artifact.featureSchema().sentinel(f));
            }
        }
        assertEquals(spec.vectorGroups().size(), artifact.verification().groupsSkipped(),
            "no evaluators registered: every group is counted as skipped");
    }
}
