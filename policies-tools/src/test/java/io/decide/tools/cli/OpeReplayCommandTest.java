package io.decide.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.decide.engine.adslot.AdSlotContext;
import io.decide.engine.adslot.AdSlotDecider;
import io.decide.engine.adslot.AdSlotDecision;
import io.decide.engine.adslot.AdSlotLogging;
import io.decide.engine.log.DecisionLog;
import io.decide.engine.log.DecisionLogConfig;
import io.decide.engine.log.DecisionLogReader;
import io.decide.engine.log.DecisionRecordFlyweight;
import io.decide.engine.registry.ArtifactLoader;
import io.decide.engine.registry.LoadOptions;
import io.decide.engine.registry.LoadedArtifact;
import io.decide.format.ArtifactWriter;
import io.decide.tools.adload.AdLoadSimulator;
import io.decide.tools.adload.AdSlotPatterns;
import io.decide.tools.adload.AdSlotTraffic;
import io.decide.tools.adslot.AdSlotArtifactBuilder;
import io.decide.tools.log.Rewards;
import io.decide.tools.ope.replay.PolicyReplay;
import io.decide.testsupport.RandomEnsembles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code decide ope --policy}: the engine's decider computes π_e from the decision log. The log is written by a
 * model policy (joint random GBDTs, softmax, floor) serving simulated traffic through {@link AdSlotLogging}, so the
 * logged vectors are the serving decider's; replaying that artifact must give them back bit for bit, and replaying
 * another artifact must give the estimates the CSV path gives on the same data (log join + dist.csv + q.csv).
 */
class OpeReplayCommandTest
{
    private static final int ROWS = 3_000;
    private static final double LAMBDA = 0.7;
    /** Gap 2 with the first slot forbidden: an ad right after the last feed's last ad is not allowed. */
    private static final AdSlotPatterns PATTERNS = AdSlotPatterns.enumerate(5, 2, 0b1, 2);

    @TempDir
    Path dir;

    private final List<LoadedArtifact> loaded = new ArrayList<>();
    private Path logDir;
    private Path rewards;
    private Path served;
    private Path fatigue;
    private Path modelOnly;

    private static AdSlotArtifactBuilder builder(final String name)
    {
        final AdSlotArtifactBuilder builder = new AdSlotArtifactBuilder(name, 4);
        final AdSlotPatterns p = PATTERNS;
        builder.policy().actionSpace(p.slots(), p.maxAds(), p.forbiddenMask(), p.minGap());
        return builder;
    }

    private static AdSlotArtifactBuilder models(final String name, final long seed)
    {
        final AdSlotArtifactBuilder b = builder(name);
        final RandomEnsembles.Shape shape = new RandomEnsembles.Shape(AdSlotTraffic.CONTEXT_FEATURES + 2, 1, 30, 4,
            false, false);
        b.jointModels(RandomEnsembles.ensemble(new Random(seed), shape),
            RandomEnsembles.ensemble(new Random(seed + 1), shape));
        return b;
    }

    private Path write(final AdSlotArtifactBuilder builder, final String file) throws Exception
    {
        final Path path = dir.resolve(file);
        ArtifactWriter.writeAtomically(path, builder.toBytes());
        return path;
    }

    private AdSlotDecider open(final Path file) throws Exception
    {
        final LoadedArtifact artifact = new ArtifactLoader(LoadOptions.defaults()).open(file);
        loaded.add(artifact);
        return AdSlotDecider.of(artifact, 0);
    }

    @BeforeEach
    void logSimulatedTraffic() throws Exception
    {
        final AdSlotArtifactBuilder serving = models("serving", 11);
        serving.policy().lambda(LAMBDA).softmax(0.3).floor(0.01);
        served = write(serving, "serving.dpol");
        final AdSlotArtifactBuilder fatigueBuilder = builder("fatigue");
        fatigueBuilder.contextFeatures(AdSlotTraffic.CONTEXT_FEATURES);
        fatigueBuilder.policy().fatigueBaseline(AdLoadSimulator.FATIGUE, 0.55, 0, 4).epsilonGreedy(0.1);
        fatigue = write(fatigueBuilder, "fatigue.dpol");
        final AdSlotArtifactBuilder model = models("rewards", 21);
        model.policy().lambda(LAMBDA);
        modelOnly = write(model, "model.dpol");

        final AdSlotDecider decider = open(served);
        logDir = dir.resolve("log");
        rewards = dir.resolve("rewards.csv");
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(logDir).withMaxActions(16)
            .withMaxFeatures(AdSlotTraffic.CONTEXT_FEATURES + AdSlotLogging.REPLAY_FIELDS)))
        {
            AdSlotTraffic.run(new AdLoadSimulator(PATTERNS, 3, LAMBDA), decider,
                new AdSlotLogging(log, decider, true), rewards, ROWS, 5, 1_000_000_000L);
        }
    }

    @AfterEach
    void close()
    {
        for (final LoadedArtifact artifact : loaded)
        {
            artifact.close();
        }
    }

    @Test
    void replayOfTheServingArtifactGivesBackEveryLoggedProbabilityVector() throws Exception
    {
        final AdSlotDecider decider = open(served);
        final PolicyReplay.Result result = PolicyReplay.replay(logDir, Rewards.read(rewards), LAMBDA, decider, null,
            null);
        assertEquals(ROWS, result.rows());
        final int p = decider.patternCount();
        boolean sawGap = false;
        try (DecisionLogReader reader = DecisionLogReader.open(logDir))
        {
            int i = 0;
            while (reader.next())
            {
                final DecisionRecordFlyweight record = reader.record();
                final double[] logged = new double[p];
                for (int a = 0; a < p; a++)
                {
                    logged[a] = record.probability(a);
                    sawGap |= logged[a] == 0;
                }
                final double[] replayed = new double[p];
                System.arraycopy(result.dist(), i * p, replayed, 0, p);
                assertArrayEquals(logged, replayed, "record " + i);
                assertEquals(record.requestId(), result.requestIds()[i]);
                assertEquals(record.propensity(), result.log().pscore(i));
                assertEquals(record.action(), result.log().action(i));
                i++;
            }
            assertEquals(ROWS, i);
        }
        assertTrue(sawGap, "no logged decision had a pattern removed by the cross-feed gap");
        final CliRun.Result run = CliRun.run("ope", "--policy", served, "--log", logDir, "--rewards", rewards,
            "--lambda", LAMBDA, "--out", dir.resolve("self.json"));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        final JsonNode json = new ObjectMapper().readTree(dir.resolve("self.json").toFile());
        assertEquals(1.0, json.get("diagnostics").get("maxWeight").asDouble(), 1e-12, "π_e = π_0: every weight 1");
    }

    @Test
    void replayEstimatesMatchTheCsvPathOnTheSameData() throws Exception
    {
        final CliRun.Result replay = CliRun.run("ope", "--policy", fatigue, "--log", logDir, "--rewards", rewards,
            "--lambda", LAMBDA, "--reward-model", modelOnly, "--estimators", "dm,ipw,snipw,dr,sndr",
            "--out", dir.resolve("replay.json"));
        assertEquals(ExitCodes.OK, replay.exitCode(), replay.toString());
        assertTrue(replay.out().contains("replayed 3000 of 3000 log records through fatigue v4"), replay.out());

        final Path joined = dir.resolve("joined.csv");
        final CliRun.Result join = CliRun.run("log", "join", "--log", logDir, "--rewards", rewards, "--lambda", LAMBDA,
            "--out", joined);
        assertEquals(ExitCodes.OK, join.exitCode(), join.toString());
        final AdSlotDecider candidate = open(fatigue);
        final AdSlotDecider model = open(modelOnly);
        final AdSlotContext candidateContext = candidate.newContext();
        final AdSlotContext modelContext = model.newContext();
        final int p = candidate.patternCount();
        final int c = candidate.contextFeatureCount();
        final Path dist = dir.resolve("dist.csv");
        final Path q = dir.resolve("q.csv");
        try (DecisionLogReader reader = DecisionLogReader.open(logDir);
            BufferedWriter d = Files.newBufferedWriter(dist);
            BufferedWriter e = Files.newBufferedWriter(q))
        {
            final StringBuilder header = new StringBuilder();
            for (int a = 0; a < p; a++)
            {
                header.append(a > 0 ? "," : "").append('a').append(a);
            }
            d.write(header + "\n");
            e.write(header + "\n");
            final double[] row = new double[c];
            while (reader.next())
            {
                final DecisionRecordFlyweight r = reader.record();
                for (int f = 0; f < c; f++)
                {
                    row[f] = r.feature(f);
                }
                final AdSlotDecision chosen = candidate.replay(r.requestId(), r.userId(), row, (int)r.feature(c),
                    r.feature(c + 1) == 1, candidateContext);
                final StringBuilder line = new StringBuilder();
                for (int a = 0; a < p; a++)
                {
                    line.append(a > 0 ? "," : "").append(chosen.probability(a));
                }
                d.write(line + "\n");
                final AdSlotDecision scored = model.replay(r.requestId(), r.userId(), row, 0, false, modelContext);
                line.setLength(0);
                for (int a = 0; a < p; a++)
                {
                    line.append(a > 0 ? "," : "").append(scored.reward(a));
                }
                e.write(line + "\n");
            }
        }
        final CliRun.Result csv = CliRun.run("ope", "--log", joined, "--action-dist", dist, "--estimated-rewards", q,
            "--estimators", "dm,ipw,snipw,dr,sndr", "--out", dir.resolve("csv.json"));
        assertEquals(ExitCodes.OK, csv.exitCode(), csv.toString());
        final JsonNode a = new ObjectMapper().readTree(dir.resolve("replay.json").toFile());
        final JsonNode b = new ObjectMapper().readTree(dir.resolve("csv.json").toFile());
        for (final String estimator : List.of("dm", "ipw", "snipw", "dr", "sndr"))
        {
            final double va = a.get(estimator).get("value").asDouble();
            final double vb = b.get(estimator).get("value").asDouble();
            assertTrue(Double.isFinite(va), estimator);
            assertEquals(vb, va, 1e-12 * Math.max(1, Math.abs(vb)), estimator + "\n" + a + "\n" + b);
            for (int k = 0; k < 2; k++)
            {
                assertEquals(b.get(estimator).get("ci").get(k).asDouble(), a.get(estimator).get("ci").get(k)
                    .asDouble(), 1e-12 * Math.max(1, Math.abs(vb)), estimator);
            }
        }
        assertEquals(b.get("diagnostics").get("ess").asDouble(), a.get("diagnostics").get("ess").asDouble(), 1e-9);
        assertTrue(a.get("diagnostics").get("maxWeight").asDouble() > 1, "the candidate differs from the logger");
    }

    @Test
    void aLogWithoutReplayRowsIsRefusedNamingTheRecord() throws Exception
    {
        final Path bare = dir.resolve("bare");
        final AdSlotDecider decider = open(served);
        try (DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(bare).withMaxActions(16)))
        {
            final AdSlotLogging logging = new AdSlotLogging(log, decider, false);
            final AdSlotContext context = decider.newContext();
            logging.log(decider.replay(1, 1, new double[AdSlotTraffic.CONTEXT_FEATURES], 3, true, context));
        }
        final CliRun.Result run = CliRun.run("ope", "--policy", served, "--log", bare, "--rewards", rewards,
            "--lambda", LAMBDA, "--out", dir.resolve("bare.json"));
        assertEquals(ExitCodes.IO_ERROR, run.exitCode(), run.toString());
        assertTrue(run.err().contains("offset ") && run.err().contains(": 0 features, replay needs C + 2 = 7"),
            run.err());
        final CliRun.Result noModel = CliRun.run("ope", "--policy", served, "--log", logDir, "--rewards", rewards,
            "--lambda", LAMBDA, "--estimators", "dr", "--out", dir.resolve("x.json"));
        assertEquals(ExitCodes.USAGE, noModel.exitCode(), noModel.toString());
        assertTrue(noModel.err().contains("give --reward-model model.dpol"), noModel.err());
    }
}
