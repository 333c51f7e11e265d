package io.decide.tools.cli;

import io.decide.engine.gbdt.GbdtContext;
import io.decide.engine.gbdt.GbdtEvaluator;
import io.decide.engine.network.DenseNetworkContext;
import io.decide.engine.network.DenseNetworkEvaluator;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.SectionType;
import io.decide.format.gbdt.Precision;
import io.decide.format.schema.FeatureSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code decide predict}: run a GBDT or dense-network artifact over a CSV of rows, as the engine would. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Predict with a GBDT or DENSE_NETWORK artifact over rows in a CSV file.",
    description = {
        "Loads the artifact as the engine does (validation and verification replay included) and evaluates its " +
        "GBDT_ENSEMBLE #MODEL for every row. rows.csv: a header of feature names (as in the artifact's " +
        "FEATURE_SCHEMA, or f0..fN), then one row per line; an empty cell or NaN is a missing value; a feature the " +
        "file lacks is missing in every row; a column the model does not know is an error. No quoting: names and " +
        "values contain no commas. preds.csv: one column per output (margin0.. with --raw, else p0..; one output " +
        "is 'prediction'), printed with full precision (Float.toString for float32 models, Double.toString " +
        "otherwise).",
        "",
        "An artifact with a DENSE_NETWORK section and no GBDT_ENSEMBLE (from import --format onnx-mlp) is evaluated " +
        "with DENSE_NETWORK #MODEL: one column per network output (p0.., or 'prediction'), as float32 values; " +
        "--raw does not apply.",
    })
public final class PredictCommand extends CliCommand
{
    @Option(names = "--policy", required = true, paramLabel = "FILE.dpol", description = "The artifact.")
    Path policy;

    @Option(names = "--in", required = true, paramLabel = "rows.csv", description = "Rows to predict.")
    Path input;

    @Option(names = "--out", paramLabel = "preds.csv", description = "Where to write (default: standard output).")
    Path output;

    @Option(names = "--raw", description = "Write raw margins instead of transformed outputs.")
    boolean raw;

    @Option(names = "--model", paramLabel = "N", defaultValue = "0",
        description = "Which GBDT_ENSEMBLE (or DENSE_NETWORK) section (default: ${DEFAULT-VALUE}).")
    int model;

    @Option(names = "--public-key", paramLabel = "PEM", description = "Require a signature by this key.")
    List<Path> publicKeys = new ArrayList<>();

    /** Creates the command; picocli instantiates it. */
    public PredictCommand()
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
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults().withTrustedKeys(keys)).open(policy);
        try
        {
            if (artifact.layout().count(SectionType.GBDT_ENSEMBLE) == 0 &&
                artifact.layout().count(SectionType.DENSE_NETWORK) > 0)
            {
                return predictNetwork(artifact);
            }
            final GbdtEvaluator evaluator;
            try
            {
                evaluator = GbdtEvaluator.of(artifact, model);
            }
            catch (final IllegalArgumentException ex)
            {
                err().println("decide predict: " + ex.getMessage());
                return ExitCodes.USAGE;
            }
            return predict(artifact, evaluator);
        }
        finally
        {
            artifact.close();
        }
    }

    /** One row in, the columns to print out. */
    private interface RowModel
    {
        void apply(double[] row, double[] out);
    }

    private int predictNetwork(final LoadedArtifact artifact) throws IOException
    {
        if (raw)
        {
            err().println("decide predict: --raw applies to GBDT models; a DENSE_NETWORK has one kind of output");
            return ExitCodes.USAGE;
        }
        final DenseNetworkEvaluator evaluator;
        try
        {
            evaluator = DenseNetworkEvaluator.of(artifact, model);
        }
        catch (final IllegalArgumentException ex)
        {
            err().println("decide predict: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        final DenseNetworkContext context = evaluator.newContext();
        return predict(artifact, evaluator.inputSize(), evaluator.outputCount(), true,
            (row, out) -> evaluator.evaluate(row, out, context));
    }

    private int predict(final LoadedArtifact artifact, final GbdtEvaluator evaluator) throws IOException
    {
        final GbdtContext context = evaluator.newContext();
        return predict(artifact, evaluator.featureCount(), raw ? evaluator.outputCount() :
            evaluator.transformedCount(), evaluator.ensemble().precision() == Precision.FLOAT32, raw ?
            (row, out) -> evaluator.predictRaw(row, out, context) : (row, out) -> evaluator.predict(row, out, context));
    }

    private int predict(
        final LoadedArtifact artifact, final int featureCount, final int width, final boolean f32,
        final RowModel evaluator) throws IOException
    {
        final FeatureSchema schema = artifact.featureSchema();
        final double[] row = new double[featureCount];
        final double[] result = new double[width];
        long rows = 0;
        final Writer writer = output == null ? out() : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8))
        {
            final String header = reader.readLine();
            if (header == null)
            {
                err().println("decide predict: " + input + ": empty file, expected a header of feature names");
                return ExitCodes.INVALID;
            }
            final String[] columns = header.split(",", -1);
            final int[] featureOf = new int[columns.length];
            for (int c = 0; c < columns.length; c++)
            {
                final String name = columns[c].trim();
                int index = schema == null ? -1 : schema.indexOf(name);
                if (index < 0 && name.matches("f\\d+"))
                {
                    index = Integer.parseInt(name.substring(1));
                }
                if (index < 0 || index >= row.length)
                {
                    err().println("decide predict: " + input + " line 1 column " + (c + 1) + ": unknown feature '" +
                        name + "'");
                    return ExitCodes.INVALID;
                }
                featureOf[c] = index;
            }
            final StringBuilder line = new StringBuilder();
            for (int o = 0; o < width; o++)
            {
                line.append(o == 0 ? "" : ",").append(width == 1 && !raw ? "prediction" : (raw ? "margin" : "p") + o);
            }
            writer.write(line.append('\n').toString());
            int lineNumber = 1;
            for (String text = reader.readLine(); text != null; text = reader.readLine())
            {
                lineNumber++;
                if (text.isEmpty())
                {
                    continue;
                }
                final String[] cells = text.split(",", -1);
                if (cells.length != columns.length)
                {
                    err().println("decide predict: " + input + " line " + lineNumber + ": " + cells.length +
                        " cells, the header has " + columns.length);
                    return ExitCodes.INVALID;
                }
                Arrays.fill(row, Double.NaN);
                for (int c = 0; c < cells.length; c++)
                {
                    final String cell = cells[c].trim();
                    if (cell.isEmpty() || cell.equalsIgnoreCase("nan"))
                    {
                        continue;
                    }
                    try
                    {
                        row[featureOf[c]] = Double.parseDouble(cell);
                    }
                    catch (final NumberFormatException ex)
                    {
                        err().println("decide predict: " + input + " line " + lineNumber + " column " + (c + 1) +
                            " ('" + columns[c].trim() + "'): not a number: '" + cell + "'");
                        return ExitCodes.INVALID;
                    }
                }
                evaluator.apply(row, result);
                line.setLength(0);
                for (int o = 0; o < width; o++)
                {
                    line.append(o == 0 ? "" : ",").append(f32 ? Float.toString((float)result[o]) :
                        Double.toString(result[o]));
                }
                writer.write(line.append('\n').toString());
                rows++;
            }
        }
        finally
        {
            if (output != null)
            {
                writer.close();
            }
            else
            {
                writer.flush();
            }
        }
        if (output != null)
        {
            out().println("predicted " + rows + " rows -> " + output);
        }
        return ExitCodes.OK;
    }
}
