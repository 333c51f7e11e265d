package io.decide.tools.cli;

/**
 * Process exit codes of {@code decide}, stable for scripts. When a command checks several files it exits with
 * the highest code any of them produced.
 */
public final class ExitCodes
{
    /** Everything asked for was done and every artifact checked is valid. */
    public static final int OK = 0;
    /** An internal error, or the demo observed an inconsistency (torn read, failed swap, leaked mapping). */
    public static final int FAILURE = 1;
    /** An artifact is invalid or was refused (bad bytes, unsigned when a key is required, wrong signer). */
    public static final int INVALID = 2;
    /** A file could not be read or written (missing, permissions, disk full, not a PEM key). */
    public static final int IO_ERROR = 3;
    /** The command line is wrong (unknown option, missing argument, out-of-range value); BSD {@code EX_USAGE}. */
    public static final int USAGE = 64;

    private ExitCodes()
    {
    }
}
