package io.decide.bench;

import io.decide.tools.ope.BanditFeedback;
import io.decide.tools.ope.BanditFeedbackReader;
import io.decide.tools.ope.CsvCursor;
import io.decide.tools.ope.OffPolicyEvaluator;
import io.decide.tools.ope.OpeEstimator;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;

/**
 * Thread CPU time of the OPE reading steps on files written by {@link OpeBenchmark#main}, less sensitive to a
 * loaded machine than wall time: splitting dist.csv into fields, splitting and parsing it with {@link CsvCursor}
 * and with {@link Double#parseDouble}, reading all three files (this thread's share; q.csv is parsed on another),
 * and all seven estimators. Four repetitions; the first includes JIT warm-up.
 * <p>
 * {@code java -cp benchmarks.jar io.decide.bench.OpeCpuTime DIR}
 */
public final class OpeCpuTime
{
    private OpeCpuTime()
    {
    }

    /**
     * @param args DIR holding log.csv, dist.csv, q.csv.
     * @throws IOException on a read error.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            System.err.println("usage: OpeCpuTime DIR");
            System.exit(64);
        }
        final Path dir = Path.of(args[0]);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < 4; rep++)
        {
            final long t0 = threads.getCurrentThreadCpuTime();
            long rows = 0;
            try (CsvCursor c = CsvCursor.open(dir.resolve("dist.csv")))
            {
                while (c.next())
                {
                    rows++;
                }
            }
            final long t1 = threads.getCurrentThreadCpuTime();
            double sum = 0;
            try (CsvCursor c = CsvCursor.open(dir.resolve("dist.csv")))
            {
                final int k = c.header().length;
                while (c.next())
                {
                    for (int a = 0; a < k; a++)
                    {
                        sum += c.getDouble(a);
                    }
                }
            }
            final long t2 = threads.getCurrentThreadCpuTime();
            double jdk = 0;
            try (CsvCursor c = CsvCursor.open(dir.resolve("dist.csv")))
            {
                final int k = c.header().length;
                while (c.next())
                {
                    for (int a = 0; a < k; a++)
                    {
                        jdk += Double.parseDouble(c.text(a));
                    }
                }
            }
            final long t3 = threads.getCurrentThreadCpuTime();
            final BanditFeedback feedback = BanditFeedbackReader.read(dir.resolve("log.csv"),
                dir.resolve("dist.csv"), dir.resolve("q.csv"), BanditFeedback.DEFAULT_SUM_TOLERANCE);
            final long t4 = threads.getCurrentThreadCpuTime();
            OffPolicyEvaluator.defaults().evaluate(feedback, List.of(OpeEstimator.values()), 0, 0, 0.95, 1);
            final long t5 = threads.getCurrentThreadCpuTime();
            if (sum != jdk)
            {
                throw new IllegalStateException("CsvCursor and Double.parseDouble disagree: " + sum + " vs " + jdk);
            }
            System.out.printf("rows %d: split dist.csv %.0f ms, split+parse %.0f ms, split+Double.parseDouble %.0f ms, " +
                "read all (this thread) %.0f ms, seven estimators %.0f ms (thread CPU time)%n", rows, (t1 - t0) / 1e6,
                (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t5 - t4) / 1e6);
        }
    }
}
