package io.decide.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.scalars.CohortScalarsDescriptor;
import io.decide.format.scalars.CohortScalarsWriter;
import io.decide.tools.scalars.BidResponses;
import io.decide.tools.scalars.BidSolution;
import io.decide.tools.scalars.CohortFit;
import io.decide.tools.scalars.ResponsesCsvReader;
import io.decide.tools.scalars.ScalarCertificate;
import io.decide.tools.scalars.ScalarInfeasibleException;
import io.decide.tools.scalars.ScalarMethod;
import io.decide.tools.scalars.ScalarPolicySolver;
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

/** {@code decide solve-scalars}: fit RCT responses and solve per-cohort quality-bid scalars (Opus). */
@Command(
    name = "solve-scalars",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Solve personalised quality-bid scalars (Opus) and write a COHORT_SCALARS artifact.",
    description = {
        "Reads responses.csv (bid,cohort,scalar,engagement,performance; see docs/SCALARS.md), fits each cohort by " +
        "least squares (engagement linear; performance linear for lp/lp-sorted, quadratic for lpqc/lpqc-sorted/ilp) " +
        "and, per bid, maximises total engagement subject to total performance >= (1 - rho)·B, lower <= x <= upper " +
        "and, for -sorted, scalars monotone in --direction. B defaults to the fitted performance of the uniform " +
        "policy x = 1. Writes the artifact (COHORT_SCALARS, METADATA with fits and certificates) and report.json; " +
        "the artifact needs scalars monotone in --direction (the runtime invariant), which only the -sorted " +
        "methods guarantee: lp, lpqc and ilp are for comparison (--report without --out). " +
        "Malformed input exits 3 naming the file, line and column; a non-convex or infeasible bid exits 1 naming " +
        "the cohort or the shortfall.",
    })
public final class SolveScalarsCommand extends CliCommand
{
    @Option(names = "--responses", required = true, paramLabel = "FILE", description = "responses.csv.")
    Path responses;

    @Option(names = "--method", paramLabel = "M", defaultValue = "lpqc-sorted",
        description = "lp, lp-sorted, lpqc, lpqc-sorted or ilp (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--rho", paramLabel = "RHO", defaultValue = "0.01",
        description = "Allowed relative performance loss, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double rho;

    @Option(names = "--baseline", paramLabel = "B", description = "Baseline performance B (default: uniform x = 1).")
    Double baseline;

    @Option(names = "--lower", paramLabel = "L", defaultValue = "0.5", description = "Lower bound (default: 0.5).")
    double lower;

    @Option(names = "--upper", paramLabel = "U", defaultValue = "2", description = "Upper bound (default: 2).")
    double upper;

    @Option(names = "--direction", paramLabel = "D", defaultValue = "increasing",
        description = "increasing or decreasing: how scalars move with sensitivity (default: ${DEFAULT-VALUE}).")
    String direction;

    @Option(names = "--boundaries", paramLabel = "S1,S2,...", split = ",",
        description = "N-1 ascending sensitivity boundaries (default: 1,2,...,N-1, i.e. sensitivity = cohort index).")
    double[] boundaries;

    @Option(names = "--out", paramLabel = "FILE",
        description = "Artifact to write (.dpol); refused (exit 1) when a bid's scalars are not monotone.")
    Path out;

    @Option(names = "--report", paramLabel = "FILE", description = "report.json to write.")
    Path report;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "scalars",
        description = "Artifact name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--artifact-version", paramLabel = "V", defaultValue = "1",
        description = "Artifact version (default: ${DEFAULT-VALUE}).")
    long artifactVersion;

    /** Creates the command; picocli instantiates it. */
    public SolveScalarsCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        final ScalarMethod m;
        try
        {
            m = ScalarMethod.byName(method);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--method: " + ex.getMessage());
        }
        if (!(rho >= 0 && rho < 1))
        {
            throw new ParameterException(spec.commandLine(), "--rho must be in [0, 1): " + rho);
        }
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || lower > upper)
        {
            throw new ParameterException(spec.commandLine(), "--lower and --upper must be finite with lower <= upper");
        }
        if (baseline != null && !Double.isFinite(baseline))
        {
            throw new ParameterException(spec.commandLine(), "--baseline must be finite");
        }
        if (!direction.equals("increasing") && !direction.equals("decreasing"))
        {
            throw new ParameterException(spec.commandLine(), "--direction must be increasing or decreasing");
        }
        final boolean increasing = direction.equals("increasing");
        final long readStart = System.nanoTime();
        final List<BidResponses> bids = ResponsesCsvReader.read(responses, m.quadratic() ? 3 : 2);
        final long readNs = System.nanoTime() - readStart;

        final ScalarPolicySolver solver = new ScalarPolicySolver();
        final List<BidSolution> solutions = new ArrayList<>();
        for (final BidResponses bid : bids)
        {
            try
            {
                solutions.add(solver.solve(bid, m, rho, baseline == null ? Double.NaN : baseline, lower, upper,
                    increasing));
            }
            catch (final ScalarInfeasibleException ex)
            {
                err().println(commandName() + ": " + ex.getMessage());
                return ExitCodes.FAILURE;
            }
        }

        final double defaultScalar = Math.max(lower, Math.min(upper, 1.0));
        final CohortScalarsWriter section = new CohortScalarsWriter();
        final List<Map<String, Object>> bidJson = new ArrayList<>();
        String notMonotone = null;
        for (final BidSolution solution : solutions)
        {
            final int n = solution.fits().length;
            final double[] cuts = boundaries(n, solution.bid());
            final double[] x = solution.certificate().x();
            for (int i = 1; i < n && notMonotone == null; i++)
            {
                if (increasing ? x[i] < x[i - 1] : x[i] > x[i - 1])
                {
                    notMonotone = "bid " + solution.bid() + " (" + m.cliName() + "): the scalar of cohort " + i +
                        " (" + x[i] + ") is not " + direction + " after cohort " + (i - 1) + " (" + x[i - 1] + ")";
                }
            }
            if (notMonotone == null)
            {
                final int dir = increasing ? CohortScalarsDescriptor.INCREASING : CohortScalarsDescriptor.DECREASING;
                section.addBid(solution.bid(), dir, m.code(), lower, upper, defaultScalar, cuts, x);
            }
            bidJson.add(json(solution));
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("bids", bidJson);
        json.put("rho", rho);
        json.put("lower", lower);
        json.put("upper", upper);
        json.put("direction", direction);
        json.put("readMillis", readNs / 1e6);

        final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("solver", m == ScalarMethod.ILP ? "branch-and-bound" : "lagrangian-pava");
        metadata.put("scalars", json);
        if (report != null)
        {
            Files.write(report, mapper.writeValueAsBytes(json));
        }
        if (out != null && notMonotone != null)
        {
            err().println(commandName() + ": " + notMonotone + "; artifacts hold monotone scalars only (use " +
                "lp-sorted or lpqc-sorted), no artifact written" + (report != null ? "; report written" : ""));
            return ExitCodes.FAILURE;
        }
        if (out != null)
        {
            new ArtifactWriter(name, artifactVersion)
                .addSection(SectionType.COHORT_SCALARS, CohortScalarsDescriptor.VERSION, section.toBytes())
                .metadata(mapper.writeValueAsString(metadata))
                .writeTo(out);
        }
        for (final BidSolution solution : solutions)
        {
            final ScalarCertificate c = solution.certificate();
            out().printf("bid %d %s: %d cohorts  engagement %.9g  performance %.9g >= %.9g  dual gap %.3g  " +
                "%.3f ms%n", solution.bid(), m.cliName(), c.x().length, c.objective(), c.performance(), c.required(),
                c.gap(), solution.solveNanos() / 1e6);
        }
        if (out != null)
        {
            out().println("wrote " + out);
        }
        return ExitCodes.OK;
    }

    private double[] boundaries(final int n, final int bid)
    {
        if (boundaries == null)
        {
            final double[] cuts = new double[n - 1];
            for (int i = 0; i < n - 1; i++)
            {
                cuts[i] = i + 1;
            }
            return cuts;
        }
        if (boundaries.length != n - 1)
        {
            throw new ParameterException(spec.commandLine(), "--boundaries has " + boundaries.length +
                " values, bid " + bid + " has " + n + " cohorts and needs " + (n - 1));
        }
        for (int i = 0; i < boundaries.length; i++)
        {
            if (!Double.isFinite(boundaries[i]) || (i > 0 && !(boundaries[i] > boundaries[i - 1])))
            {
                throw new ParameterException(spec.commandLine(), "--boundaries must be finite and strictly ascending");
            }
        }
        return boundaries.clone();
    }

    private static Map<String, Object> json(final BidSolution solution)
    {
        final ScalarCertificate c = solution.certificate();
        final Map<String, Object> bid = new LinkedHashMap<>();
        bid.put("bid", solution.bid());
        bid.put("method", solution.method().cliName());
        bid.put("scalars", c.x());
        bid.put("objective", c.objective());
        bid.put("performance", c.performance());
        bid.put("required", c.required());
        bid.put("dualGap", c.gap());
        bid.put("dualBound", c.dualBound());
        bid.put("residual", c.residual());
        bid.put("baseline", solution.baseline());
        bid.put("multiplier", Double.isNaN(c.multiplier()) ? null : c.multiplier());
        bid.put("iterations", c.iterations());
        bid.put("solveMillis", solution.solveNanos() / 1e6);
        final List<Map<String, Object>> fits = new ArrayList<>();
        for (final CohortFit fit : solution.fits())
        {
            final Map<String, Object> f = new LinkedHashMap<>();
            f.put("cohort", fit.cohort());
            f.put("engagement", new double[]{fit.k(), fit.d()});
            f.put("performance", new double[]{fit.a(), fit.b(), fit.c()});
            fits.add(f);
        }
        bid.put("fit", fits);
        return bid;
    }
}
