package io.decide.jni;

import io.decide.engine.service.DecisionStatus;

/**
 * The return codes of the C ABI, mirrored from {@code decide.h} ({@code DECIDE_E_<NAME>}, negative). Codes -1 .. -99
 * are the engine's {@link DecisionStatus} values negated; codes from -100 are faults of the C layer. A test parses
 * {@code decide.h} and fails the build when this enum and the header differ in any name or code.
 */
public enum DecideError
{
    /** No artifact of that name is loaded, or the handle is out of range. */
    UNKNOWN_ARTIFACT(-DecisionStatus.UNKNOWN_ARTIFACT),
    /** The artifact cannot answer this decision kind and no earlier version of it could. */
    WRONG_KIND(-DecisionStatus.WRONG_KIND),
    /** An input or output has the wrong size. */
    BAD_SIZE(-DecisionStatus.BAD_SIZE),
    /** The decision kind is not served by this engine. */
    UNSUPPORTED_KIND(-DecisionStatus.UNSUPPORTED_KIND),
    /** The request is malformed. */
    BAD_REQUEST(-DecisionStatus.BAD_REQUEST),
    /** An unexpected engine error. */
    INTERNAL_ERROR(-DecisionStatus.INTERNAL_ERROR),
    /** A required pointer argument is NULL. */
    NULL_ARGUMENT(-100),
    /** An argument is out of range. */
    BAD_ARGUMENT(-101),
    /** The engine has been closed. */
    CLOSED(-102),
    /** The JVM could not be loaded, created or joined, or the bridge classes are missing. */
    JVM(-103),
    /** The calling thread could not be attached to the JVM. */
    ATTACH(-104),
    /** The policy directory cannot be opened. */
    OPEN(-105),
    /** One or more artifact files were refused at load. */
    ARTIFACT_REJECTED(-106),
    /** More threads than the engine's maximum hold a decision context. */
    TOO_MANY_THREADS(-107),
    /** Memory could not be allocated. */
    NO_MEMORY(-108),
    /** A Java exception escaped the bridge. */
    JAVA_EXCEPTION(-109);

    /** First code of the C layer's own faults; engine statuses are above it. */
    public static final int HOST_CODE_BASE = -100;

    private static final DecideError[] BY_STATUS = new DecideError[DecisionStatus.ENGINE_LIMIT];

    static
    {
        for (final DecideError error : values())
        {
            if (error.code > HOST_CODE_BASE)
            {
                BY_STATUS[-error.code] = error;
            }
        }
    }

    private final int code;

    DecideError(final int code)
    {
        this.code = code;
    }

    /** @return the negative code of {@code decide.h}. */
    public int code()
    {
        return code;
    }

    /** @return the name of the {@code decide.h} macro, e.g. {@code DECIDE_E_BAD_SIZE}. */
    public String macroName()
    {
        return "DECIDE_E_" + name();
    }

    /**
     * The C code of an engine status, without allocating.
     *
     * @param status a {@link DecisionStatus} value.
     * @return 0 for OK, the negated status otherwise.
     */
    public static int codeOf(final int status)
    {
        return -status;
    }

    /**
     * @param status a non-OK {@link DecisionStatus} value.
     * @return its error, or null when this enum does not define it.
     */
    public static DecideError ofStatus(final int status)
    {
        return status > 0 && status < BY_STATUS.length ? BY_STATUS[status] : null;
    }
}
