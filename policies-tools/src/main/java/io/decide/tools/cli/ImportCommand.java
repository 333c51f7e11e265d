package io.decide.tools.cli;

import io.decide.format.ArtifactWriter;
import io.decide.format.gbdt.MonotoneCheck;
import io.decide.format.gbdt.TreeEnsemble;
import io.decide.tools.gbdt.GbdtArtifact;
import io.decide.tools.gbdt.ModelFormat;
import io.decide.tools.gbdt.ModelImportException;
import io.decide.tools.gbdt.xgboost.XGBoostJsonImporter;
import io.decide.tools.network.ImportedNetwork;
import io.decide.tools.network.NetworkArtifact;
import io.decide.tools.network.OnnxMlpImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code decide import}: turn a trained GBDT model into a verified artifact. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Import a GBDT model (XGBoost JSON/UBJ, LightGBM text, ONNX-ML trees) or an ONNX MLP into a .dpol " +
        "artifact.",
    description = {
        "Reads the model with the library's exact semantics (thresholds, comparison, missing values, categorical " +
        "splits, tree weights, base score, averaging, output transform), refusing anything it cannot represent " +
        "exactly with a message naming it. Declared monotone constraints (from the model, or --monotone) are " +
        "verified with a sufficient per-tree check. The artifact holds FEATURE_SCHEMA, METADATA, GBDT_ENSEMBLE and " +
        "VERIFICATION_VECTORS (probe rows at and around every threshold, predicted by the reference semantics) " +
        "that the engine replays at every load. Written atomically; exit 2 when the model is refused.",
        "",
        "--format onnx-mlp imports a feed-forward ONNX network (Gemm, MatMul + Add, Relu, Sigmoid, Tanh, Identity, " +
        "Split, Slice, Concat; e.g. a multi-task net: shared ReLU layers, one head per quality bid) into a " +
        "DENSE_NETWORK section; its outputs are the graph outputs concatenated in graph order. The artifact holds " +
        "FEATURE_SCHEMA (f0..), METADATA (input and output names), DENSE_NETWORK and VERIFICATION_VECTORS (exact). " +
        "Any other operator is refused with a message naming the node.",
    })
public final class ImportCommand extends CliCommand
{
    private static final String NETWORK_FORMAT = "onnx-mlp";

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
        description = "Model format: xgboost-json, xgboost-ubj, lightgbm-text, onnx (ONNX-ML trees), onnx-mlp " +
            "(ONNX dense network).")
    String format;

    @Option(names = "--xgboost-config", paramLabel = "CONFIG.json",
        description = "XGBoost only: the booster's save_config() JSON, which holds monotone_constraints (XGBoost " +
            "does not store them in the model file).")
    Path xgboostConfig;

    @Option(names = "--in", required = true, paramLabel = "MODEL", description = "The model file.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE.dpol", description = "Artifact to write.")
    Path output;

    @Option(names = "--name", paramLabel = "NAME",
        description = "Artifact name (default: the output file name without .dpol).")
    String name;

    @Option(names = "--artifact-version", paramLabel = "N",
        description = "Artifact version, >= 1 (default: current epoch seconds, so later imports replace earlier).")
    Long version;

    @Option(names = "--monotone", paramLabel = "FEATURE=DIR", split = ",",
        description = "Declare a monotone constraint, DIR one of 1, -1, 0; FEATURE a name or index. Overrides " +
            "what the model declares for that feature. Repeatable or comma-separated.")
    List<String> monotone = new ArrayList<>();

    @Option(names = "--on-monotone-violation", paramLabel = "refuse|warn", defaultValue = "refuse",
        description = "What a failed monotone check does (default: ${DEFAULT-VALUE}).")
    String onViolation;

    @Option(names = "--vectors", paramLabel = "N", defaultValue = "256",
        description = "Verification rows to embed (default: ${DEFAULT-VALUE}; 0 for none).")
    int vectors;

    @Option(names = "--key", paramLabel = "PRIVATE.pem", description = "Sign with this Ed25519 key.")
    Path key;

    @Option(names = "--public-key", paramLabel = "PUBLIC.pem", description = "Public key of --key.")
    Path publicKey;

    /** Creates the command; picocli instantiates it. */
    public ImportCommand()
    {
    }

    @Override
    int execute() throws Exception
    {
        if (!"refuse".equals(onViolation) && !"warn".equals(onViolation))
        {
            return usage("--on-monotone-violation must be refuse or warn, not '" + onViolation + "'");
        }
        if ((key == null) != (publicKey == null))
        {
            return usage("--key and --public-key go together");
        }
        if (vectors < 0)
        {
            return usage("--vectors must be >= 0");
        }
        if (NETWORK_FORMAT.equals(format))
        {
            return importNetwork();
        }
        final ModelFormat modelFormat;
        try
        {
            modelFormat = ModelFormat.byName(format);
        }
        catch (final IllegalArgumentException ex)
        {
            return usage(ex.getMessage());
        }
        TreeEnsemble ensemble;
        try
        {
            if (xgboostConfig != null)
            {
                if (modelFormat != ModelFormat.XGBOOST_JSON && modelFormat != ModelFormat.XGBOOST_UBJ)
                {
                    return usage("--xgboost-config goes with an XGBoost model");
                }
                ensemble = XGBoostJsonImporter.read(input, xgboostConfig);
            }
            else
            {
                ensemble = modelFormat.read(input);
            }
        }
        catch (final ModelImportException ex)
        {
            err().println("REFUSED " + ex.getMessage());
            trace(ex);
            return ExitCodes.INVALID;
        }
        if (!monotone.isEmpty())
        {
            final int[] directions = ensemble.monotone();
            final String[] names = GbdtArtifact.featureNames(ensemble);
            for (final String spec : monotone)
            {
                final int eq = spec.lastIndexOf('=');
                if (eq <= 0)
                {
                    return usage("--monotone expects FEATURE=DIR, got '" + spec + "'");
                }
                final String feature = spec.substring(0, eq);
                final int direction;
                try
                {
                    direction = Integer.parseInt(spec.substring(eq + 1).replace("+", ""));
                }
                catch (final NumberFormatException ex)
                {
                    return usage("--monotone direction must be 1, -1 or 0: '" + spec + "'");
                }
                int index = Arrays.asList(names).indexOf(feature);
                if (index < 0 && feature.matches("\\d+"))
                {
                    index = Integer.parseInt(feature);
                }
                if (index < 0 || index >= directions.length || direction < -1 || direction > 1)
                {
                    return usage("--monotone '" + spec + "': unknown feature or direction (features: " +
                        String.join(", ", names) + ")");
                }
                directions[index] = direction;
            }
            ensemble = ensemble.withMonotone(directions);
        }
        final List<MonotoneCheck.Violation> violations = MonotoneCheck.check(ensemble);
        for (final MonotoneCheck.Violation v : violations)
        {
            err().println(("refuse".equals(onViolation) ? "MONOTONE VIOLATION " : "WARNING monotone: ") + v);
        }
        if (!violations.isEmpty() && "refuse".equals(onViolation))
        {
            err().println("REFUSED " + input + ": " + violations.size() + " monotone violation(s); " +
                "--on-monotone-violation warn imports anyway");
            return ExitCodes.INVALID;
        }
        final String fileName = output.getFileName().toString();
        final String artifactName = name != null ? name : fileName.endsWith(".dpol") ?
            fileName.substring(0, fileName.length() - 5) : fileName;
        final long artifactVersion = version != null ? version : System.currentTimeMillis() / 1000;
        final ArtifactWriter writer = GbdtArtifact.writer(artifactName, artifactVersion, ensemble,
            input.getFileName().toString(), vectors, violations);
        if (key != null)
        {
            final PrivateKey privateKey = readPrivateKey(key);
            final PublicKey pub = readPublicKey(publicKey);
            writer.signWith(privateKey, pub);
        }
        writer.writeTo(output);
        out().println("imported " + input + " (" + modelFormat.cliName() + ") -> " + output);
        out().println("  artifact " + artifactName + " v" + artifactVersion + (key != null ? ", signed" : ""));
        out().println("  " + ensemble.trees().length + " trees, max depth " + ensemble.maxDepth() + ", " +
            ensemble.featureCount() + " features, " + ensemble.outputCount() + " output(s), " +
            ensemble.precision() + ", transform " + ensemble.transform());
        out().println("  monotone check: " + (violations.isEmpty() ? "ok" : violations.size() + " violation(s)"));
        out().println("  verification vectors: " + (vectors > 0 ? 2 * vectors + " (raw exact, transformed " +
            (int)GbdtArtifact.TRANSFORMED_ULPS + " ulps)" : "none"));
        return ExitCodes.OK;
    }

    private int importNetwork() throws Exception
    {
        if (xgboostConfig != null || !monotone.isEmpty())
        {
            return usage("--xgboost-config and --monotone go with GBDT models, not --format onnx-mlp");
        }
        final ImportedNetwork network;
        try
        {
            network = OnnxMlpImporter.read(input);
        }
        catch (final ModelImportException ex)
        {
            err().println("REFUSED " + ex.getMessage());
            trace(ex);
            return ExitCodes.INVALID;
        }
        final String fileName = output.getFileName().toString();
        final String artifactName = name != null ? name : fileName.endsWith(".dpol") ?
            fileName.substring(0, fileName.length() - 5) : fileName;
        final long artifactVersion = version != null ? version : System.currentTimeMillis() / 1000;
        final ArtifactWriter writer = NetworkArtifact.writer(artifactName, artifactVersion, network, vectors);
        if (key != null)
        {
            writer.signWith(readPrivateKey(key), readPublicKey(publicKey));
        }
        writer.writeTo(output);
        out().println("imported " + input + " (" + NETWORK_FORMAT + ") -> " + output);
        out().println("  artifact " + artifactName + " v" + artifactVersion + (key != null ? ", signed" : ""));
        out().println("  input '" + network.inputName() + "' width " + network.inputSize() + ", " +
            network.layers().size() + " dense layers, " + network.outputCount() + " output(s):");
        int first = 0;
        for (int o = 0; o < network.outputNames().size(); o++)
        {
            out().println("    " + first + ".." + (first + network.outputWidths()[o] - 1) + " '" +
                network.outputNames().get(o) + "'");
            first += network.outputWidths()[o];
        }
        for (final String layer : network.layers())
        {
            out().println("  layer " + layer);
        }
        out().println("  verification vectors: " + (vectors > 0 ? vectors + " (exact)" : "none"));
        return ExitCodes.OK;
    }

    private int usage(final String message)
    {
        err().println("decide import: " + message);
        return ExitCodes.USAGE;
    }
}
