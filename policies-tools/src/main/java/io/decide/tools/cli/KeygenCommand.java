package io.decide.tools.cli;

import io.decide.format.signature.KeyFiles;
import io.decide.tools.artifact.KeyIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/** {@code decide keygen}: write a fresh Ed25519 key pair for signing artifacts. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Generate an Ed25519 key pair for signing artifacts.",
    description = {
        "Writes PREFIX.pem (PKCS#8 private key, mode 0600) and PREFIX.pub.pem (X.509 public key), the encodings " +
        "'openssl genpkey -algorithm ed25519' uses, and prints the key id (SHA-256 of the public key) that signed " +
        "artifacts record. Existing files are not overwritten unless --force is given.",
    })
public final class KeygenCommand extends CliCommand
{
    @Option(names = "--out", required = true, paramLabel = "PREFIX",
        description = "Path prefix of the key files, e.g. keys/release writes keys/release.pem and .pub.pem.")
    Path prefix;

    @Option(names = "--force", description = "Overwrite existing key files.")
    boolean force;

    /** Creates the command; picocli instantiates it. */
    public KeygenCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        final Path privateFile = prefix.resolveSibling(prefix.getFileName() + ".pem");
        final Path publicFile = prefix.resolveSibling(prefix.getFileName() + ".pub.pem");
        if (!force)
        {
            for (final Path file : new Path[]{privateFile, publicFile})
            {
                if (Files.exists(file))
                {
                    throw new FileAlreadyExistsException(file + " (use --force to overwrite)");
                }
            }
        }
        final Path parent = prefix.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        final KeyPair pair = KeyFiles.generate();
        KeyFiles.write(pair, prefix);
        out().println("key id " + KeyIds.of(pair.getPublic()));
        out().println("private key " + privateFile + " (mode 0600; keep it secret)");
        out().println("public key  " + publicFile);
        return ExitCodes.OK;
    }
}
