package io.decide.tools.cli;

import io.decide.format.ArtifactValidator;
import io.decide.format.SectionType;
import io.decide.format.signature.KeyFiles;
import io.decide.testsupport.ArtifactFixtures;
import io.decide.tools.artifact.ArtifactFile;
import io.decide.tools.artifact.KeyIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeygenSignCommandTest
{
    @TempDir
    Path dir;

    @Test
    void keygenWritesAKeyPairAndPrintsItsId() throws Exception
    {
        final Path prefix = dir.resolve("keys/release");
        final CliRun.Result result = CliRun.run("keygen", "--out", prefix);
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        final Path privateFile = dir.resolve("keys/release.pem");
        final Path publicFile = dir.resolve("keys/release.pub.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)));
        KeyFiles.readPrivate(privateFile);
        assertEquals("key id " + KeyIds.of(KeyFiles.readPublic(publicFile)), result.outLines().get(0));

        final CliRun.Result again = CliRun.run("keygen", "--out", prefix);
        assertEquals(ExitCodes.IO_ERROR, again.exitCode(), again::toString);
        assertTrue(again.err().contains("file exists"), again::toString);
        assertEquals(ExitCodes.OK, CliRun.run("keygen", "--out", prefix, "--force").exitCode());
    }

    @Test
    void keygenSignValidateRoundTrip() throws Exception
    {
        assertEquals(ExitCodes.OK, CliRun.run("keygen", "--out", dir.resolve("k")).exitCode());
        final Path unsigned = Fixtures.write(dir, 5, false);
        final byte[] original = Files.readAllBytes(unsigned);
        final Path signed = dir.resolve("out/demo-v5.dpol");

        final CliRun.Result sign = CliRun.run("sign", unsigned, "--key", dir.resolve("k.pem"),
            "--public-key", dir.resolve("k.pub.pem"), "--out", signed);
        assertEquals(ExitCodes.OK, sign.exitCode(), sign::toString);
        assertTrue(sign.out().startsWith("signed demo v5 with key "), sign::toString);
        assertArrayEquals(original, Files.readAllBytes(unsigned), "input untouched when --out is given");

        final CliRun.Result validate = CliRun.run("validate", "--public-key", dir.resolve("k.pub.pem"), signed);
        assertEquals(ExitCodes.OK, validate.exitCode(), validate::toString);
        assertTrue(validate.out().contains("signature verified"), validate::toString);

        final CliRun.Result unsignedWithKey =
            CliRun.run("validate", "--public-key", dir.resolve("k.pub.pem"), unsigned);
        assertEquals(ExitCodes.INVALID, unsignedWithKey.exitCode(), unsignedWithKey::toString);
    }

    @Test
    void signingPreservesHeaderAndSectionsAndReplacesASignature() throws Exception
    {
        final Path file = Fixtures.write(dir, 9, true);
        final ArtifactFile before = ArtifactFile.open(file, new ArtifactValidator());
        final List<byte[]> sections = List.of(before.sectionBytes(0), before.sectionBytes(1), before.sectionBytes(2),
            before.sectionBytes(3));
        KeyFiles.write(KeyFiles.generate(), dir.resolve("new"));

        final CliRun.Result sign = CliRun.run("sign", file, "--key", dir.resolve("new.pem"),
            "--public-key", dir.resolve("new.pub.pem"));
        assertEquals(ExitCodes.OK, sign.exitCode(), sign::toString);
        assertTrue(sign.out().contains("replacing a signature by key "), sign::toString);

        final ArtifactFile after = ArtifactFile.open(file,
            new ArtifactValidator(List.of(KeyFiles.readPublic(dir.resolve("new.pub.pem")))));
        assertTrue(after.layout().signatureVerified());
        assertEquals(before.layout().name(), after.layout().name());
        assertEquals(before.layout().version(), after.layout().version());
        assertEquals(before.layout().createdMillis(), after.layout().createdMillis());
        assertEquals(before.layout().sectionCount(), after.layout().sectionCount());
        for (int i = 0; i < sections.size(); i++)
        {
            assertEquals(before.layout().sectionType(i), after.layout().sectionType(i));
            assertEquals(before.layout().sectionVersion(i), after.layout().sectionVersion(i));
            assertArrayEquals(sections.get(i), after.sectionBytes(i), "section " + i);
        }
        assertEquals(SectionType.SIGNATURE, after.layout().sectionType(4));
        assertEquals(1, after.layout().count(SectionType.SIGNATURE));
    }

    @Test
    void refusesToResignANewerMinorFormatItWouldTruncate() throws Exception
    {
        KeyFiles.write(KeyFiles.generate(), dir.resolve("k"));
        final byte[] newer = ArtifactFixtures.asNewerMinor(ArtifactFixtures.simple("newer", 1), 3);
        final Path file = ArtifactFixtures.write(dir, newer, "newer-v1.dpol");
        assertEquals(ExitCodes.OK, CliRun.run("validate", file).exitCode(), "a newer minor version is readable");

        final CliRun.Result result = CliRun.run("sign", file, "--key", dir.resolve("k.pem"),
            "--public-key", dir.resolve("k.pub.pem"));
        assertEquals(ExitCodes.INVALID, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().startsWith("INVALID " + file + ": header at offset 10: format 1.3 with a 192-byte " +
            "header is newer than this tool writes"), result::toString);
        assertArrayEquals(newer, Files.readAllBytes(file));
    }

    @Test
    void mismatchedKeysAreAUsageError() throws Exception
    {
        KeyFiles.write(KeyFiles.generate(), dir.resolve("a"));
        KeyFiles.write(KeyFiles.generate(), dir.resolve("b"));
        final Path file = Fixtures.write(dir, 1, false);
        final CliRun.Result result = CliRun.run("sign", file, "--key", dir.resolve("a.pem"),
            "--public-key", dir.resolve("b.pub.pem"));
        assertEquals(ExitCodes.USAGE, result.exitCode(), result::toString);
        assertTrue(result.err().contains("are not one key pair"), result::toString);
    }

    @Test
    void invalidInputIsRefusedAndNothingIsWritten() throws Exception
    {
        KeyFiles.write(KeyFiles.generate(), dir.resolve("k"));
        final byte[] bytes = Fixtures.ARTIFACTS.bytes(1, false);
        Fixtures.flipPayloadByte(bytes);
        final Path file = Fixtures.writeBytes(dir.resolve("bad.dpol"), bytes);
        final Path out = dir.resolve("signed.dpol");
        final CliRun.Result result = CliRun.run("sign", file, "--key", dir.resolve("k.pem"),
            "--public-key", dir.resolve("k.pub.pem"), "--out", out);
        assertEquals(ExitCodes.INVALID, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().startsWith("INVALID " + file + ": UNKNOWN(1000) #0 at offset "), result::toString);
        assertFalse(Files.exists(out));
    }
}
