package io.decide.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.decide.tools.ope.BanditFeedbackReader;
import io.decide.tools.ope.BanditLog;
import io.decide.tools.ope.PropensityCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code decide propensity-check}: arithmetic-mean and harmonic-mean tests of logged propensities. */
@Command(
    name = "propensity-check",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Test logged propensities: arithmetic-mean test per action and position, harmonic-mean test per " +
        "position (Li et al., 2015).",
    description = {
        "Reads log.csv (action,pscore and optionally position; other columns ignored). Per position k: for each " +
        "action a, the mean of 1{a_i=a}/p_i must be 1 (arithmetic-mean test); the harmonic mean of the p_i must " +
        "be 1/K (harmonic-mean test). Each is a two-sided z-test; p-values are Bonferroni-adjusted over all " +
        "tests. Exit code 1 when any adjusted p-value is below --alpha (see docs/OPE.md for the derivation). " +
        "The tests assume every action has positive logging probability in every context.",
    })
public final class PropensityCheckCommand extends CliCommand
{
    @Option(names = "--log", required = true, paramLabel = "FILE", description = "log.csv.")
    Path log;

    @Option(names = "--actions", paramLabel = "K",
        description = "Number of actions K (default: 1 + the largest logged action).")
    Integer actions;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.01",
        description = "Level of the family of tests (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--out", paramLabel = "FILE", description = "Write every test as JSON.")
    Path out;

    /** Creates the command; picocli instantiates it. */
    public PropensityCheckCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ParameterException(spec.commandLine(), "--alpha must be in (0, 1): " + alpha);
        }
        final BanditLog data = BanditFeedbackReader.readLog(log);
        final int k = actions != null ? actions : data.maxAction() + 1;
        if (k <= data.maxAction())
        {
            throw new ParameterException(spec.commandLine(), "--actions " + k + " but action " + data.maxAction() +
                " is logged");
        }
        final PropensityCheck.Result result = PropensityCheck.run(data, k, alpha);
        final PropensityCheck.Test arithmetic = result.worst("arithmetic");
        final PropensityCheck.Test harmonic = result.worst("harmonic");
        out().printf("n %d  K %d  positions %d  tests %d  alpha %.4g (Bonferroni)%n", data.rows(), k,
            data.positionCount(), result.tests().size(), alpha);
        out().printf("arithmetic-mean test: %s  worst: action %d position %d  mean 1{a=a}/p %.6g (expected 1)  " +
            "z %.3f  p %.3g  adjusted %.3g%n", result.arithmeticPassed() ? "PASS" : "FAIL", arithmetic.action(),
            arithmetic.position(), arithmetic.statistic(), arithmetic.z(), arithmetic.p(), arithmetic.adjusted());
        for (final PropensityCheck.Test t : result.tests())
        {
            if (t.kind().equals("harmonic"))
            {
                out().printf("harmonic-mean test position %d: %s  harmonic mean %.6g (expected 1/K = %.6g)  z %.3f  " +
                    "p %.3g  adjusted %.3g%n", t.position(), t.adjusted() >= alpha ? "PASS" : "FAIL", t.statistic(),
                    t.expected(), t.z(), t.p(), t.adjusted());
            }
        }
        int sparse = 0;
        for (final PropensityCheck.Test t : result.tests())
        {
            if (t.kind().equals("arithmetic") && t.rows() / (double)k < 10)
            {
                sparse++;
            }
        }
        if (sparse > 0)
        {
            out().printf("warning: %d action/position cells have fewer than 10 expected rows under uniform " +
                "logging; the normal approximation is rough there%n", sparse);
        }
        if (out != null)
        {
            final Map<String, Object> json = new LinkedHashMap<>();
            json.put("n", data.rows());
            json.put("actions", k);
            json.put("alpha", alpha);
            json.put("arithmeticPassed", result.arithmeticPassed());
            json.put("harmonicPassed", result.harmonicPassed());
            final List<Map<String, Object>> tests = new ArrayList<>();
            for (final PropensityCheck.Test t : result.tests())
            {
                final Map<String, Object> one = new LinkedHashMap<>();
                one.put("test", t.kind());
                if (t.action() >= 0)
                {
                    one.put("action", t.action());
                }
                one.put("position", t.position());
                one.put("rows", t.rows());
                one.put("statistic", finite(t.statistic()));
                one.put("expected", t.expected());
                one.put("z", finite(t.z()));
                one.put("p", t.p());
                one.put("adjustedP", t.adjusted());
                tests.add(one);
            }
            json.put("tests", tests);
            Files.write(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
        }
        if (!result.passed())
        {
            final String failed = !result.arithmeticPassed() && !result.harmonicPassed() ?
                "arithmetic-mean and harmonic-mean tests" :
                !result.arithmeticPassed() ? "arithmetic-mean test" : "harmonic-mean test";
            err().println(commandName() + ": the logged propensities fail the " + failed + " at alpha " + alpha +
                " (exit code 1)");
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    private static Object finite(final double v)
    {
        return Double.isFinite(v) ? (Object)v : (v > 0 ? "inf" : v < 0 ? "-inf" : null);
    }
}
