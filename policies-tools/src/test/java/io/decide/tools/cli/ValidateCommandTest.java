package io.decide.tools.cli;

import io.decide.format.signature.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidateCommandTest
{
    private static final String LOCATED = "INVALID %s: [^:]+ at offset \\d+: .+";

    @TempDir
    Path dir;

    @Test
    void validArtifactIsOk() throws Exception
    {
        final Path file = Fixtures.write(dir, 1, true);
        final CliRun.Result result = CliRun.run("validate", file);
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        assertEquals("", result.err());
        assertEquals(1, result.outLines().size(), result::toString);
        final String line = result.outLines().get(0);
        assertTrue(line.startsWith("OK demo v1 (" + Files.size(file) + " bytes, 5 sections, signed by key "),
            line);
        assertTrue(line.contains("not verified, vector groups 0 replayed/1 skipped, 0 vectors checked) " + file),
            line);
    }

    @Test
    void flippedByteIsOneLineNamingSectionAndOffset() throws Exception
    {
        final byte[] bytes = Fixtures.ARTIFACTS.bytes(2, false);
        Fixtures.flipPayloadByte(bytes);
        final Path file = Fixtures.writeBytes(dir.resolve("demo-v2.dpol"), bytes);
        final CliRun.Result result = CliRun.run("validate", file);
        assertEquals(ExitCodes.INVALID, result.exitCode(), result::toString);
        assertEquals("", result.out());
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().trim().matches(String.format(LOCATED, file)), result::toString);
        assertTrue(result.err().startsWith("INVALID " + file + ": UNKNOWN(1000) #0 at offset ") &&
            result.err().contains(": section CRC32C is 0x"),
            result::toString);
    }

    @Test
    void damagedSectionIsNamedWhenTheFileCrcStillMatches() throws Exception
    {
        final byte[] bytes = Fixtures.ARTIFACTS.bytes(2, false);
        final int at = Fixtures.flipPayloadByte(bytes);
        Fixtures.fixFileCrc(bytes);
        final int payloadOffset = Fixtures.layout(Fixtures.ARTIFACTS.bytes(2, false)).sectionOffset(2);
        final Path file = Fixtures.writeBytes(dir.resolve("demo-v2.dpol"), bytes);
        final CliRun.Result result = CliRun.run("validate", file);
        assertEquals(ExitCodes.INVALID, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().startsWith("INVALID " + file + ": UNKNOWN(1000) #0 at offset " + payloadOffset +
            ": section CRC32C is 0x"), () -> "flipped at " + at + "\n" + result);
    }

    @Test
    void unsignedIsRefusedWhenAKeyIsGiven() throws Exception
    {
        final Path file = Fixtures.write(dir, 1, false);
        final CliRun.Result result = CliRun.run("validate", "--public-key", Fixtures.writeSignerKeys(dir), file);
        assertEquals(ExitCodes.INVALID, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertEquals("INVALID " + file + ": file: artifact is not signed, and a public key is configured so a valid " +
            "signature is required", result.errLines().get(0));
    }

    @Test
    void signedIsVerifiedWithItsKeyAndRefusedWithAnother() throws Exception
    {
        final Path file = Fixtures.write(dir, 1, true);
        final CliRun.Result ok = CliRun.run("validate", "--public-key", Fixtures.writeSignerKeys(dir), file);
        assertEquals(ExitCodes.OK, ok.exitCode(), ok::toString);
        assertTrue(ok.out().contains(", signature verified, key "), ok::toString);

        KeyFiles.write(KeyFiles.generate(), dir.resolve("other"));
        final CliRun.Result wrong = CliRun.run("validate", "--public-key", dir.resolve("other.pub.pem"), file);
        assertEquals(ExitCodes.INVALID, wrong.exitCode(), wrong::toString);
        assertTrue(wrong.err().trim().matches(String.format(LOCATED, file)), wrong::toString);
        assertTrue(wrong.err().contains("SIGNATURE #0 at offset "), wrong::toString);
        assertTrue(wrong.err().contains("which is not a configured public key"), wrong::toString);
    }

    @Test
    void checksEveryFileAndExitsWithTheWorstCode() throws Exception
    {
        final Path good = Fixtures.write(dir, 1, false);
        final byte[] bytes = Fixtures.ARTIFACTS.bytes(2, false);
        Fixtures.flipPayloadByte(bytes);
        final Path bad = Fixtures.writeBytes(dir.resolve("demo-v2.dpol"), bytes);
        final Path missing = dir.resolve("demo-v3.dpol");

        final CliRun.Result invalid = CliRun.run("validate", bad, good);
        assertEquals(ExitCodes.INVALID, invalid.exitCode(), invalid::toString);
        assertTrue(invalid.out().startsWith("OK demo v1 "), invalid::toString);

        final CliRun.Result all = CliRun.run("validate", bad, missing, good);
        assertEquals(ExitCodes.IO_ERROR, all.exitCode(), all::toString);
        assertEquals(1, all.outLines().size(), all::toString);
        assertEquals(2, all.errLines().size(), all::toString);
        assertTrue(all.errLines().get(0).startsWith("INVALID " + bad + ": "), all::toString);
        assertEquals("ERROR " + missing + ": no such file: " + missing, all.errLines().get(1));
    }

    @Test
    void directoryStandsForItsArtifacts() throws Exception
    {
        Fixtures.write(dir, 1, false);
        Fixtures.write(dir, 2, false);
        final CliRun.Result result = CliRun.run("validate", dir);
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        assertEquals(2, result.outLines().size(), result::toString);
    }

    @Test
    void notAKeyFileIsAnIoErrorNamingIt() throws Exception
    {
        final Path file = Fixtures.write(dir, 1, true);
        final CliRun.Result result = CliRun.run("validate", "--public-key", file, file);
        assertEquals(ExitCodes.IO_ERROR, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().contains(file.toString()), result::toString);
    }
}
