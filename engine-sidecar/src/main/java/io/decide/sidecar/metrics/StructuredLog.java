package io.decide.sidecar.metrics;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One-line {@code key=value} logs: {@code ts=2026-01-01T00:00:00Z level=info event=reload loaded=2}. Values with
 * spaces, quotes or {@code =} are quoted. Never called on a decision path.
 */
public final class StructuredLog
{
    private final PrintStream out;
    private final boolean debug;

    /**
     * @param out   where lines go.
     * @param debug whether {@link #debug} lines are written.
     */
    public StructuredLog(final PrintStream out, final boolean debug)
    {
        this.out = out;
        this.debug = debug;
    }

    /**
     * @param event   what happened.
     * @param keyValues alternating keys and values.
     */
    public void info(final String event, final Object... keyValues)
    {
        write("info", event, keyValues);
    }

    /**
     * @param event     what happened.
     * @param keyValues alternating keys and values.
     */
    public void warn(final String event, final Object... keyValues)
    {
        write("warn", event, keyValues);
    }

    /**
     * @param event     what happened.
     * @param keyValues alternating keys and values.
     */
    public void error(final String event, final Object... keyValues)
    {
        write("error", event, keyValues);
    }

    /**
     * @param event     what happened.
     * @param keyValues alternating keys and values.
     */
    public void debug(final String event, final Object... keyValues)
    {
        if (debug)
        {
            write("debug", event, keyValues);
        }
    }

    private void write(final String level, final String event, final Object... keyValues)
    {
        final StringBuilder line = new StringBuilder(128);
        line.append("ts=").append(Instant.now()).append(" level=").append(level).append(" event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2)
        {
            line.append(' ').append(keyValues[i]).append('=').append(quote(String.valueOf(keyValues[i + 1])));
        }
        synchronized (out)
        {
            out.println(line);
            out.flush();
        }
    }

    private static String quote(final String value)
    {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++)
        {
            final char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c < 127;
        }
        if (plain)
        {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
