package io.decide.engine.state;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * User id → session state ({@link SessionStateValue}, 32 bytes) in a Chronicle Map persisted to a file, so state
 * survives a restart and may be shared by several processes on one host through the page cache. Each thread reads
 * and updates it through its own {@link SessionStateCursor}, which allocates nothing.
 * <p>
 * A session ends after {@link #sessionTimeoutMillis()} without a recorded feed: the next read sees a fresh session
 * (all counters 0, no previous ad) and the next record starts one. Entries of users who stopped coming are kept;
 * the map is sized for {@code maxUsers} at creation (Chronicle Map grows past it up to its own limit, with
 * slower lookups).
 * <p>
 * Concurrency: the map is thread-safe, but one user's read–decide–record sequence is not atomic; the host routes a
 * user's requests to one thread at a time (as feeds of one user are sequential anyway), otherwise two concurrent
 * feeds of the same user may both see the same previous state.
 */
public final class SessionStateStore implements AutoCloseable
{
    /** Map name stored in the file. */
    public static final String MAP_NAME = "decide-session-state";
    /** Default inactivity after which a session ends: 30 minutes. */
    public static final long DEFAULT_SESSION_TIMEOUT_MILLIS = 30L * 60 * 1000;

    private final ChronicleMap<LongValue, SessionStateValue> map;
    private final Path file;
    private final long sessionTimeoutMillis;

    private SessionStateStore(
        final ChronicleMap<LongValue, SessionStateValue> map, final Path file, final long sessionTimeoutMillis)
    {
        this.map = map;
        this.file = file;
        this.sessionTimeoutMillis = sessionTimeoutMillis;
    }

    /**
     * Open the store file, creating it (sized for {@code maxUsers}) when it does not exist.
     *
     * @param file                 the map file.
     * @param maxUsers             expected number of users, >= 1 (used only when the file is created).
     * @param sessionTimeoutMillis inactivity that ends a session, >= 1.
     * @return the store.
     * @throws IOException when the file cannot be created or is not a session-state map (the message names it).
     */
    public static SessionStateStore open(final Path file, final long maxUsers, final long sessionTimeoutMillis)
        throws IOException
    {
        if (maxUsers < 1)
        {
            throw new IllegalArgumentException("max users " + maxUsers + ", expected >= 1");
        }
        if (sessionTimeoutMillis < 1)
        {
            throw new IllegalArgumentException("session timeout " + sessionTimeoutMillis + " ms, expected >= 1");
        }
        if (Files.exists(file) && (!Files.isRegularFile(file) || Files.size(file) == 0))
        {
            throw new IOException(file + ": not a session-state map (empty or not a regular file)");
        }
        final ChronicleMap<LongValue, SessionStateValue> map;
        try
        {
            map = ChronicleMap
                .of(LongValue.class, SessionStateValue.class)
                .name(MAP_NAME)
                .entries(Math.max(16, maxUsers))
                .createPersistedTo(file.toFile());
        }
        catch (final IOException ex)
        {
            throw new IOException(file + ": cannot open session-state map (" + ex.getMessage() + ")", ex);
        }
        catch (final RuntimeException ex)
        {
            throw new IOException(file + ": not a session-state map (" + ex + ")", ex);
        }
        return new SessionStateStore(map, file, sessionTimeoutMillis);
    }

    /** @return inactivity in milliseconds after which a session ends. */
    public long sessionTimeoutMillis()
    {
        return sessionTimeoutMillis;
    }

    /** @return number of users with stored state. */
    public long userCount()
    {
        return map.longSize();
    }

    /** @return the map file. */
    public Path file()
    {
        return file;
    }

    /** @return a new cursor for the calling thread. */
    public SessionStateCursor newCursor()
    {
        return new SessionStateCursor(map, sessionTimeoutMillis);
    }

    /** Close the map; cursors must not be used afterwards. */
    @Override
    public void close()
    {
        map.close();
    }

    @Override
    public String toString()
    {
        return "SessionStateStore(" + file + ", timeout " + sessionTimeoutMillis + " ms)";
    }
}
