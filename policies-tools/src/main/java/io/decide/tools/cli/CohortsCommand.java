package io.decide.tools.cli;

import io.decide.engine.cohort.CohortTable;
import io.decide.tools.cohort.UsersCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code decide cohorts load}: build the per-user cohort table (a persisted Chronicle Map) from users.csv. */
@Command(
    name = "cohorts",
    mixinStandardHelpOptions = true,
    versionProvider = DecideVersion.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    usageHelpAutoWidth = true,
    header = "Build the per-user cohort table (users.cmap, a Chronicle Map) from users.csv.",
    description = {
        "load: reads users.csv with a header user_id,bid0,bid1,... (one row per user: a signed 64-bit id and an " +
        "integer cohort 0..254 per quality bid) and writes the table the engine's CohortTable opens, through a " +
        "temporary file renamed over --out. Reopens the result and checks every user before reporting. " +
        "Malformed input exits 3 with a message naming the file, line and column.",
    })
public final class CohortsCommand extends CliCommand
{
    @Parameters(index = "0", paramLabel = "ACTION", description = "load.")
    String action;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "users.csv.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Table file to write (users.cmap).")
    Path out;

    /** Creates the command; picocli instantiates it. */
    public CohortsCommand()
    {
    }

    @Override
    int execute() throws IOException
    {
        if (!"load".equals(action))
        {
            throw new ParameterException(spec.commandLine(), "unknown action '" + action + "', expected load");
        }
        final long start = System.nanoTime();
        final UsersCsv users = UsersCsv.read(in);
        users.writeTable(out);
        final long built = System.nanoTime();
        try (CohortTable table = CohortTable.open(out))
        {
            final int bids = users.bidCount();
            final int[] cohorts = new int[bids];
            final io.decide.engine.cohort.CohortReader reader = table.newReader();
            for (int u = 0; u < users.userCount(); u++)
            {
                final int got = reader.lookup(users.userIds()[u], cohorts);
                for (int b = 0; b < bids && got == bids; b++)
                {
                    if (cohorts[b] != (users.cohorts()[u * bids + b] & 0xFF))
                    {
                        err().println(commandName() + ": " + out + ": user " + users.userIds()[u] +
                            " reads back cohort " + cohorts[b] + " for bid " + b);
                        return ExitCodes.FAILURE;
                    }
                }
                if (got != bids)
                {
                    err().println(commandName() + ": " + out + ": user " + users.userIds()[u] + " missing after load");
                    return ExitCodes.FAILURE;
                }
            }
        }
        out().printf("users %d  bids %d  %d bytes  %.1f ms (checked)%nwrote %s%n", users.userCount(),
            users.bidCount(), Files.size(out), (built - start) / 1e6, out);
        return ExitCodes.OK;
    }
}
