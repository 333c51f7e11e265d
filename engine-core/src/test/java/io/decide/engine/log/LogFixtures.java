package io.decide.engine.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Deterministic decisions for the log tests: every field is a function of the request id, so reads can check. */
final class LogFixtures
{
    static final String ADSLOT = "adslot";
    static final String QUOTA = "quota-v2";

    private LogFixtures()
    {
    }

    static int actionCount(final long requestId, final int maxActions)
    {
        return 1 + (int)Math.floorMod(requestId * 7, maxActions);
    }

    static int featureCount(final long requestId, final int maxFeatures)
    {
        return maxFeatures == 0 ? 0 : (int)Math.floorMod(requestId * 3, maxFeatures + 1);
    }

    static double probability(final long requestId, final int action, final int actionCount)
    {
        return (1.0 + action + (requestId & 3)) / (actionCount * (1.0 + (requestId & 3)) +
            actionCount * (actionCount - 1) / 2.0);
    }

    static double feature(final long requestId, final int feature)
    {
        return requestId * 0.5 - feature * 1.25;
    }

    /** Fill a claimed event for request id r. */
    static void fill(final DecisionEvent e, final long r, final int nameId, final int maxActions, final int maxFeatures)
    {
        final int k = actionCount(r, maxActions);
        final int action = (int)Math.floorMod(r, k);
        final double[] p = e.probabilities();
        for (int a = 0; a < k; a++)
        {
            p[a] = probability(r, a, k);
        }
        final int f = featureCount(r, maxFeatures);
        final double[] x = e.features();
        for (int i = 0; i < f; i++)
        {
            x[i] = feature(r, i);
        }
        e.requestId(r).userId(r * 31 + 5).timeEpochNanos(1_700_000_000_000_000_000L + r * 1000)
            .artifact(nameId, 100 + (r & 7)).kind(DecisionLogDescriptor.KIND_AD_SLOT)
            .choice(action, (int)(r & 1), p[action]).actionCount(k).featureCount(f);
    }

    /** Check that a read record is request id r's decision. */
    static void check(final DecisionLogReader reader, final long r, final String name, final int maxActions,
        final int maxFeatures)
    {
        final DecisionRecordFlyweight rec = reader.record();
        final String where = reader.file() + "@" + reader.offset();
        assertEquals(r, rec.requestId(), where);
        assertEquals(r * 31 + 5, rec.userId(), where);
        assertEquals(1_700_000_000_000_000_000L + r * 1000, rec.timeEpochNanos(), where);
        assertEquals(name, reader.artifactName(), where);
        assertEquals(100 + (r & 7), rec.artifactVersion(), where);
        assertEquals(DecisionLogDescriptor.KIND_AD_SLOT, rec.kind(), where);
        final int k = actionCount(r, maxActions);
        assertEquals(k, rec.actionCount(), where);
        final int action = (int)Math.floorMod(r, k);
        assertEquals(action, rec.action(), where);
        assertEquals((int)(r & 1), rec.position(), where);
        assertEquals(probability(r, action, k), rec.propensity(), where);
        for (int a = 0; a < k; a++)
        {
            assertEquals(probability(r, a, k), rec.probability(a), where);
        }
        final int f = featureCount(r, maxFeatures);
        assertEquals(f, rec.featureCount(), where);
        for (int i = 0; i < f; i++)
        {
            assertEquals(feature(r, i), rec.feature(i), where);
        }
        assertEquals(DecisionLogDescriptor.recordLength(k, f), rec.length(), where);
    }

    /** Every request id in the directory, in order. */
    static List<Long> requestIds(final java.nio.file.Path dir) throws IOException
    {
        final List<Long> ids = new ArrayList<>();
        try (DecisionLogReader reader = DecisionLogReader.open(dir))
        {
            while (reader.next())
            {
                ids.add(reader.record().requestId());
            }
        }
        return ids;
    }
}
