package io.decide.tools.cli;

import io.decide.format.ArtifactValidator;
import io.decide.format.ArtifactWriter;
import io.decide.format.signature.ArtifactSignatures;
import io.decide.tools.artifact.ArtifactFile;
import io.decide.tools.artifact.ArtifactSigner;
import io.decide.tools.artifact.KeyIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;

/** {@code decide sign}: re-write a valid artifact with an Ed25519 signature, atomically. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Sign an artifact.",
    description = {
        "Validates FILE, then re-writes it with the same name, version, creation time and sections (types, layout " +
        "versions and bytes, in order), replacing any existing signature with one by --key. The signed copy is " +
        "validated with --public-key before it is published atomically (temporary file, fsync, rename) to --out, " +
        "or over FILE. An invalid FILE is refused with one line on stderr and exit code 2; --key and --public-key " +
        "that are not one key pair are a usage error (64).",
    })
public final class SignCommand extends CliCommand
{
    @Parameters(index = "0", paramLabel = "FILE", description = "The artifact (.dpol) to sign.")
    Path file;

    @Option(names = "--key", required = true, paramLabel = "PRIVATE.pem",
        description = "Ed25519 private key (PKCS#8 PEM), e.g. from 'decide keygen'.")
    Path privateKeyFile;

    @Option(names = "--public-key", required = true, paramLabel = "PUBLIC.pem",
        description = "Its public key (X.509 PEM); its id is recorded in the artifact.")
    Path publicKeyFile;

    @Option(names = "--out", paramLabel = "OUT", description = "Where to write the signed artifact (default: FILE).")
    Path outFile;

    /** Creates the command; picocli instantiates it. */
    public SignCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        final PrivateKey privateKey = readPrivateKey(privateKeyFile);
        final PublicKey publicKey = readPublicKey(publicKeyFile);
        if (!isPair(privateKey, publicKey))
        {
            throw new ParameterException(spec.commandLine(),
                "--key " + privateKeyFile + " and --public-key " + publicKeyFile + " are not one key pair");
        }
        final ArtifactFile artifact = ArtifactFile.open(file, new ArtifactValidator());
        final String previousKey = KeyIds.ofArtifact(artifact.buffer(), artifact.layout());
        final byte[] signed = ArtifactSigner.sign(artifact, privateKey, publicKey);
        final Path target = outFile != null ? outFile : file;
        ArtifactWriter.writeAtomically(target, signed);
        out().println("signed " + artifact.layout().name() + " v" + artifact.layout().version() + " with key " +
            KeyIds.of(publicKey) + (previousKey != null ? " (replacing a signature by key " +
            previousKey.substring(0, 16) + ")" : "") + ": " + target + " (" + signed.length + " bytes)");
        return ExitCodes.OK;
    }

    private static boolean isPair(final PrivateKey privateKey, final PublicKey publicKey)
    {
        final byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        return ArtifactSignatures.verify(publicKey, probe, ArtifactSignatures.sign(privateKey, probe));
    }
}
