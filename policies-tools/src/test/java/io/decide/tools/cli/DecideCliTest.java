package io.decide.tools.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecideCliTest
{
    @Test
    void helpListsEveryCommandAndTheExitCodes()
    {
        final CliRun.Result result = CliRun.run("--help");
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        for (final String command : new String[]{"inspect", "validate", "keygen", "sign", "demo"})
        {
            assertTrue(result.out().contains("\n  " + command + " "), () -> command + " missing:\n" + result);
        }
        assertTrue(result.out().contains("Exit codes:"), result::toString);
        assertTrue(result.out().contains("64   Usage error"), result::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "validate", "keygen", "sign", "demo"})
    void everyCommandHasHelpWithADescription(final String command)
    {
        final CliRun.Result result = CliRun.run(command, "--help");
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        assertTrue(result.out().contains("Usage: decide " + command), result::toString);
        assertTrue(result.out().lines().count() > 8, result::toString);
        assertTrue(result.out().contains("--verbose"), "--verbose is inherited:\n" + result);
    }

    @Test
    void versionNamesTheFormatVersion()
    {
        final CliRun.Result result = CliRun.run("--version");
        assertEquals(ExitCodes.OK, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("decide "), result::toString);
        assertTrue(result.out().contains("artifact format 1.0"), result::toString);
    }

    @Test
    void usageErrorsExit64()
    {
        assertEquals(ExitCodes.USAGE, CliRun.run().exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("frobnicate").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("validate").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("inspect", "--no-such-option", "x.dpol").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("keygen").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("demo", "--readers", "0").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.run("demo", "--versions", "many").exitCode());
    }
}
