package io.decide.engine.service;

import io.decide.engine.state.SessionStateStore;

import java.nio.file.Path;

/**
 * The per-user stores a {@link DecisionEngine} owns besides its policy directory, opened with the engine and closed
 * with it.
 *
 * @param cohortTable          user→cohort table file ({@link io.decide.engine.cohort.CohortTable}) read by
 *                             {@link DecisionKind#SCALAR} decisions for bids whose cohort is not computed from
 *                             features; null: no table (those bids get their default scalar).
 * @param stateDirectory       directory of the per-user session state
 *                             ({@link SessionStateStore}, file {@value #STATE_FILE_NAME}) that
 *                             {@link DecisionKind#AD_SLOT} decisions read and update, created when missing; null:
 *                             ad-slot decisions answer {@link DecisionStatus#UNSUPPORTED_KIND}.
 * @param maxUsers             users the session-state map is sized for when it is created, >= 1.
 * @param sessionTimeoutMillis inactivity that ends a session, >= 1.
 */
public record EngineStores(Path cohortTable, Path stateDirectory, long maxUsers, long sessionTimeoutMillis)
{
    /** File name of the session-state map inside the state directory. */
    public static final String STATE_FILE_NAME = "session-state.cmap";
    /** Users the session-state map is sized for by default. */
    public static final long DEFAULT_MAX_USERS = 1_000_000;
    /** No cohort table, no session state. */
    public static final EngineStores NONE = new EngineStores(null, null, DEFAULT_MAX_USERS,
        SessionStateStore.DEFAULT_SESSION_TIMEOUT_MILLIS);

    /**
     * Checked at construction.
     *
     * @param cohortTable          cohort table file or null.
     * @param stateDirectory       state directory or null.
     * @param maxUsers             >= 1.
     * @param sessionTimeoutMillis >= 1.
     */
    public EngineStores
    {
        if (maxUsers < 1)
        {
            throw new IllegalArgumentException("max users " + maxUsers + ", expected >= 1");
        }
        if (sessionTimeoutMillis < 1)
        {
            throw new IllegalArgumentException("session timeout " + sessionTimeoutMillis + " ms, expected >= 1");
        }
    }

    /**
     * @param file user→cohort table file, or null.
     * @return a copy with that table.
     */
    public EngineStores withCohortTable(final Path file)
    {
        return new EngineStores(file, stateDirectory, maxUsers, sessionTimeoutMillis);
    }

    /**
     * @param directory session-state directory, or null.
     * @return a copy with that directory.
     */
    public EngineStores withStateDirectory(final Path directory)
    {
        return new EngineStores(cohortTable, directory, maxUsers, sessionTimeoutMillis);
    }
}
