package io.decide.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.decide.tools.adload.AdLoadFiles;
import io.decide.tools.adload.AdLoadLogger;
import io.decide.tools.adload.AdLoadSimulator;
import io.decide.tools.adload.AdSlotPatterns;
import io.decide.tools.adload.EvaluationPolicy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The options and the run of {@code decide simulate adload} (a mixin of {@link SimulateCommand}). */
final class AdLoadOptions
{
    @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
        description = "adload: logged feed fetches (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "5",
        description = "adload: feed length (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--max-ads", paramLabel = "M", defaultValue = "2",
        description = "adload: most ads per feed (default: ${DEFAULT-VALUE}).")
    int maxAds;

    @Option(names = "--forbidden", paramLabel = "J,...", split = ",", defaultValue = "0",
        description = "adload: 0-based slots where no ad may go (default: ${DEFAULT-VALUE}; 'none' for none).")
    String[] forbidden;

    @Option(names = "--min-gap", paramLabel = "G", defaultValue = "1",
        description = "adload: least organic posts between two ads (default: ${DEFAULT-VALUE}).")
    int minGap;

    @Option(names = "--languages", paramLabel = "L", defaultValue = "3",
        description = "adload: language cohorts (default: ${DEFAULT-VALUE}).")
    int languages;

    @Option(names = "--lambda", paramLabel = "λ", defaultValue = "0.8",
        description = "adload: reward = λ·SAT + (1-λ)·ADS (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--contexts", paramLabel = "FILE", description = "adload: write contexts.csv.")
    Path contexts;

    @Option(names = "--joined", paramLabel = "FILE", description = "adload: write joined.csv (train-reward input).")
    Path joined;

    @Option(names = "--dist", paramLabel = "FILE", description = "adload: write dist.csv for --eval-policy.")
    Path dist;

    @Option(names = "--q", paramLabel = "FILE", description = "adload: write q.csv (noisy true rewards).")
    Path q;

    @Option(names = "--truth", paramLabel = "FILE", description = "adload: write the policies' true values (JSON).")
    Path truth;

    @Option(names = "--eval-policy", paramLabel = "P", defaultValue = "softmax",
        description = "adload: uniform, static, fatigue or softmax (default: ${DEFAULT-VALUE}).")
    String evalPolicy;

    @Option(names = "--eval-epsilon", paramLabel = "E", defaultValue = "0.1",
        description = "adload: uniform share mixed into the evaluation policy (default: ${DEFAULT-VALUE}).")
    double evalEpsilon;

    @Option(names = "--static-offset", paramLabel = "J", defaultValue = "1",
        description = "adload: static baseline's first ad slot (default: ${DEFAULT-VALUE}).")
    int staticOffset;

    @Option(names = "--static-gap", paramLabel = "G", defaultValue = "2",
        description = "adload: static baseline's posts between ads (default: ${DEFAULT-VALUE}).")
    int staticGap;

    @Option(names = "--fatigue-threshold", paramLabel = "θ", defaultValue = "0.6",
        description = "adload: fatigue baseline shows no ads above θ (default: ${DEFAULT-VALUE}).")
    double fatigueThreshold;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.3",
        description = "adload: softmax temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--q-noise", paramLabel = "S", defaultValue = "0.3",
        description = "adload: sd of q.csv's additive noise (default: ${DEFAULT-VALUE}).")
    double qNoise;

    @Option(names = "--q-bias", paramLabel = "B", defaultValue = "0.1",
        description = "adload: q.csv's relative bias (default: ${DEFAULT-VALUE}).")
    double qBias;

    @Option(names = "--truth-samples", paramLabel = "N", defaultValue = "1000000",
        description = "adload: contexts for the population truth (default: ${DEFAULT-VALUE}).")
    int truthSamples;

    int run(final CommandSpec spec, final Path out, final long seed, final PrintWriter stdout) throws IOException
    {
        if (out == null)
        {
            throw new ParameterException(spec.commandLine(), "simulate adload needs --out log.csv");
        }
        if (rows < 1 || rows > Integer.MAX_VALUE - 16 || truthSamples < 1)
        {
            throw new ParameterException(spec.commandLine(), "--rows must be 1..2^31-17, --truth-samples >= 1");
        }
        int forbiddenMask = 0;
        for (final String f : forbidden)
        {
            if (f.equals("none"))
            {
                continue;
            }
            final int slot;
            try
            {
                slot = Integer.parseInt(f.strip());
            }
            catch (final NumberFormatException ex)
            {
                throw new ParameterException(spec.commandLine(), "--forbidden: not a slot number: " + f);
            }
            if (slot < 0 || slot >= slots || slot >= AdSlotPatterns.MAX_SLOTS)
            {
                throw new ParameterException(spec.commandLine(), "--forbidden: slot " + slot + " outside 0.." +
                    (slots - 1));
            }
            forbiddenMask |= 1 << slot;
        }
        final AdSlotPatterns patterns;
        final AdLoadSimulator simulator;
        final EvaluationPolicy policy;
        final Map<String, EvaluationPolicy> baselines = new LinkedHashMap<>();
        try
        {
            patterns = AdSlotPatterns.enumerate(slots, maxAds, forbiddenMask, minGap);
            simulator = new AdLoadSimulator(patterns, languages, lambda);
            policy = policy(EvaluationPolicy.kind(evalPolicy), simulator, evalEpsilon);
            for (final EvaluationPolicy.Kind kind : EvaluationPolicy.Kind.values())
            {
                baselines.put(kind.name().toLowerCase(java.util.Locale.ROOT), policy(kind, simulator, 0));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        if (!(qNoise >= 0) || !Double.isFinite(qBias))
        {
            throw new ParameterException(spec.commandLine(), "--q-noise must be >= 0 and --q-bias finite");
        }
        final long start = System.nanoTime();
        final AdLoadLogger logger = new AdLoadLogger(simulator, policy, qNoise, qBias, seed);
        final AdLoadLogger.Row row = logger.newRow();
        double truthSum = 0;
        double rewardSum = 0;
        try (AdLoadFiles files = new AdLoadFiles(patterns, out, contexts, joined, dist, q))
        {
            for (long i = 0; i < rows; i++)
            {
                logger.next(row);
                files.write(row);
                truthSum += row.truth;
                rewardSum += row.reward;
            }
        }
        final double conditional = truthSum / rows;
        final double[] population = AdLoadLogger.populationValue(simulator, policy, truthSamples, seed + 1);
        stdout.printf("wrote %s: %d feeds, %d slots, %d patterns (uniform logging, pscore 1/%d), %.0f ms%n", out, rows,
            slots, patterns.count(), patterns.count(), (System.nanoTime() - start) / 1e6);
        stdout.printf("evaluation policy %s (epsilon %.3g): true value on these contexts %.6f, population %.6f " +
            "± %.2g (%d contexts); logged mean reward %.6f%n", evalPolicy, evalEpsilon, conditional, population[0],
            population[1], truthSamples, rewardSum / rows);
        if (truth != null)
        {
            final Map<String, Object> json = new LinkedHashMap<>();
            json.put("rows", rows);
            json.put("patterns", patterns.count());
            json.put("lambda", lambda);
            final Map<String, Object> evaluation = new LinkedHashMap<>();
            evaluation.put("policy", evalPolicy);
            evaluation.put("epsilon", evalEpsilon);
            evaluation.put("valueOnLoggedContexts", conditional);
            evaluation.put("populationValue", population[0]);
            evaluation.put("populationStandardError", population[1]);
            json.put("evaluation", evaluation);
            final Map<String, Object> others = new LinkedHashMap<>();
            for (final Map.Entry<String, EvaluationPolicy> e : baselines.entrySet())
            {
                final double[] v = AdLoadLogger.populationValue(simulator, e.getValue(), truthSamples, seed + 1);
                others.put(e.getKey(), v[0]);
            }
            json.put("populationValues", others);
            Files.write(truth, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
        }
        return ExitCodes.OK;
    }

    private EvaluationPolicy policy(final EvaluationPolicy.Kind kind, final AdLoadSimulator simulator,
        final double epsilon)
    {
        return new EvaluationPolicy(kind, simulator, epsilon, staticOffset, staticGap, fatigueThreshold,
            temperature);
    }
}
