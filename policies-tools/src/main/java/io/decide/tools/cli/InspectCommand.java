package io.decide.tools.cli;

import io.decide.format.ArtifactValidator;
import io.decide.tools.artifact.ArtifactFile;
import io.decide.tools.artifact.ArtifactReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code decide inspect}: validate one artifact, then show its header, sections, schema, metadata, verification
 * vectors and signature. An invalid artifact is refused by {@link CliCommand} with one INVALID line and exit code 2.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Show what an artifact holds.",
    description = {
        "Validates FILE completely first (as 'decide validate' does, without replaying verification vectors); an " +
        "invalid artifact gets one line on stderr, 'INVALID <file>: <section> at offset <n>: <reason>', and exit " +
        "code 2. A valid one is shown: header (name, version, creation time, format version, length, file CRC32C), " +
        "section table (index, type, layout version, offset, length, CRC32C), FEATURE_SCHEMA features (index, " +
        "name, type, missing-value convention, sentinel), METADATA pretty-printed, VERIFICATION_VECTORS groups " +
        "(target, widths, count, tolerance), GBDT_ENSEMBLE models (trees, nodes, depths, semantics, transform, base " +
        "scores, features used with split counts and monotone declarations) and the signature (key id; verified " +
        "only with --public-key).",
    })
public final class InspectCommand extends CliCommand
{
    @Parameters(index = "0", paramLabel = "FILE", description = "The artifact (.dpol) to inspect.")
    Path file;

    @Option(names = "--json", description = "Print everything as one JSON object instead of text.")
    boolean json;

    @Option(
        names = "--public-key",
        paramLabel = "PEM",
        description = {
            "Trusted Ed25519 public key (PEM); repeatable. With it, the artifact must be signed by one of " +
            "these keys, and the signature is shown as verified.",
        })
    List<Path> publicKeys = new ArrayList<>();

    /** Creates the command; picocli instantiates it. */
    public InspectCommand()
    {
    }

    @Override
    int execute() throws Exception
    {
        final List<PublicKey> keys = new ArrayList<>();
        for (final Path pem : publicKeys)
        {
            keys.add(readPublicKey(pem));
        }
        final ArtifactFile artifact = ArtifactFile.open(file, new ArtifactValidator(keys));
        final ArtifactReport report = ArtifactReport.of(artifact, !keys.isEmpty());
        out().print(json ? report.toJson() + "\n" : report.toText());
        return ExitCodes.OK;
    }
}
