package io.decide.tools.cli;

import io.decide.tools.demo.AdSlotLoopStep;
import io.decide.tools.demo.DemoArtifacts;
import io.decide.tools.demo.DemoContext;
import io.decide.tools.demo.DemoRunner;
import io.decide.tools.demo.FoundationDemo;
import io.decide.tools.demo.OpusLoopStep;
import io.decide.tools.demo.QuotaLoopStep;
import io.decide.tools.demo.SidecarArtifacts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code decide demo}: the end-to-end demo of artifacts, the registry, hot swap and refusal. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Run the end-to-end demo: publish, serve, hot-swap, refuse, reclaim.",
    description = {
        "Writes artifact 'demo' v1 (FEATURE_SCHEMA, METADATA, a payload of longs all equal to the version, " +
        "VERIFICATION_VECTORS) signed with a fresh Ed25519 key into DIR, and serves it from a PolicyRegistry that " +
        "requires that key. R reader threads then read the payload continuously, each in its own PolicyReader " +
        "scope, checking every long equals the version (anything else is a torn read), while N new versions are " +
        "written atomically and swapped in with registry.reload(). A corrupted artifact and an unsigned one, both " +
        "with higher versions, must be refused while the previous version keeps serving; a good one then takes " +
        "over. Finally the readers stop, every replaced mapping must be reclaimed, and a summary is printed: " +
        "versions served, reads per reader, torn reads (must be 0), loads, refusals, mappings reclaimed, and " +
        "open+validate time per artifact (p50, max). The quota loop runs while the readers are still up: 100,000 " +
        "simulated items are solved by dual bisection, published as a signed QUOTA_DUAL artifact under DIR/quota, " +
        "decided by QuotaDecider, and a day under drift is replayed with a frozen and a paced λ. " +
        "The Opus loop follows: RCT responses of 2 quality bids x 10 cohorts are simulated from known truth, " +
        "solved with lpqc-sorted, published under DIR/opus as a signed COHORT_SCALARS artifact with a GBDT " +
        "sensitivity model per bid and a user->cohort table, loaded by a registry, and 20,000 users' scalars are " +
        "decided both ways by ScalarDecider (defaults for unknown users counted; efficiency against the uniform " +
        "policy on held-out data; decision latency p50/p99). " +
        "The ad-slot loop closes the run under DIR/adslot: 20,000 simulated feed fetches decided by AdSlotDecider " +
        "under a uniform-random logging artifact and written to a decision log with their replay rows; rewards " +
        "joined by request id; SAT and ADS models trained with xgboost4j on half the requests; the ad-slot " +
        "artifact built; the learned policy and the static and fatigue baselines evaluated by replay OPE (IPW, " +
        "SNIPW, DR with 95%% intervals) on the other half, next to the simulator's exact values; the learned " +
        "policy must beat both baselines. " +
        "Exit code 1 if anything was inconsistent.",
    })
public final class DemoCommand extends CliCommand
{
    @Option(names = "--policies", paramLabel = "DIR",
        description = "Policy directory to write into; must hold no .dpol files (default: a new temporary directory).")
    Path policies;

    @Option(names = "--serve-artifacts", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "With --policies: afterwards leave one servable artifact of every decision kind in DIR (the " +
            "quota and Opus scalar artifacts copied up, a GBDT model 'ctr', the ad-slot loop's artifact 'adslot' and " +
            "a static-baseline ad-slot policy 'feed'), so that 'bin/decided --policies DIR --uds PATH " +
            "--cohort-table DIR/opus/users.cmap --state-dir DIR/state' serves them all at once " +
            "(default: ${DEFAULT-VALUE}).")
    boolean serveArtifacts;

    @Option(names = "--versions", paramLabel = "N", defaultValue = "200",
        description = "New versions to swap in under the readers (default: ${DEFAULT-VALUE}).")
    int versions;

    @Option(names = "--readers", paramLabel = "R", defaultValue = "4",
        description = "Reader threads (default: ${DEFAULT-VALUE}).")
    int readers;

    /** Creates the command; picocli instantiates it. */
    public DemoCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        if (versions < 0 || versions > 100_000)
        {
            throw new ParameterException(spec.commandLine(), "--versions must be 0..100000: " + versions);
        }
        if (readers < 1 || readers > 256)
        {
            throw new ParameterException(spec.commandLine(), "--readers must be 1..256: " + readers);
        }
        final Path directory = policyDirectory();
        out().println("decide demo: policy directory " + directory);
        final DemoContext context = new DemoContext(directory, versions, readers, out());
        final DemoRunner.Outcome outcome = FoundationDemo.runner(List.of(new QuotaLoopStep(), new OpusLoopStep(),
            new AdSlotLoopStep())).run(context);
        if (outcome.ioError() != null)
        {
            err().println(commandName() + ": " + describe(outcome.ioError()));
            trace(outcome.ioError());
            return ExitCodes.IO_ERROR;
        }
        if (!outcome.ok())
        {
            err().println(commandName() + ": " + outcome.failures().size() + " problem(s), first: " +
                outcome.failures().get(0));
            return ExitCodes.FAILURE;
        }
        if (policies != null && serveArtifacts)
        {
            for (final Path file : SidecarArtifacts.leaveIn(directory))
            {
                out().println("left for the sidecar: " + file);
            }
            final Path adSlot = AdSlotLoopStep.leaveIn(directory);
            if (adSlot != null)
            {
                out().println("left for the sidecar: " + adSlot);
            }
            out().println("serve them: bin/decided --policies " + directory + " --uds " +
                directory.resolve("decided.sock") + " --cohort-table " +
                directory.resolve(SidecarArtifacts.COHORT_TABLE) + " --state-dir " + directory.resolve("state") +
                " --log " + directory.resolve("decisions"));
        }
        out().println("inspect the result: decide inspect " +
            directory.resolve(DemoArtifacts.fileName(FoundationDemo.lastServed(context))) + " --public-key " +
            directory.resolve("keys/demo-signer.pub.pem"));
        return ExitCodes.OK;
    }

    private Path policyDirectory() throws IOException
    {
        if (policies == null)
        {
            return Files.createTempDirectory("decide-demo-");
        }
        Files.createDirectories(policies);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(policies, "*.dpol"))
        {
            if (stream.iterator().hasNext())
            {
                throw new ParameterException(spec.commandLine(), "--policies " + policies +
                    " already holds .dpol files; give an empty or new directory");
            }
        }
        return policies;
    }
}
