package io.decide.tools.cli;

import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.SectionType;
import io.decide.tools.gbdt.lightgbm.LightGbmFidelity;
import io.decide.tools.gbdt.lightgbm.LightGbmFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code decide import} then {@code decide predict} on a model trained by the real LightGBM: the CSV predictions
 * are LightGBM's own (raw bit for bit, transformed within 4 ulps), and bad inputs get one-line errors.
 */
class ImportPredictCommandTest
{
    @TempDir
    Path dir;

    @Test
    void importThenPredictReproducesLightGbm() throws IOException
    {
        final LightGbmFidelity.Fixture fixture = LightGbmFixtures.multiclass();
        final Path model = Files.writeString(dir.resolve("model.txt"), fixture.modelText());
        final Path artifact = dir.resolve("ranker.dpol");
        final CliRun.Result imported = CliRun.run("import", "--format", "lightgbm-text", "--in", model,
            "--out", artifact, "--artifact-version", "7", "--vectors", "64");
        assertEquals(ExitCodes.OK, imported.exitCode(), imported::toString);
        assertTrue(imported.out().contains("artifact ranker v7"), imported::toString);

        final CliRun.Result inspected = CliRun.run("inspect", artifact);
        assertEquals(ExitCodes.OK, inspected.exitCode(), inspected::toString);
        final int trees = fixture.ensemble().trees().length;
        assertTrue(inspected.out().contains("GBDT_ENSEMBLE #0\n  trees        " + trees + " ("), inspected::toString);
        assertTrue(inspected.out().contains("transform SOFTMAX"), inspected::toString);
        assertTrue(inspected.out().matches("(?s).*  features     \\d+ of " + fixture.ensemble().featureCount() +
            " used\n.*"), inspected::toString);
        final CliRun.Result json = CliRun.run("inspect", "--json", artifact);
        assertTrue(json.out().contains("\"ensembles\""), json::toString);
        assertTrue(json.out().contains("\"trees\" : " + trees), json::toString);

        final LoadedArtifact loaded = new ArtifactLoader(LoadOptions.defaults()).open(artifact);
        try
        {
            assertEquals(2, loaded.verification().groupsReplayed());
            assertEquals(128, loaded.verification().vectorsChecked());
            assertEquals(1, loaded.layout().count(SectionType.GBDT_ENSEMBLE));
        }
        finally
        {
            loaded.close();
        }

        final String[] names = io.decide.tools.gbdt.GbdtArtifact.featureNames(fixture.ensemble());
        final int rows = 3000;
        final StringBuilder csv = new StringBuilder(String.join(",", names)).append('\n');
        for (int r = 0; r < rows; r++)
        {
            final double[] row = fixture.row(r);
            for (int f = 0; f < row.length; f++)
            {
                csv.append(f == 0 ? "" : ",").append(Double.isNaN(row[f]) ? (r % 2 == 0 ? "" : "NaN") :
                    Double.toString(row[f]));
            }
            csv.append('\n');
        }
        final Path rowsFile = Files.writeString(dir.resolve("rows.csv"), csv);
        final Path rawFile = dir.resolve("raw.csv");
        final CliRun.Result raw = CliRun.run("predict", "--policy", artifact, "--in", rowsFile, "--out", rawFile,
            "--raw");
        assertEquals(ExitCodes.OK, raw.exitCode(), raw::toString);
        final Path probFile = dir.resolve("p.csv");
        assertEquals(ExitCodes.OK, CliRun.run("predict", "--policy", artifact, "--in", rowsFile, "--out", probFile)
            .exitCode());
        final List<String> rawLines = Files.readAllLines(rawFile, StandardCharsets.UTF_8);
        final List<String> probLines = Files.readAllLines(probFile, StandardCharsets.UTF_8);
        assertEquals("margin0,margin1,margin2,margin3", rawLines.get(0));
        assertEquals("p0,p1,p2,p3", probLines.get(0));
        assertEquals(rows + 1, rawLines.size());
        final int outputs = fixture.ensemble().outputCount();
        for (int r = 0; r < rows; r++)
        {
            final String[] margins = rawLines.get(r + 1).split(",");
            final String[] probabilities = probLines.get(r + 1).split(",");
            for (int g = 0; g < outputs; g++)
            {
                assertEquals(fixture.raw()[r * outputs + g], Double.parseDouble(margins[g]), 0.0, "row " + r);
                assertTrue(LightGbmFidelity.ulpDistance(fixture.transformed()[r * outputs + g],
                    Double.parseDouble(probabilities[g])) <= 4, "row " + r);
            }
        }
    }

    @Test
    void badInputsGetOneLineErrors() throws IOException
    {
        final LightGbmFidelity.Fixture fixture = LightGbmFixtures.binary();
        final Path model = Files.writeString(dir.resolve("model.txt"), fixture.modelText());
        final Path artifact = dir.resolve("b.dpol");
        assertEquals(ExitCodes.OK, CliRun.run("import", "--format", "lightgbm-text", "--in", model, "--out",
            artifact).exitCode());

        final CliRun.Result badFormat = CliRun.run("import", "--format", "sklearn", "--in", model, "--out", artifact);
        assertEquals(ExitCodes.USAGE, badFormat.exitCode());
        assertTrue(badFormat.err().contains("unknown model format 'sklearn'; expected one of: xgboost-json, xgboost-ubj, lightgbm-text, onnx"),
            badFormat::toString);

        final Path broken = Files.writeString(dir.resolve("broken.txt"),
            fixture.modelText().replace("num_leaves=", "num_leaves=x"));
        final CliRun.Result refused = CliRun.run("import", "--format", "lightgbm-text", "--in", broken, "--out",
            dir.resolve("x.dpol"));
        assertEquals(ExitCodes.INVALID, refused.exitCode(), refused::toString);
        assertTrue(refused.err().startsWith("REFUSED " + broken), refused::toString);
        assertFalse(Files.exists(dir.resolve("x.dpol")));

        final Path unknownColumn = Files.writeString(dir.resolve("u.csv"), "nope\n1\n");
        final CliRun.Result unknown = CliRun.run("predict", "--policy", artifact, "--in", unknownColumn);
        assertEquals(ExitCodes.INVALID, unknown.exitCode());
        assertTrue(unknown.err().contains("line 1 column 1: unknown feature 'nope'"), unknown::toString);

        final String first = io.decide.tools.gbdt.GbdtArtifact.featureNames(fixture.ensemble())[0];
        final Path notNumber = Files.writeString(dir.resolve("n.csv"), first + "\n0.5\nabc\n");
        final CliRun.Result nan = CliRun.run("predict", "--policy", artifact, "--in", notNumber);
        assertEquals(ExitCodes.INVALID, nan.exitCode());
        assertTrue(nan.err().contains("line 3 column 1 ('" + first + "'): not a number: 'abc'"), nan::toString);
    }

    @Test
    void monotoneViolationRefusesUnlessWarned() throws IOException
    {
        final LightGbmFidelity.Fixture fixture = LightGbmFixtures.binary();
        final Path model = Files.writeString(dir.resolve("model.txt"), fixture.modelText());
        final CliRun.Result refused = CliRun.run("import", "--format", "lightgbm-text", "--in", model, "--out",
            dir.resolve("m.dpol"), "--monotone", "0=1,1=-1");
        assertEquals(ExitCodes.INVALID, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("MONOTONE VIOLATION tree "), refused::toString);
        final CliRun.Result warned = CliRun.run("import", "--format", "lightgbm-text", "--in", model, "--out",
            dir.resolve("m.dpol"), "--monotone", "0=1", "--on-monotone-violation", "warn");
        assertEquals(ExitCodes.OK, warned.exitCode(), warned::toString);
        assertTrue(warned.err().contains("WARNING monotone: tree "), warned::toString);
    }
}
