package io.decide.tools.cli;

import io.decide.tools.scalars.BidResponses;
import io.decide.tools.scalars.CurvePlot;
import io.decide.tools.scalars.ResponsesCsvReader;
import io.decide.tools.scalars.ScalarMethod;
import io.decide.tools.scalars.TradeoffCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code decide scalars-curve}: trade-off curves of the Opus methods against the uniform policy. */
@Command(
    name = "scalars-curve",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Sweep rho and write Opus trade-off curves (CSV, SVG chart) against the uniform policy.",
    description = {
        "For one bid of responses.csv, solves each method for --steps values of rho from --rho-from to --rho-to " +
        "(negative rho requires a performance gain) and evaluates every policy under the quadratic fit: " +
        "performance delta (mu1-mu0)/mu0, engagement delta (theta1-theta0)/theta0 and efficiency " +
        "C0·(theta1-theta0)/(mu1-mu0) with C0 = -mu0/theta0, all against x = 1; adds the uniform policy's curve " +
        "over scalars in [lower, upper] and per method the operating points 'max performance at neutral " +
        "engagement' and 'max engagement at neutral performance'. Infeasible rho are skipped.",
    })
public final class ScalarsCurveCommand extends CliCommand
{
    @Option(names = "--responses", required = true, paramLabel = "FILE", description = "responses.csv.")
    Path responses;

    @Option(names = "--bid", paramLabel = "Q", description = "Bid id to plot (default: the first).")
    Integer bid;

    @Option(names = "--methods", paramLabel = "M,...", split = ",", defaultValue = "lp,lp-sorted,lpqc,lpqc-sorted",
        description = "Methods to sweep (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--rho-from", paramLabel = "R", defaultValue = "-0.04", description = "First rho (default: -0.04).")
    double rhoFrom;

    @Option(names = "--rho-to", paramLabel = "R", defaultValue = "0.02", description = "Last rho (default: 0.02).")
    double rhoTo;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "61", description = "rho values (default: 61).")
    int steps;

    @Option(names = "--lower", paramLabel = "L", defaultValue = "0.5", description = "Lower bound (default: 0.5).")
    double lower;

    @Option(names = "--upper", paramLabel = "U", defaultValue = "2", description = "Upper bound (default: 2).")
    double upper;

    @Option(names = "--direction", paramLabel = "D", defaultValue = "increasing",
        description = "increasing or decreasing (default: ${DEFAULT-VALUE}).")
    String direction;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "curve.csv to write.")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE", description = "curve.svg to write.")
    Path plot;

    /** Creates the command; picocli instantiates it. */
    public ScalarsCurveCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        if (steps < 2 || !(rhoFrom < rhoTo) || !(rhoTo < 1) || !Double.isFinite(rhoFrom))
        {
            throw new ParameterException(spec.commandLine(), "--steps must be >= 2 and --rho-from < --rho-to < 1");
        }
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || !(lower < upper))
        {
            throw new ParameterException(spec.commandLine(), "--lower < --upper, both finite");
        }
        if (!direction.equals("increasing") && !direction.equals("decreasing"))
        {
            throw new ParameterException(spec.commandLine(), "--direction must be increasing or decreasing");
        }
        final List<ScalarMethod> chosen = new ArrayList<>();
        for (final String name : methods)
        {
            try
            {
                chosen.add(ScalarMethod.byName(name));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec.commandLine(), "--methods: " + ex.getMessage());
            }
            if (chosen.get(chosen.size() - 1) == ScalarMethod.ILP)
            {
                throw new ParameterException(spec.commandLine(), "--methods: ilp has no curve; use the others");
            }
        }
        final List<BidResponses> bids = ResponsesCsvReader.read(responses, 3);
        BidResponses selected = bids.get(0);
        if (bid != null)
        {
            selected = null;
            for (final BidResponses b : bids)
            {
                if (b.bid() == bid)
                {
                    selected = b;
                }
            }
            if (selected == null)
            {
                throw new ParameterException(spec.commandLine(), "--bid " + bid + " is not in " + responses);
            }
        }
        final List<TradeoffCurve.Point> points = TradeoffCurve.compute(selected, chosen, rhoFrom, rhoTo, steps, lower,
            upper, direction.equals("increasing"));
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8))
        {
            writer.write("bid,series,rho,scalar,performanceDelta,engagementDelta,efficiency\n");
            for (final TradeoffCurve.Point p : points)
            {
                writer.write(String.format(Locale.ROOT, "%d,%s,%s,%s,%.9g,%.9g,%s%n", selected.bid(), p.series(),
                    Double.isNaN(p.rho()) ? "" : String.format(Locale.ROOT, "%.6g", p.rho()),
                    Double.isNaN(p.scalar()) ? "" : String.format(Locale.ROOT, "%.6g", p.scalar()),
                    p.deltas().performanceDelta(), p.deltas().engagementDelta(),
                    Double.isNaN(p.deltas().efficiency()) ? "" :
                    String.format(Locale.ROOT, "%.6g", p.deltas().efficiency())));
            }
        }
        if (plot != null)
        {
            Files.writeString(plot, CurvePlot.svg("Opus trade-off, bid " + selected.bid() + " (" +
                selected.cohortCount() + " cohorts, " + direction + ")", points));
        }
        for (final TradeoffCurve.Point p : points)
        {
            if (p.series().contains(":"))
            {
                out().printf(Locale.ROOT, "%-32s rho %+.5f  performance %+.4f%%  engagement %+.4f%%%n", p.series(),
                    p.rho(), 100 * p.deltas().performanceDelta(), 100 * p.deltas().engagementDelta());
            }
        }
        out().println("wrote " + out + (plot != null ? " and " + plot : ""));
        return ExitCodes.OK;
    }
}
