package io.decide.tools.demo;

import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.PolicyRegistry;
import io.decide.engine.registry.RegistryListener;
import io.decide.format.ArtifactWriter;
import io.decide.format.signature.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The torn-read detector must be able to fail: a payload with one wrong long is reported on every read. */
class ReaderFleetTest
{
    private static final DemoArtifacts ARTIFACTS = new DemoArtifacts(KeyFiles.generate());

    @TempDir
    Path dir;

    @Test
    void consistentPayloadHasNoTornReads() throws Exception
    {
        final long[] payload = new long[DemoArtifacts.PAYLOAD_LONGS];
        Arrays.fill(payload, 5);
        final ReaderFleet readers = readAll(payload);
        assertTrue(readers.reads(0) > 0);
        assertEquals(0, readers.tornReads());
        assertEquals(0, readers.errors());
    }

    @Test
    void payloadWithOneWrongLongIsATornReadEveryTime() throws Exception
    {
        final long[] payload = new long[DemoArtifacts.PAYLOAD_LONGS];
        Arrays.fill(payload, 5);
        payload[100] = 4;
        final ReaderFleet readers = readAll(payload);
        assertTrue(readers.reads(0) > 0);
        assertEquals(readers.reads(0) + readers.reads(1), readers.tornReads());
    }

    private ReaderFleet readAll(final long[] payload) throws Exception
    {
        final Path file = ArtifactWriter.writeAtomically(dir.resolve(DemoArtifacts.fileName(5)),
            ARTIFACTS.bytes(5, false, payload));
        final LoadOptions options = LoadOptions.defaults()
            .withEvaluators(DemoArtifacts.PAYLOAD_TYPE, DemoArtifacts::payloadEvaluator);
        try (PolicyRegistry registry = new PolicyRegistry(null, options, 4, RegistryListener.NONE))
        {
            registry.load(file);
            final ReaderFleet readers = new ReaderFleet(registry, DemoArtifacts.NAME, 2);
            readers.start();
            assertTrue(readers.awaitVersion(5, Duration.ofSeconds(5)));
            assertTrue(readers.stop(Duration.ofSeconds(5)));
            return readers;
        }
    }
}
