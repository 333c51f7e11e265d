package io.decide.sidecar.daemon;

import io.decide.format.signature.KeyFiles;
import io.decide.sidecar.SidecarFixtures;
import io.decide.testsupport.ArtifactFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code trusted-keys}: with a key set, the daemon serves only artifacts signed by a trusted key; unsigned ones and
 * ones signed by another key are refused (and counted as failed loads), at start and on reload; a key file that
 * cannot be read stops the start naming the file.
 */
class TrustedKeysTest
{
    @TempDir
    Path dir;

    @Test
    void onlyArtifactsSignedByATrustedKeyAreServed() throws Exception
    {
        final KeyPair trusted = KeyFiles.generate();
        final KeyPair stranger = KeyFiles.generate();
        KeyFiles.write(trusted, dir.resolve("trusted"));
        final Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.write(policies.resolve("signed-v1.dpol"), ArtifactFixtures.signed("signed", 1, trusted));
        Files.write(policies.resolve("unsigned-v1.dpol"), ArtifactFixtures.simple("unsigned", 1));
        Files.write(policies.resolve("stranger-v1.dpol"), ArtifactFixtures.signed("stranger", 1, stranger));

        final Map<String, String> settings = new HashMap<>();
        settings.put("decided.policies", policies.toString());
        settings.put("decided.uds", dir.resolve("d.sock").toString());
        settings.put("decided.trusted-keys", dir.resolve("trusted.pub.pem").toString());
        settings.put("decided.warmup-requests", "0");
        try (Daemon daemon = Daemon.start(DaemonConfig.from(null, settings), SidecarFixtures.quietLog()))
        {
            assertEquals(Map.of("signed", 1L), daemon.engine().versions());

            // A reload sees a newer unsigned version and a newer signed one: only the signed one replaces.
            Files.write(policies.resolve("signed-v2.dpol"), ArtifactFixtures.simple("signed", 2));
            daemon.reload("test");
            assertEquals(Map.of("signed", 1L), daemon.engine().versions(), "an unsigned v2 must not replace v1");
            Files.write(policies.resolve("signed-v3.dpol"), ArtifactFixtures.signed("signed", 3, trusted));
            daemon.reload("test");
            assertEquals(Map.of("signed", 3L), daemon.engine().versions());
        }
    }

    @Test
    void anUnreadableKeyFileStopsTheStartNamingIt() throws Exception
    {
        final Map<String, String> settings = new HashMap<>();
        settings.put("decided.policies", SidecarFixtures.policies(dir).toString());
        settings.put("decided.uds", dir.resolve("d.sock").toString());
        final Path garbage = Files.writeString(dir.resolve("garbage.pub.pem"), "not a key\n");
        settings.put("decided.trusted-keys", garbage.toString());
        final Exception ex = assertThrows(Exception.class,
            () -> Daemon.start(DaemonConfig.from(null, settings), SidecarFixtures.quietLog()).close());
        assertTrue(String.valueOf(ex.getMessage()).contains("garbage.pub.pem"), String.valueOf(ex.getMessage()));
    }
}
