package io.decide.tools.ope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Open Bandit Dataset sample: a copy of {@code ../shared/data/obd}'s men.csv files in
 * {@code src/test/resources/obd} (path from the system property {@code decide.obd.dir}, which policies-tools'
 * Surefire configuration sets), a logging policy's men.csv as a {@link BanditLog} with 0-based positions. A missing
 * directory fails the test (it is not skipped).
 */
public final class ObdSample
{
    /** Items (actions) in the men campaign. */
    public static final int ACTIONS = 34;
    /** Positions in the widget. */
    public static final int POSITIONS = 3;

    private ObdSample()
    {
    }

    /** @return the dataset directory, failing the test with a clear message when it is missing. */
    public static Path directory()
    {
        final String configured = System.getProperty("decide.obd.dir");
        if (configured == null)
        {
            fail("system property decide.obd.dir is not set: run the tests through Maven (policies-tools/pom.xml " +
                "sets it to src/test/resources/obd, a copy of ../shared/data/obd) or pass " +
                "-Ddecide.obd.dir=/path/to/obd");
        }
        final Path dir = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("random/men/men.csv")) || !Files.isRegularFile(dir.resolve(
            "bts/men/men.csv")))
        {
            fail("the Open Bandit Dataset sample is missing: expected " + dir + "/{random,bts}/men/men.csv " +
                "(decide.obd.dir = " + configured + ")");
        }
        return dir;
    }

    /**
     * @param policy "random" or "bts".
     * @return its men.csv as a log: action = item_id, position = position - 1, reward = click, pscore =
     *         propensity_score.
     * @throws IOException when unreadable.
     */
    public static BanditLog read(final String policy) throws IOException
    {
        final Path file = directory().resolve(policy).resolve("men").resolve("men.csv");
        try (CsvCursor csv = CsvCursor.open(file))
        {
            final int item = csv.requireColumn("item_id", "OBD columns");
            final int position = csv.requireColumn("position", "OBD columns");
            final int click = csv.requireColumn("click", "OBD columns");
            final int pscore = csv.requireColumn("propensity_score", "OBD columns");
            int[] actions = new int[16_384];
            int[] positions = new int[16_384];
            double[] rewards = new double[16_384];
            double[] pscores = new double[16_384];
            int n = 0;
            while (csv.next())
            {
                if (n == actions.length)
                {
                    actions = java.util.Arrays.copyOf(actions, 2 * n);
                    positions = java.util.Arrays.copyOf(positions, 2 * n);
                    rewards = java.util.Arrays.copyOf(rewards, 2 * n);
                    pscores = java.util.Arrays.copyOf(pscores, 2 * n);
                }
                actions[n] = csv.getInt(item);
                positions[n] = csv.getInt(position) - 1;
                rewards[n] = csv.getDouble(click);
                pscores[n] = csv.getDouble(pscore);
                n++;
            }
            return new BanditLog(n, actions, positions, rewards, pscores);
        }
    }
}
