package io.decide.engine.log;

import java.nio.file.Path;

/**
 * The process {@link DecisionLogCrashTest} kills: writes decisions (request ids 0, 1, 2, ...) to a log as fast as
 * it can and prints {@code written N} lines, N being the records the writer has committed, until it is killed.
 */
public final class DecisionLogCrashChild
{
    static final int MAX_ACTIONS = 10;
    static final int MAX_FEATURES = 4;
    /** Stop producing (but keep the process alive) after this many, so a slow parent cannot fill the disk. */
    static final long LIMIT = 5_000_000;

    private DecisionLogCrashChild()
    {
    }

    /**
     * @param args log directory, segment bytes.
     * @throws Exception on failure (the parent then sees no progress).
     */
    public static void main(final String[] args) throws Exception
    {
        final DecisionLog log = DecisionLog.open(DecisionLogConfig.defaults(Path.of(args[0]))
            .withSegmentBytes(Long.parseLong(args[1])).withMaxActions(MAX_ACTIONS).withMaxFeatures(MAX_FEATURES)
            .withRingSize(4096));
        final int id = log.artifactId(LogFixtures.ADSLOT);
        final Thread reporter = new Thread(() ->
        {
            while (true)
            {
                System.out.println("written " + log.written() + " failures " + log.failures());
                System.out.flush();
                try
                {
                    Thread.sleep(2);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        });
        reporter.setDaemon(true);
        reporter.start();
        // If the parent dies without killing this process, its end of stdin closes: exit rather than linger.
        final Thread orphanWatch = new Thread(() ->
        {
            try
            {
                while (System.in.read() >= 0)
                {
                    Thread.onSpinWait();
                }
            }
            catch (final java.io.IOException ex)
            {
                // Treated as the parent gone.
            }
            Runtime.getRuntime().halt(3);
        });
        orphanWatch.setDaemon(true);
        orphanWatch.start();
        for (long r = 0; r < LIMIT; r++)
        {
            final long seq = log.claim();
            LogFixtures.fill(log.event(seq), r, id, MAX_ACTIONS, MAX_FEATURES);
            log.publish(seq);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
