package io.decide.tools.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** Runs {@code decide} in-process, the way {@link DecideCli#main} does, capturing stdout and stderr. */
final class CliRun
{
    /**
     * @param exitCode the exit code.
     * @param out      stdout.
     * @param err      stderr.
     */
    record Result(int exitCode, String out, String err)
    {
        List<String> errLines()
        {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
        }

        List<String> outLines()
        {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CliRun()
    {
    }

    static Result run(final Object... args)
    {
        final String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++)
        {
            strings[i] = String.valueOf(args[i]);
        }
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = new CommandLine(new DecideCli());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(strings);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
