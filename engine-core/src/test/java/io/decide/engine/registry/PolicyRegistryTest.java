package io.decide.engine.registry;

import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.signature.KeyFiles;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsWriter;
import io.decide.testsupport.ArtifactFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PolicyRegistryTest
{
    @TempDir
    Path dir;

    private static long payloadValue(final LoadedArtifact artifact)
    {
        final int offset = artifact.sectionOffset(ArtifactFixtures.PAYLOAD_TYPE, 0);
        return artifact.buffer().getLong(offset, ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void servesHighestValidVersionPerName() throws IOException
    {
        ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 1, 64, 1), "a-v1.dpol");
        ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 3, 64, 3), "a-v3.dpol");
        ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 2, 64, 2), "a-v2.dpol");
        ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("b", 7, 64, 7), "b.dpol");
        try (PolicyRegistry registry = new PolicyRegistry(dir))
        {
            final ReloadResult result = registry.reload();
            assertEquals(2, result.loaded().size());
            assertFalse(result.hasRejections());
            assertEquals(Map.of("a", 3L, "b", 7L), registry.versions());
            assertEquals(2, result.superseded().size());
            try (PolicyReader reader = registry.newReader(); PolicyReader.Scope ignored = reader.enter())
            {
                assertEquals(3, payloadValue(registry.slot("a").current()));
                assertEquals(7, payloadValue(registry.slot("b").current()));
            }
        }
    }

    @Test
    void badArtifactIsRefusedAndPreviousKeepsServing() throws IOException
    {
        ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 1, 64, 1), "a-v1.dpol");
        final List<Path> refusedFiles = new ArrayList<>();
        final RegistryListener listener = new RegistryListener()
        {
            @Override
            public void onRejected(final Path file, final Exception reason)
            {
                refusedFiles.add(file);
            }
        };
        try (PolicyRegistry registry = new PolicyRegistry(dir, LoadOptions.defaults(), 4, listener))
        {
            registry.reload();
            final byte[] corrupt = ArtifactFixtures.withPayload("a", 2, 64, 2);
            corrupt[corrupt.length - 1] ^= 0x40;
            ArtifactFixtures.write(dir, corrupt, "a-v2.dpol");
            final ReloadResult result = registry.reload();
            assertTrue(result.loaded().isEmpty());
            assertEquals(1, result.rejected().size());
            final ArtifactFormatException ex = (ArtifactFormatException)result.rejected().get(0).reason();
            assertTrue(ex.getMessage().startsWith(dir.resolve("a-v2.dpol").toString()), ex.getMessage());
            assertEquals("UNKNOWN(1000) #0", ex.section());
            assertTrue(ex.reason().contains("section CRC32C"), ex.reason());
            assertEquals(1, registry.loadFailures());
            assertEquals(List.of(dir.resolve("a-v2.dpol")), refusedFiles);
            assertEquals(Map.of("a", 1L), registry.versions());

            // An unchanged refused file is not retried; a fixed one is.
            assertTrue(registry.reload().rejected().isEmpty());
            ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 2, 64, 2), "a-v2.dpol");
            assertEquals(1, registry.reload().loaded().size());
            assertEquals(Map.of("a", 2L), registry.versions());
        }
    }

    @Test
    void fallsBackToNextHighestVersionWhenTheHighestIsBad() throws IOException
    {
        ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 4, 64, 4), "a-v4.dpol");
        final byte[] bad = ArtifactFixtures.withPayload("a", 5, 64, 5);
        bad[200] ^= 1;
        ArtifactFixtures.write(dir, bad, "a-v5.dpol");
        try (PolicyRegistry registry = new PolicyRegistry(dir))
        {
            final ReloadResult result = registry.reload();
            assertEquals(1, result.rejected().size());
            assertEquals(Map.of("a", 4L), registry.versions());
        }
    }

    @Test
    void explicitLoadThrowsWithLocationAndKeepsServing() throws IOException
    {
        final Path good = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 1, 64, 1), "a1.dpol");
        final Path truncated = dir.resolve("a2.dpol");
        final byte[] bytes = ArtifactFixtures.withPayload("a", 2, 64, 2);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 8));
        try (PolicyRegistry registry = new PolicyRegistry(null))
        {
            registry.load(good);
            final ArtifactFormatException ex =
                assertThrows(ArtifactFormatException.class, () -> registry.load(truncated));
            assertEquals("header", ex.section());
            assertTrue(ex.reason().contains("truncated or extended"), ex.reason());
            assertEquals(1, registry.versions().get("a"));
            assertEquals(1, registry.loadFailures());
        }
    }

    @Test
    void lowerOrEqualVersionDoesNotReplace() throws IOException
    {
        final Path v2 = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 2, 64, 2), "x.dpol");
        final Path v1 = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 1, 64, 1), "y.dpol");
        try (PolicyRegistry registry = new PolicyRegistry(null))
        {
            final LoadedArtifact first = registry.load(v2);
            assertSame(first, registry.load(v1));
            assertSame(first, registry.load(v2));
            assertEquals(1, registry.loads());
        }
    }

    @Test
    void hiddenAndTemporaryFilesAreIgnored() throws IOException
    {
        Files.write(dir.resolve(".a-v9.dpol"), ArtifactFixtures.withPayload("a", 9, 64, 9));
        Files.write(dir.resolve("a-v8.dpol.tmp"), ArtifactFixtures.withPayload("a", 8, 64, 8));
        ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 1, 64, 1), "a.dpol");
        try (PolicyRegistry registry = new PolicyRegistry(dir))
        {
            registry.reload();
            assertEquals(Map.of("a", 1L), registry.versions());
        }
    }

    @Test
    void signatureRequiredWhenKeyConfigured() throws IOException
    {
        final KeyPair trusted = KeyFiles.generate();
        final KeyPair other = KeyFiles.generate();
        final LoadOptions options = LoadOptions.defaults().withTrustedKeys(List.of(trusted.getPublic()));
        final Path unsigned = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 1, 64, 1), "u.dpol");
        final Path wrongKey = dir.resolve("w.dpol");
        new ArtifactWriter("a", 2).addSection(ArtifactFixtures.PAYLOAD_TYPE, 1, new byte[64])
            .signWith(other.getPrivate(), other.getPublic()).writeTo(wrongKey);
        final Path good = dir.resolve("g.dpol");
        new ArtifactWriter("a", 3).addSection(ArtifactFixtures.PAYLOAD_TYPE, 1, new byte[64])
            .signWith(trusted.getPrivate(), trusted.getPublic()).writeTo(good);
        try (PolicyRegistry registry = new PolicyRegistry(null, options, 4, RegistryListener.NONE))
        {
            final ArtifactFormatException noSig =
                assertThrows(ArtifactFormatException.class, () -> registry.load(unsigned));
            assertTrue(noSig.reason().contains("not signed"), noSig.reason());
            final ArtifactFormatException badSig =
                assertThrows(ArtifactFormatException.class, () -> registry.load(wrongKey));
            assertTrue(badSig.reason().contains("not a configured public key"), badSig.reason());
            final LoadedArtifact loaded = registry.load(good);
            assertTrue(loaded.layout().signatureVerified());
        }
    }

    @Test
    void verificationVectorsAreReplayedAndMismatchRefuses() throws IOException
    {
        // A toy evaluator for the payload section: output = sum of inputs + first long of the payload.
        final SectionEvaluators sum = (artifact, index) -> (mode, in, out) ->
        {
            double s = artifact.buffer().getLong(artifact.layout().sectionOffset(index), ByteOrder.LITTLE_ENDIAN);
            for (final double v : in)
            {
                s += v;
            }
            out[0] = s;
        };
        final LoadOptions options = LoadOptions.defaults().withEvaluators(ArtifactFixtures.PAYLOAD_TYPE, sum);
        final byte[] payload = new byte[64];
        payload[0] = 10;
        final VerificationVectorsWriter good = new VerificationVectorsWriter();
        good.group(ArtifactFixtures.PAYLOAD_TYPE, 0, 0, 2, 1, Tolerance.EXACT, 0)
            .add(new double[]{1, 2}, new double[]{13})
            .add(new double[]{0.5, 0.25}, new double[]{10.75});
        final VerificationVectorsWriter bad = new VerificationVectorsWriter();
        bad.group(ArtifactFixtures.PAYLOAD_TYPE, 0, 0, 2, 1, Tolerance.ABSOLUTE, 1e-9)
            .add(new double[]{1, 2}, new double[]{13})
            .add(new double[]{1, 1}, new double[]{12.5});
        final Path goodFile = new ArtifactWriter("v", 1).addSection(ArtifactFixtures.PAYLOAD_TYPE, 1, payload)
            .addSection(SectionType.VERIFICATION_VECTORS, 1, good.toBytes()).writeTo(dir.resolve("good.dpol"));
        final Path badFile = new ArtifactWriter("v", 2).addSection(ArtifactFixtures.PAYLOAD_TYPE, 1, payload)
            .addSection(SectionType.VERIFICATION_VECTORS, 1, bad.toBytes()).writeTo(dir.resolve("bad.dpol"));
        try (PolicyRegistry registry = new PolicyRegistry(null, options, 4, RegistryListener.NONE))
        {
            final LoadedArtifact loaded = registry.load(goodFile);
            assertEquals(1, loaded.verification().groupsReplayed());
            assertEquals(2, loaded.verification().vectorsChecked());
            final ArtifactFormatException ex =
                assertThrows(ArtifactFormatException.class, () -> registry.load(badFile));
            assertTrue(ex.reason().contains("vector 1 output 0: expected 12.5, evaluator gave 12.0"), ex.reason());
            assertEquals(1, registry.versions().get("v"));
        }
        try (PolicyRegistry registry = new PolicyRegistry(null))
        {
            final LoadedArtifact loaded = registry.load(badFile);
            assertEquals(1, loaded.verification().groupsSkipped(), "no evaluator registered: skipped, counted");
        }
    }

    @Test
    void retiredArtifactIsNotUnmappedWhileAReaderIsInside() throws IOException
    {
        final Path v1 = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 1, 64, 1), "1.dpol");
        final Path v2 = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 2, 64, 2), "2.dpol");
        try (PolicyRegistry registry = new PolicyRegistry(null))
        {
            final LoadedArtifact first = registry.load(v1);
            final PolicyReader reader = registry.newReader();
            final PolicySlot slot = registry.slot("a");
            reader.enter();
            final LoadedArtifact seen = slot.current();
            registry.load(v2);
            assertEquals(1, registry.retiredCount());
            assertEquals(0, registry.reclaim());
            assertFalse(first.isUnmapped());
            assertEquals(1, payloadValue(seen), "still readable inside the scope");
            reader.exit();
            assertEquals(1, registry.reclaim());
            assertTrue(first.isUnmapped());
            reader.enter();
            assertEquals(2, payloadValue(slot.current()));
            reader.exit();
            reader.close();
        }
    }

    @Test
    void readersAreLimitedAndReusable()
    {
        try (PolicyRegistry registry = new PolicyRegistry(null, LoadOptions.defaults(), 2, RegistryListener.NONE))
        {
            final PolicyReader a = registry.newReader();
            final PolicyReader b = registry.newReader();
            final IllegalStateException ex = assertThrows(IllegalStateException.class, registry::newReader);
            assertTrue(ex.getMessage().contains("all 2 policy readers are in use"));
            a.close();
            registry.newReader().close();
            b.close();
        }
    }

    @Test
    void closeUnmapsEverything() throws IOException
    {
        final Path v1 = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("a", 1, 64, 1), "1.dpol");
        final PolicyRegistry registry = new PolicyRegistry(null);
        final LoadedArtifact loaded = registry.load(v1);
        assertTrue(registry.close(java.time.Duration.ofSeconds(1)));
        assertTrue(loaded.isUnmapped());
        assertNull(registry.slot("a").current());
        assertThrows(IllegalStateException.class, () -> registry.load(v1));
    }
}
