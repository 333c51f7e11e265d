package io.decide.tools.cli;

import io.decide.engine.network.OnnxRuntimeNetwork;
import io.decide.tools.network.MtmlModels;
import io.decide.tools.network.OnnxModelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code decide import --format onnx-mlp} then {@code decide predict} on an MTML network: the CSV predictions agree
 * with ONNX Runtime on the original file within 1e-5; a graph with an unsupported operator is refused (exit 2)
 * naming the node.
 */
class NetworkImportPredictCommandTest
{
    @TempDir
    Path dir;

    @Test
    void importThenPredictMatchesOnnxRuntime() throws IOException
    {
        final MtmlModels mtml = new MtmlModels(11, 12, new int[]{32, 16}, 3, MtmlModels.Style.FUSED_SPLIT);
        final Path onnx = Files.write(dir.resolve("mtml.onnx"), mtml.onnx);
        final Path artifact = dir.resolve("mtml.dpol");
        final CliRun.Result imported = CliRun.run("import", "--format", "onnx-mlp", "--in", onnx, "--out", artifact,
            "--artifact-version", "3", "--vectors", "32");
        assertEquals(ExitCodes.OK, imported.exitCode(), imported::toString);
        assertTrue(imported.out().contains("artifact mtml v3"), imported::toString);
        assertTrue(imported.out().contains("input 'x' width 12, 5 dense layers, 3 output(s):"), imported::toString);
        assertTrue(imported.out().contains("verification vectors: 32 (exact)"), imported::toString);

        final SplittableRandom random = new SplittableRandom(4);
        final StringBuilder csv = new StringBuilder();
        for (int f = 0; f < 12; f++)
        {
            csv.append(f == 0 ? "" : ",").append('f').append(f);
        }
        csv.append('\n');
        final float[][] rows = new float[200][12];
        for (final float[] row : rows)
        {
            for (int f = 0; f < 12; f++)
            {
                row[f] = (float)random.nextGaussian();
                csv.append(f == 0 ? "" : ",").append(row[f]);
            }
            csv.append('\n');
        }
        final Path rowsFile = Files.writeString(dir.resolve("rows.csv"), csv);
        final Path predictions = dir.resolve("preds.csv");
        final CliRun.Result predicted = CliRun.run("predict", "--policy", artifact, "--in", rowsFile, "--out",
            predictions);
        assertEquals(ExitCodes.OK, predicted.exitCode(), predicted::toString);
        final List<String> lines = Files.readAllLines(predictions);
        assertEquals("p0,p1,p2", lines.get(0));
        assertEquals(201, lines.size());
        try (OnnxRuntimeNetwork ort = OnnxRuntimeNetwork.open(onnx))
        {
            final double[] expected = new double[3];
            for (int r = 0; r < rows.length; r++)
            {
                ort.evaluate(rows[r], expected);
                final String[] cells = lines.get(r + 1).split(",");
                for (int o = 0; o < 3; o++)
                {
                    assertEquals(expected[o], Double.parseDouble(cells[o]), 1e-5, "row " + r + " output " + o);
                }
            }
        }
        final CliRun.Result rawRefused = CliRun.run("predict", "--policy", artifact, "--in", rowsFile, "--raw");
        assertEquals(ExitCodes.USAGE, rawRefused.exitCode(), rawRefused::toString);
    }

    @Test
    void refusesAnUnsupportedOperatorNamingTheNode() throws IOException
    {
        final Path onnx = Files.write(dir.resolve("bad.onnx"), new OnnxModelBuilder("x", 3)
            .initializer("W", new float[6], 3, 2)
            .node("MatMul", new String[]{"x", "W"}, new String[]{"h"})
            .node("Softmax", new String[]{"h"}, new String[]{"y"}).output("y", 2).toBytes());
        final CliRun.Result refused = CliRun.run("import", "--format", "onnx-mlp", "--in", onnx, "--out",
            dir.resolve("bad.dpol"));
        assertEquals(ExitCodes.INVALID, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("REFUSED " + onnx + ": node 'Softmax_1' (Softmax): operator Softmax is not " +
            "supported"), refused::toString);
        assertTrue(Files.notExists(dir.resolve("bad.dpol")));
    }
}
