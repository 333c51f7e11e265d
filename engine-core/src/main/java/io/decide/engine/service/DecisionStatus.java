package io.decide.engine.service;

/**
 * Stable numeric outcomes of a decision, returned by every {@link DecisionEngine} decision method and carried as
 * is by the sidecar protocol and the C ABI. {@link #OK} means outputs were written (possibly by a fallback, see
 * {@link DecisionContext#fallback()}); every other code means nothing was written and names the request's fault.
 */
public final class DecisionStatus
{
    /** Decided; outputs written. */
    public static final int OK = 0;
    /** No artifact of that name has ever been loaded (or the handle is out of range). */
    public static final int UNKNOWN_ARTIFACT = 1;
    /** The artifact cannot answer this kind (it has no section for it) and no fallback exists for the request. */
    public static final int WRONG_KIND = 2;
    /** An input or output has the wrong size (feature count, option count, scalar count, output length). */
    public static final int BAD_SIZE = 3;
    /** The decision kind is not served by this engine (yet). */
    public static final int UNSUPPORTED_KIND = 4;
    /** The request is malformed (e.g. a candidate batch whose header does not fit). */
    public static final int BAD_REQUEST = 5;
    /** An unexpected engine error; the request failed, the engine keeps serving. */
    public static final int INTERNAL_ERROR = 6;

    /** One more than the highest engine status; hosts number their own codes from here (see PROTOCOL.md). */
    public static final int ENGINE_LIMIT = 7;

    private static final String[] NAMES = {
        "OK", "UNKNOWN_ARTIFACT", "WRONG_KIND", "BAD_SIZE", "UNSUPPORTED_KIND", "BAD_REQUEST", "INTERNAL_ERROR"};

    private DecisionStatus()
    {
    }

    /**
     * @param status a status code.
     * @return its constant name, or "STATUS_n" for a code this class does not define (allocates only then).
     */
    public static String name(final int status)
    {
        return status >= 0 && status < NAMES.length ? NAMES[status] : "STATUS_" + status;
    }
}
