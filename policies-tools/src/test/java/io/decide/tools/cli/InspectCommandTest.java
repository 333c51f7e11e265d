package io.decide.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.decide.tools.artifact.KeyIds;
import io.decide.testsupport.ArtifactFixtures;
import io.decide.tools.demo.DemoArtifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest
{
    @TempDir
    Path dir;

    @Test
    void showsHeaderSectionsFeaturesMetadataVectorsAndSignature() throws Exception
    {
        final Path file = Fixtures.write(dir, 3, true);
        final CliRun.Result result = CliRun.run("inspect", file);
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        assertEquals("", result.err());
        final String out = result.out();
        assertTrue(out.contains("artifact     demo v3\n"), out);
        assertTrue(out.contains("format       1.0\n"), out);
        assertTrue(out.contains("length       " + Files.size(file) + " bytes\n"), out);
        assertTrue(out.matches("(?s).*file CRC32C  0x[0-9a-f]{8}\n.*"), out);
        assertTrue(out.contains("sections (5)"), out);
        assertTrue(out.matches("(?s).*\n +0 +FEATURE_SCHEMA +1 +320 +\\d+ +0x[0-9a-f]{8}\n.*"), out);
        assertTrue(out.matches("(?s).*\n +2 +UNKNOWN\\(1000\\) +1 +\\d+ +32768 +0x[0-9a-f]{8}\n.*"), out);
        assertTrue(out.matches("(?s).*\n +1 +country +CATEGORICAL +SENTINEL +-1\\.0\n.*"), out);
        assertTrue(out.matches("(?s).*\n +0 +user_age +NUMERIC +NAN +-\n.*"), out);
        assertTrue(out.contains("\"producer\" : \"decide demo\""), out);
        assertTrue(out.contains("target UNKNOWN(1000) #0, mode 0, widths 1 in / 1 out, 4 vectors, tolerance EXACT"),
            out);
        assertTrue(out.contains("key id     " + KeyIds.of(Fixtures.SIGNER.getPublic()) + "\n"), out);
        assertTrue(out.contains("not verified (no --public-key given)"), out);
    }

    @Test
    void verifiesTheSignatureWithAPublicKey() throws Exception
    {
        final Path file = Fixtures.write(dir, 3, true);
        final CliRun.Result result = CliRun.run("inspect", file, "--public-key", Fixtures.writeSignerKeys(dir));
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        assertTrue(result.out().contains("status     verified with a trusted public key"), result::toString);
    }

    @Test
    void jsonHasEverythingTheTextHas() throws Exception
    {
        final Path file = Fixtures.write(dir, 7, true);
        final CliRun.Result result = CliRun.run("inspect", "--json", file);
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        final JsonNode json = new ObjectMapper().readTree(result.out());
        assertEquals(file.toString(), json.path("file").asText());
        assertEquals("demo", json.path("header").path("name").asText());
        assertEquals(7, json.path("header").path("version").asLong());
        assertEquals(Files.size(file), json.path("header").path("fileLength").asLong());
        assertTrue(json.path("header").path("created").asText().endsWith("Z"), result::toString);
        assertEquals(5, json.path("sections").size());
        assertEquals(DemoArtifacts.PAYLOAD_TYPE, json.path("sections").path(2).path("typeId").asInt());
        assertEquals("SIGNATURE", json.path("sections").path(4).path("type").asText());
        assertEquals(4, json.path("features").size());
        assertEquals(-1.0, json.path("features").path(1).path("sentinel").asDouble());
        assertTrue(json.path("features").path(0).path("sentinel").isNull());
        assertEquals(7, json.path("metadata").path("payload").path("value").asLong());
        assertEquals(4, json.path("verificationVectors").path(0).path("vectors").asInt());
        assertEquals("UNKNOWN(1000) #0", json.path("verificationVectors").path(0).path("target").asText());
        assertEquals(KeyIds.of(Fixtures.SIGNER.getPublic()), json.path("signature").path("keyId").asText());
        assertFalse(json.path("signature").path("verified").asBoolean());
    }

    @Test
    void unsignedArtifactHasNoSignature() throws Exception
    {
        final CliRun.Result result = CliRun.run("inspect", "--json", Fixtures.write(dir, 2, false));
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        assertTrue(new ObjectMapper().readTree(result.out()).path("signature").isNull(), result::toString);
    }

    @Test
    void absentPartsAreLeftOutOfTextAndNullInJson() throws Exception
    {
        final Path file = ArtifactFixtures.write(dir, ArtifactFixtures.withPayload("bare", 2, 64, 2), "bare-v2.dpol");
        final CliRun.Result text = CliRun.run("inspect", file);
        assertEquals(ExitCodes.OK, text.exitCode(), text::toString);
        assertTrue(text.out().contains("artifact     bare v2\n"), text::toString);
        assertTrue(text.out().contains("created      2023-11-14T22:13:20Z (1700000000000 ms since the epoch)\n"),
            text::toString);
        assertTrue(text.out().contains("sections (1)"), text::toString);
        assertFalse(text.out().contains("features"), text::toString);
        assertFalse(text.out().contains("metadata"), text::toString);
        assertFalse(text.out().contains("verification vectors"), text::toString);
        assertTrue(text.out().endsWith("signature\n  none (unsigned)\n"), text::toString);

        final JsonNode json = new ObjectMapper().readTree(CliRun.run("inspect", "--json", file).out());
        assertTrue(json.path("features").isNull());
        assertTrue(json.path("metadata").isNull());
        assertTrue(json.path("verificationVectors").isNull());
        assertTrue(json.path("signature").isNull());
    }

    @Test
    void invalidArtifactGetsOneLineAndExit2() throws Exception
    {
        final byte[] bytes = Fixtures.ARTIFACTS.bytes(4, true);
        Fixtures.flipPayloadByte(bytes);
        final Path file = Fixtures.writeBytes(dir.resolve("bad.dpol"), bytes);
        final CliRun.Result result = CliRun.run("inspect", file);
        assertEquals(ExitCodes.INVALID, result.exitCode(), result::toString);
        assertEquals("", result.out());
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().startsWith("INVALID " + file + ": UNKNOWN(1000) #0 at offset ") &&
            result.err().contains(": section CRC32C is 0x"),
            result::toString);
    }

    @Test
    void unsignedWithPublicKeyIsRefused() throws Exception
    {
        final CliRun.Result result = CliRun.run("inspect", Fixtures.write(dir, 2, false), "--public-key",
            Fixtures.writeSignerKeys(dir));
        assertEquals(ExitCodes.INVALID, result.exitCode(), result::toString);
        assertTrue(result.err().contains("artifact is not signed"), result::toString);
    }

    @Test
    void missingFileIsAnIoError()
    {
        final CliRun.Result result = CliRun.run("inspect", dir.resolve("absent.dpol"));
        assertEquals(ExitCodes.IO_ERROR, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().contains("no such file"), result::toString);
    }
}
