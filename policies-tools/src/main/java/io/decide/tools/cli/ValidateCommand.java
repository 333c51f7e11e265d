package io.decide.tools.cli;

import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactFormatException;
import io.decide.format.ArtifactLayout;
import io.decide.format.SectionType;
import io.decide.format.vectors.VerificationReplay;
import io.decide.tools.artifact.KeyIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** {@code decide validate}: load artifacts exactly as the engine does and report each as OK or INVALID. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Check artifacts the way the engine loads them.",
    description = {
        "Opens each FILE with the engine's ArtifactLoader: map read-only, validate every byte (header, section " +
        "table, bounds, padding, every CRC, every known section layout), check the signature, replay the " +
        "verification vectors this build can evaluate. A directory stands for the *.dpol files in it.",
        "",
        "A valid file prints 'OK <name> v<N> (<bytes>, <sections>, <signature status>, <vector groups " +
        "replayed/skipped>) <file>' on stdout. An invalid one prints exactly one line on stderr, " +
        "'INVALID <file>: <section> at offset <n>: <reason>'; a file that cannot be read prints " +
        "'ERROR <file>: <reason>'. Every file is checked; the exit code is 3 if any could not be read, else 2 if " +
        "any was invalid, else 0.",
    })
public final class ValidateCommand extends CliCommand
{
    @Parameters(
        arity = "1..*",
        paramLabel = "FILE",
        description = "Artifacts (.dpol) to check, or directories of them.")
    List<Path> files;

    @Option(
        names = "--public-key",
        paramLabel = "PEM",
        description = {
            "Trusted Ed25519 public key (PEM); repeatable. When any is given, every artifact must carry a valid " +
            "signature by one of them, as a registry configured with these keys requires.",
        })
    List<Path> publicKeys = new ArrayList<>();

    /** Creates the command; picocli instantiates it. */
    public ValidateCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        final List<PublicKey> keys = new ArrayList<>();
        for (final Path pem : publicKeys)
        {
            keys.add(readPublicKey(pem));
        }
        final ArtifactLoader loader = new ArtifactLoader(loadOptions(keys));
        int exitCode = ExitCodes.OK;
        for (final Path file : expand(files))
        {
            try
            {
                final LoadedArtifact artifact = loader.open(file);
                try
                {
                    out().println(okLine(artifact));
                }
                finally
                {
                    artifact.close();
                }
            }
            catch (final ArtifactFormatException ex)
            {
                err().println(invalidLine(ex));
                trace(ex);
                exitCode = Math.max(exitCode, ExitCodes.INVALID);
            }
            catch (final IOException ex)
            {
                err().println("ERROR " + file + ": " + describe(ex));
                trace(ex);
                exitCode = Math.max(exitCode, ExitCodes.IO_ERROR);
            }
            catch (final RuntimeException ex)
            {
                err().println("ERROR " + file + ": internal error while validating: " + ex);
                trace(ex);
                exitCode = Math.max(exitCode, ExitCodes.FAILURE);
            }
        }
        return exitCode;
    }

    /**
     * The options the engine loads with, plus the trusted keys. Evaluators for verification replay are added here
     * as the deciders that own them land; until then vector groups are reported as skipped.
     *
     * @param keys trusted keys (empty: signatures not required).
     * @return load options.
     */
    static LoadOptions loadOptions(final List<PublicKey> keys)
    {
        return LoadOptions.defaults().withTrustedKeys(keys).withPretouch(false);
    }

    private static String okLine(final LoadedArtifact artifact)
    {
        final ArtifactLayout layout = artifact.layout();
        final VerificationReplay.Result replay = artifact.verification();
        final String keyId = KeyIds.ofArtifact(artifact.buffer(), layout);
        final String signature = keyId == null ? "unsigned" : (layout.signatureVerified() ?
            "signature verified, key " + keyId.substring(0, 16) : "signed by key " + keyId.substring(0, 16) +
            ", not verified");
        return "OK " + layout.name() + " v" + layout.version() + " (" + layout.fileLength() + " bytes, " +
            layout.sectionCount() + (layout.sectionCount() == 1 ? " section, " : " sections, ") + signature +
            ", vector groups " + replay.groupsReplayed() + " replayed/" + replay.groupsSkipped() + " skipped" +
            (layout.count(SectionType.VERIFICATION_VECTORS) > 0 ? ", " + replay.vectorsChecked() + " vectors checked" :
            "") + ") " + artifact.path();
    }

    private static List<Path> expand(final List<Path> arguments) throws IOException
    {
        final List<Path> result = new ArrayList<>();
        for (final Path argument : arguments)
        {
            if (Files.isDirectory(argument))
            {
                final List<Path> inDirectory = new ArrayList<>();
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(argument, "*.dpol"))
                {
                    for (final Path file : stream)
                    {
                        if (!file.getFileName().toString().startsWith("."))
                        {
                            inDirectory.add(file);
                        }
                    }
                }
                inDirectory.sort(null);
                result.addAll(inDirectory);
            }
            else
            {
                result.add(argument);
            }
        }
        return result;
    }
}
