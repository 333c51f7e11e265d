package io.decide.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.decide.engine.quota.QuotaPacer;
import io.decide.tools.quota.DualBisection;
import io.decide.tools.quota.ItemsBinary;
import io.decide.tools.quota.PacingSimulation;
import io.decide.tools.quota.QuotaFiles;
import io.decide.tools.quota.QuotaInstance;
import io.decide.tools.quota.QuotaSimulator;
import io.decide.tools.scalars.ResponseSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code decide simulate quota|pacing}: generate quota instances, or replay a day of paced quota decisions. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Simulate quota instances (quota), a day of paced quota decisions under drift (pacing), Opus RCT " +
        "responses (scalars), or logged ad-load bandit feedback (adload).",
    description = {
        "quota: writes N items x K options: option k costs k; a share --zero-share of items earns nothing, the " +
        "others follow v_k = a·(1 - exp(-b·k)) (monotone, diminishing), a log-normal, b in [0.2, 1.5]; --noise " +
        "adds relative Gaussian noise. Written as items.bin, or as items.csv when --out ends with .csv.",
        "pacing: solves λ0 on yesterday's simulated requests at C = --budget-share of their unconstrained spend, " +
        "then replays today's requests under each drift scenario (none, cost x1.3, value x1.5) with λ0 frozen and " +
        "with λ from QuotaPacer; prints the share of the hindsight optimum (against its LP dual bound) and when the " +
        "budget ran out. Exit code 1 if a paced run fell below --min-share or any run overspent.",
        "scalars: writes responses.csv for --bids x --cohorts x --scalars from known ground-truth curves (engagement " +
        "linear, falling with the scalar for sensitive cohorts; performance concave quadratic, rising) plus " +
        "relative Gaussian noise --response-noise; the truth depends on --seed only (see docs/SCALARS.md).",
        "adload: writes log.csv of --rows feed fetches logged by a uniform-random policy over the allowed ad-slot " +
        "patterns (--slots, --max-ads, --forbidden, --min-gap), from users with heterogeneous ad tolerance, " +
        "fatigue, language cohorts, position effects and abandonment; optionally contexts.csv, joined.csv, and " +
        "dist.csv / q.csv for --eval-policy, whose true value it prints (see docs/OPE.md).",
    })
public final class SimulateCommand extends CliCommand
{
    @Parameters(index = "0", paramLabel = "KIND", description = "quota, pacing, scalars or adload.")
    String kind;

    @Option(names = "--items", paramLabel = "N", defaultValue = "100000",
        description = "quota: items; pacing: requests per day (default: ${DEFAULT-VALUE}).")
    int itemCount;

    @Option(names = "--options", paramLabel = "K", defaultValue = "10", description = "Options per item (default: 10).")
    int options;

    @Option(names = "--out", paramLabel = "FILE", description = "quota: items.bin (or .csv) to write.")
    Path out;

    @Option(names = "--zero-share", paramLabel = "Z", defaultValue = "0.8",
        description = "Share of items that earn nothing (default: ${DEFAULT-VALUE}).")
    double zeroShare;

    @Option(names = "--noise", paramLabel = "S", defaultValue = "0",
        description = "quota: relative noise on values (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: 1).")
    long seed;

    @Option(names = "--budget-share", paramLabel = "B", defaultValue = "0.5",
        description = "pacing: budget as a share of unconstrained spend (default: ${DEFAULT-VALUE}).")
    double budgetShare;

    @Option(names = "--updates", paramLabel = "U", defaultValue = "500",
        description = "pacing: pacer updates per day (default: ${DEFAULT-VALUE}).")
    int updates;

    @Option(names = "--gain", paramLabel = "G", defaultValue = "0.5",
        description = "pacing: pacer gain (default: ${DEFAULT-VALUE}).")
    double gain;

    @Option(names = "--min-share", paramLabel = "S", defaultValue = "0.98",
        description = "pacing: least acceptable paced share of the hindsight bound (default: ${DEFAULT-VALUE}).")
    double minShare;

    @Option(names = "--json", paramLabel = "FILE", description = "pacing: also write the results as JSON.")
    Path json;

    @Option(names = "--threads", paramLabel = "T", description = "Solver threads (default: available processors).")
    Integer threads;

    @Option(names = "--bids", paramLabel = "Q", defaultValue = "1",
        description = "scalars: quality bids (default: ${DEFAULT-VALUE}).")
    int bids;

    @Option(names = "--cohorts", paramLabel = "N", defaultValue = "10",
        description = "scalars: cohorts per bid (default: ${DEFAULT-VALUE}).")
    int cohorts;

    @Option(names = "--scalars", paramLabel = "A,B,...", split = ",",
        defaultValue = "0.5,0.75,1,1.25,1.5,2", description = "scalars: tested scalars (default: ${DEFAULT-VALUE}).")
    double[] scalars;

    @Option(names = "--response-noise", paramLabel = "S", defaultValue = "0.002",
        description = "scalars: relative noise on responses (default: ${DEFAULT-VALUE}).")
    double responseNoise;

    @Mixin
    AdLoadOptions adload;

    /** Creates the command; picocli instantiates it. */
    public SimulateCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        if (itemCount < 1 || options < 1 || options > ItemsBinary.MAX_OPTIONS ||
            (long)itemCount * options > Integer.MAX_VALUE - 8)
        {
            throw new ParameterException(spec.commandLine(), "--items must be >= 1 and --options 1.." +
                ItemsBinary.MAX_OPTIONS + " with items x options < 2^31");
        }
        if (!(zeroShare >= 0 && zeroShare <= 1) || !(noise >= 0))
        {
            throw new ParameterException(spec.commandLine(), "--zero-share must be in [0, 1], --noise >= 0");
        }
        switch (kind)
        {
            case "quota": return quota();
            case "pacing": return pacing();
            case "scalars": return scalars();
            case "adload": return adload.run(spec, out, seed, out());
            default: throw new ParameterException(spec.commandLine(), "KIND must be quota, pacing, scalars or adload: " +
                kind);
        }
    }

    private int quota() throws IOException
    {
        if (out == null)
        {
            throw new ParameterException(spec.commandLine(), "simulate quota needs --out FILE");
        }
        final long start = System.nanoTime();
        final QuotaInstance instance = QuotaSimulator.generate(itemCount, options, zeroShare, noise, seed);
        if (out.getFileName().toString().endsWith(".csv"))
        {
            QuotaFiles.writeCsv(instance, out);
        }
        else
        {
            ItemsBinary.write(instance, out);
        }
        try (DualBisection solver = new DualBisection(threadCount()))
        {
            final double unconstrained = solver.evaluate(instance, 0).totalCost();
            out().printf("wrote %s: %d items x %d options in %.0f ms; unconstrained spend %.6g (a capacity below " +
                "that binds)%n", out, itemCount, options, (System.nanoTime() - start) / 1e6, unconstrained);
        }
        return ExitCodes.OK;
    }

    private int scalars() throws IOException
    {
        if (out == null)
        {
            throw new ParameterException(spec.commandLine(), "simulate scalars needs --out FILE");
        }
        if (bids < 1 || cohorts < 1 || scalars.length < 1 || !(responseNoise >= 0))
        {
            throw new ParameterException(spec.commandLine(),
                "--bids and --cohorts must be >= 1, --scalars non-empty, --response-noise >= 0");
        }
        for (final double s : scalars)
        {
            if (!Double.isFinite(s))
            {
                throw new ParameterException(spec.commandLine(), "--scalars must be finite: " + s);
            }
        }
        final ResponseSimulator simulator = new ResponseSimulator(bids, cohorts, seed);
        ResponseSimulator.writeCsv(simulator.responses(scalars, responseNoise, seed + 1), out);
        out().printf("wrote %s: %d bids x %d cohorts x %d scalars (truth seed %d; engagement falls with the scalar " +
            "for sensitive cohorts: solve with --direction decreasing)%n", out, bids, cohorts, scalars.length, seed);
        return ExitCodes.OK;
    }

    private int pacing() throws IOException
    {
        if (!(budgetShare > 0 && budgetShare <= 1) || updates < 1 || !(gain > 0) || !Double.isFinite(gain))
        {
            throw new ParameterException(spec.commandLine(),
                "--budget-share must be in (0, 1], --updates >= 1, --gain finite and > 0");
        }
        final List<PacingSimulation.Result> results;
        try (DualBisection solver = new DualBisection(threadCount()))
        {
            results = PacingSimulation.run(itemCount, options, zeroShare, budgetShare, updates, gain, seed, solver);
        }
        out().printf("%d requests x %d options, budget %.6g (%.0f%% of unconstrained), lambda0 %.6g, %d updates, " +
            "gain %s (default %s)%n", itemCount, options, results.get(0).budget(), 100 * budgetShare,
            results.get(0).offlineLambda(), updates, gain, QuotaPacer.DEFAULT_GAIN);
        out().printf("%-11s %12s | %8s %10s %9s | %8s %10s %9s %10s%n", "scenario", "hindsight", "frozen", "spent",
            "ran out", "paced", "spent", "ran out", "lambda");
        boolean ok = true;
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final PacingSimulation.Result r : results)
        {
            out().printf("%-11s %12.6g | %7.2f%% %10.6g %9s | %7.2f%% %10.6g %9s %10.4g%n", r.scenario().name(),
                r.hindsightBound(), 100 * r.frozen().share(), r.frozen().spent(), when(r.frozen().exhaustedAt()),
                100 * r.paced().share(), r.paced().spent(), when(r.paced().exhaustedAt()), r.paced().finalLambda());
            ok &= r.paced().share() >= minShare && r.paced().spent() <= r.budget() && r.frozen().spent() <= r.budget();
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenario", r.scenario().name());
            row.put("budget", r.budget());
            row.put("offlineLambda", r.offlineLambda());
            row.put("hindsightBound", r.hindsightBound());
            row.put("hindsightValue", r.hindsightValue());
            row.put("frozen", r.frozen());
            row.put("paced", r.paced());
            rows.add(row);
        }
        out().println("shares are of the hindsight LP dual bound; 'ran out' is the share of the day at which a charge " +
            "was first refused");
        if (json != null)
        {
            Files.write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(rows));
        }
        if (!ok)
        {
            err().println(commandName() + ": a paced run fell below " + minShare + " of hindsight, or a run overspent");
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    private int threadCount()
    {
        final int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (t < 1 || t > 256)
        {
            throw new ParameterException(spec.commandLine(), "--threads must be 1..256: " + t);
        }
        return t;
    }

    private static String when(final double exhaustedAt)
    {
        return Double.isNaN(exhaustedAt) ? "never" : String.format("%.1f%%", 100 * exhaustedAt);
    }
}
