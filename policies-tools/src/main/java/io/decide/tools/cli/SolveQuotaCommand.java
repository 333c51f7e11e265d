package io.decide.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.decide.format.ArtifactWriter;
import io.decide.format.SectionType;
import io.decide.format.quota.QuotaDualDescriptor;
import io.decide.format.quota.QuotaDualWriter;
import io.decide.format.vectors.Tolerance;
import io.decide.format.vectors.VerificationVectorsWriter;
import io.decide.engine.quota.QuotaDecider;
import io.decide.tools.quota.DualBisection;
import io.decide.tools.quota.QuotaFiles;
import io.decide.tools.quota.QuotaInstance;
import io.decide.tools.quota.ValueCurves;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** {@code decide solve-quota}: solve the creative-quota dual λ by bisection and write a QUOTA_DUAL artifact. */
@Command(
    name = "solve-quota",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Solve the creative-quota dual (ACQ) and write a QUOTA_DUAL artifact.",
    description = {
        "Reads items.csv (item,k,cost,value or item,k,cost,pvalue,explore with --explore-weight) or items.bin " +
        "(see docs/QUOTA.md), checks the value curves (monotone, diminishing) and optionally repairs them, then " +
        "bisects for the smallest λ at which every item taking k* = argmax_k (value - λ·cost) (ties to the lower " +
        "cost) keeps Σ cost <= C. Writes the artifact (QUOTA_DUAL, VERIFICATION_VECTORS of 64 items' choices that " +
        "the engine replays at load, METADATA certificate), report.json and " +
        "optionally the assignments (item,k). With --sample f, λ is solved on a random fraction f of the items at " +
        "capacity f'·C (f' the fraction actually drawn) and applied to all; the report gives the budget deviation " +
        "on the full set. Malformed input exits 3 with a message naming the file, line and column.",
    })
public final class SolveQuotaCommand extends CliCommand
{
    /** Verification vectors written into the artifact. */
    static final int VECTORS = 64;

    @Option(names = "--items", required = true, paramLabel = "FILE", description = "items.csv or items.bin.")
    Path items;

    @Option(names = "--capacity", required = true, paramLabel = "C", description = "Budget: Σ cost must stay <= C.")
    double capacity;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Artifact to write (.dpol).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE", description = "report.json to write.")
    Path report;

    @Option(names = "--assignments", paramLabel = "FILE", description = "Write item,k choices at the solved λ.")
    Path assignments;

    @Option(names = "--sample", paramLabel = "F", description = "Solve on a random fraction F in (0, 1] of the items.")
    Double sample;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of --sample (default: 1).")
    long seed;

    @Option(names = "--repair", description = "Project value curves to monotone, diminishing ones before solving.")
    boolean repair;

    @Option(names = "--explore-weight", paramLabel = "W",
        description = "value = pvalue + W·explore for CSVs with pvalue,explore columns; stored in the artifact.")
    Double exploreWeight;

    @Option(names = "--threads", paramLabel = "T", description = "Solver threads (default: available processors).")
    Integer threads;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "quota",
        description = "Artifact name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--artifact-version", paramLabel = "V", defaultValue = "1",
        description = "Artifact version (default: ${DEFAULT-VALUE}).")
    long artifactVersion;

    @Option(names = "--pacing-gain", paramLabel = "G", defaultValue = "0",
        description = "Pacing gain to store for QuotaPacer; 0 = the pacer's default.")
    double pacingGain;

    /** Creates the command; picocli instantiates it. */
    public SolveQuotaCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        if (!Double.isFinite(capacity) || capacity < 0)
        {
            throw new ParameterException(spec.commandLine(), "--capacity must be finite and >= 0: " + capacity);
        }
        if (sample != null && !(sample > 0 && sample <= 1))
        {
            throw new ParameterException(spec.commandLine(), "--sample must be in (0, 1]: " + sample);
        }
        if (exploreWeight != null && !(exploreWeight >= 0 && Double.isFinite(exploreWeight)))
        {
            throw new ParameterException(spec.commandLine(), "--explore-weight must be finite and >= 0");
        }
        final int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1 || threadCount > 256)
        {
            throw new ParameterException(spec.commandLine(), "--threads must be 1..256: " + threadCount);
        }
        final long readStart = System.nanoTime();
        final QuotaInstance instance = QuotaFiles.read(items, exploreWeight != null ? exploreWeight : Double.NaN);
        final long readNs = System.nanoTime() - readStart;
        final ValueCurves.Report curves = repair ? ValueCurves.repair(instance) : ValueCurves.check(instance);

        final Map<String, Object> json = new LinkedHashMap<>();
        try (DualBisection solver = new DualBisection(threadCount))
        {
            final DualBisection.Solution solution;
            final Map<String, Object> sampleJson = new LinkedHashMap<>();
            if (sample == null)
            {
                solution = solve(solver, instance, capacity);
                if (solution == null)
                {
                    return ExitCodes.FAILURE;
                }
            }
            else
            {
                final int[] picked = pick(instance.itemCount(), sample, seed);
                final QuotaInstance part = instance.subset(picked);
                final double partCapacity = capacity * picked.length / Math.max(1, instance.itemCount());
                final DualBisection.Solution onSample = solve(solver, part, partCapacity);
                if (onSample == null)
                {
                    return ExitCodes.FAILURE;
                }
                final long start = System.nanoTime();
                final DualBisection.Pass full = solver.evaluate(instance, onSample.lambda());
                solution = new DualBisection.Solution(onSample.lambda(), full.totalCost(), capacity, full.totalValue(),
                    full.lagrangian() + onSample.lambda() * capacity, onSample.iterations(),
                    onSample.timeNs() + System.nanoTime() - start, instance.itemCount());
                sampleJson.put("fraction", sample);
                sampleJson.put("items", picked.length);
                sampleJson.put("capacity", partCapacity);
                sampleJson.put("totalCost", onSample.totalCost());
                sampleJson.put("fullTotalCost", full.totalCost());
                sampleJson.put("budgetDeviation", capacity > 0 ? (full.totalCost() - capacity) / capacity : 0.0);
            }
            json.put("lambda", solution.lambda());
            json.put("totalCost", solution.totalCost());
            json.put("capacity", capacity);
            json.put("totalValue", solution.totalValue());
            json.put("dualBound", solution.dualBound());
            json.put("gap", solution.gap());
            json.put("iterations", solution.iterations());
            json.put("items", instance.itemCount());
            json.put("options", instance.optionCount());
            json.put("threads", threadCount);
            json.put("solveMillis", solution.timeNs() / 1e6);
            json.put("readMillis", readNs / 1e6);
            final Map<String, Object> curveJson = new LinkedHashMap<>();
            curveJson.put("nonMonotone", curves.nonMonotone());
            curveJson.put("nonDiminishing", curves.nonDiminishing());
            curveJson.put("repaired", repair);
            json.put("curves", curveJson);
            if (!sampleJson.isEmpty())
            {
                json.put("sample", sampleJson);
            }

            final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            final byte[] section = new QuotaDualWriter(instance.costs()).lambda(solution.lambda())
                .exploreWeight(exploreWeight != null ? exploreWeight : 0).capacity(capacity).pacingGain(pacingGain)
                .labels(instance.labels()).toBytes();
            final Map<String, Object> certificate = new LinkedHashMap<>();
            certificate.put("solver", "dual-bisection");
            certificate.put("quota", json);
            new ArtifactWriter(name, artifactVersion)
                .addSection(SectionType.QUOTA_DUAL, QuotaDualDescriptor.VERSION, section)
                .addSection(SectionType.VERIFICATION_VECTORS, 1, vectors(instance, solution.lambda()))
                .metadata(mapper.writeValueAsString(certificate))
                .writeTo(out);
            if (report != null)
            {
                Files.write(report, mapper.writeValueAsBytes(json));
            }
            if (assignments != null)
            {
                final int[] chosen = new int[instance.itemCount()];
                DualBisection.assign(instance, solution.lambda(), chosen);
                QuotaFiles.writeAssignments(instance, chosen, assignments);
            }
            out().printf("lambda %.9g  cost %.6g / %.6g  value %.6g  dual bound %.6g  gap %.4g  iterations %d  " +
                "items %d x %d  %.1f ms%n", solution.lambda(), solution.totalCost(), capacity, solution.totalValue(),
                solution.dualBound(), solution.gap(), solution.iterations(), instance.itemCount(),
                instance.optionCount(), solution.timeNs() / 1e6);
            out().printf("curves: %d not monotone, %d not diminishing%s%n", curves.nonMonotone(),
                curves.nonDiminishing(), repair ? " (repaired before solving)" : "");
            if (!sampleJson.isEmpty())
            {
                out().printf("sample: %d items; full-set cost %.6g, budget deviation %+.4f%%%n", sampleJson.get("items"),
                    solution.totalCost(), 100 * (double)sampleJson.get("budgetDeviation"));
            }
            out().println("wrote " + out);
            return ExitCodes.OK;
        }
    }

    private DualBisection.Solution solve(final DualBisection solver, final QuotaInstance instance, final double c)
    {
        try
        {
            return solver.solve(instance, c);
        }
        catch (final IllegalArgumentException ex)
        {
            err().println(commandName() + ": " + ex.getMessage());
            return null;
        }
    }

    /**
     * Up to {@link #VECTORS} items spread over the instance, as verification vectors the engine replays at load:
     * input {@code [λ, v_0 .. v_{K-1}]}, expected {@code [k*]}, exact.
     */
    static byte[] vectors(final QuotaInstance instance, final double lambda)
    {
        final int k = instance.optionCount();
        final VerificationVectorsWriter writer = new VerificationVectorsWriter();
        final VerificationVectorsWriter.Group group = writer.group(SectionType.QUOTA_DUAL, 0,
            QuotaDecider.MODE_VALUES, k + 1, 1, Tolerance.EXACT, 0);
        final int n = instance.itemCount();
        final int count = Math.min(VECTORS, n);
        for (int j = 0; j < count; j++)
        {
            final int item = (int)((long)j * n / count);
            final double[] input = new double[k + 1];
            input[0] = lambda;
            System.arraycopy(instance.values(), item * k, input, 1, k);
            group.add(input, new double[]{QuotaDecider.argmax(instance.values(), item * k, instance.costs(), k,
                lambda)});
        }
        return writer.toBytes();
    }

    private static int[] pick(final int n, final double fraction, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] picked = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if (random.nextDouble() < fraction)
            {
                picked[count++] = i;
            }
        }
        return java.util.Arrays.copyOf(picked, count);
    }
}
