package io.decide.engine.state;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.values.Values;

/**
 * One thread's access to a {@link SessionStateStore}: a reused {@link LongValue} key and a native (off-heap)
 * {@link SessionStateValue} reference, so {@link #read} and {@link #record} allocate nothing. After {@link #read}
 * the accessors return the user's effective state at that time: a user never seen, or whose session timed out, reads
 * as a fresh session (every counter 0). Not thread-safe; create one per thread with
 * {@link SessionStateStore#newCursor()}.
 * <p>
 * State features (what {@link #feature} returns, the ids of {@code AdSlotPolicyDescriptor.STATE_*}):
 * previous feed's ad mask, posts since the last ad, ads over the last 3 and 5 feeds of the session, session ad
 * impressions, feed depth (feeds already served in the session), and idle seconds since the last feed.
 */
public final class SessionStateCursor
{
    /** Feature id: the previous feed's ad mask (0 in a new session). */
    public static final int PREV_AD_MASK = 0;
    /** Feature id: posts since the last ad of the session (posts of the session when it had no ad). */
    public static final int POSTS_SINCE_LAST_AD = 1;
    /** Feature id: ads shown over the last 3 feeds of the session. */
    public static final int ADS_LAST_3_FEEDS = 2;
    /** Feature id: ads shown over the last 5 feeds of the session. */
    public static final int ADS_LAST_5_FEEDS = 3;
    /** Feature id: ads shown in the session. */
    public static final int SESSION_AD_IMPRESSIONS = 4;
    /** Feature id: feeds already served in the session. */
    public static final int FEED_DEPTH = 5;
    /** Feature id: seconds since the user's last feed (0 for a user never seen). */
    public static final int IDLE_SECONDS = 6;
    /** Number of state features. */
    public static final int FEATURE_COUNT = 7;

    private static final long HISTORY_MASK_5 = 0xFF_FFFF_FFFFL;
    private static final int MAX_POSTS = 1 << 30;

    private final ChronicleMap<LongValue, SessionStateValue> map;
    private final long sessionTimeoutMillis;
    private final LongValue key;
    private final SessionStateValue value;

    private boolean known;
    private boolean newSession;
    private long lastActivityMillis;
    private long idleMillis;
    private long adHistory;
    private int prevAdMask;
    private int postsSinceLastAd;
    private int sessionAdImpressions;
    private int feedDepth;

    SessionStateCursor(final ChronicleMap<LongValue, SessionStateValue> map, final long sessionTimeoutMillis)
    {
        this.map = map;
        this.sessionTimeoutMillis = sessionTimeoutMillis;
        this.key = Values.newHeapInstance(LongValue.class);
        this.value = Values.newNativeReference(SessionStateValue.class);
    }

    /**
     * Read the user's state as of {@code nowMillis} (a timed-out session reads as a new one); nothing is written.
     *
     * @param userId    user id.
     * @param nowMillis the request's time, epoch millis.
     * @return whether the user has stored state (even if its session has ended).
     */
    public boolean read(final long userId, final long nowMillis)
    {
        final LongValue k = key;
        k.setValue(userId);
        final SessionStateValue v = map.getUsing(k, value);
        if (v == null)
        {
            known = false;
            clear(0);
            return false;
        }
        known = true;
        load(v, nowMillis);
        return true;
    }

    /**
     * Record that the user was served a feed with the given ad mask at {@code nowMillis}: starts a new session when
     * the last one timed out, then shifts the ad history, sets the previous mask, advances posts since the last ad
     * (slots after the last ad when the feed had one, else plus {@code slotCount}), adds the feed's ads to the
     * session impressions, increments the feed depth and stamps the activity time. Leaves this cursor holding the
     * updated state.
     *
     * @param userId    user id.
     * @param adMask    bit i set = an ad at slot i.
     * @param slotCount slots of the feed (1..16).
     * @param nowMillis the feed's time, epoch millis.
     */
    public void record(final long userId, final int adMask, final int slotCount, final long nowMillis)
    {
        final LongValue k = key;
        k.setValue(userId);
        final SessionStateValue v = map.acquireUsing(k, value);
        load(v, nowMillis);
        final int ads = Integer.bitCount(adMask);
        final long history = ((adHistory << 8) | ads) & HISTORY_MASK_5;
        final int posts = adMask == 0 ?
            Math.min(MAX_POSTS, postsSinceLastAd + slotCount) : slotCount - 32 + Integer.numberOfLeadingZeros(adMask);
        v.setAdHistory(history);
        v.setPrevAdMask(adMask);
        v.setPostsSinceLastAd(posts);
        v.setSessionAdImpressions(sessionAdImpressions + ads);
        v.setFeedDepth(feedDepth + 1);
        v.setLastActivityMillis(nowMillis);
        known = true;
        newSession = false;
        lastActivityMillis = nowMillis;
        idleMillis = 0;
        adHistory = history;
        prevAdMask = adMask;
        postsSinceLastAd = posts;
        sessionAdImpressions += ads;
        feedDepth++;
    }

    private void load(final SessionStateValue v, final long nowMillis)
    {
        final long last = v.getLastActivityMillis();
        final long idle = nowMillis - last;
        if (last == 0 || idle > sessionTimeoutMillis)
        {
            clear(last == 0 ? 0 : Math.max(0, idle));
            lastActivityMillis = last;
            return;
        }
        newSession = false;
        lastActivityMillis = last;
        idleMillis = Math.max(0, idle);
        adHistory = v.getAdHistory();
        prevAdMask = v.getPrevAdMask();
        postsSinceLastAd = v.getPostsSinceLastAd();
        sessionAdImpressions = v.getSessionAdImpressions();
        feedDepth = v.getFeedDepth();
    }

    private void clear(final long idle)
    {
        newSession = true;
        lastActivityMillis = 0;
        idleMillis = idle;
        adHistory = 0;
        prevAdMask = 0;
        postsSinceLastAd = 0;
        sessionAdImpressions = 0;
        feedDepth = 0;
    }

    /** @return whether the last read found stored state. */
    public boolean known()
    {
        return known;
    }

    /** @return whether the state read is a new session (user never seen, or last session timed out). */
    public boolean newSession()
    {
        return newSession;
    }

    /** @return epoch millis of the last recorded feed (0 when never seen). */
    public long lastActivityMillis()
    {
        return lastActivityMillis;
    }

    /** @return millis since the last recorded feed (0 for a user never seen). */
    public long idleMillis()
    {
        return idleMillis;
    }

    /** @return the previous feed's ad mask (0 in a new session). */
    public int prevAdMask()
    {
        return prevAdMask;
    }

    /** @return posts since the last ad of the session. */
    public int postsSinceLastAd()
    {
        return postsSinceLastAd;
    }

    /** @return ads over the last 3 feeds of the session. */
    public int adsLast3Feeds()
    {
        final long h = adHistory;
        return (int)((h & 0xFF) + ((h >>> 8) & 0xFF) + ((h >>> 16) & 0xFF));
    }

    /** @return ads over the last 5 feeds of the session. */
    public int adsLast5Feeds()
    {
        final long h = adHistory;
        return adsLast3Feeds() + (int)(((h >>> 24) & 0xFF) + ((h >>> 32) & 0xFF));
    }

    /** @return ads shown in the session. */
    public int sessionAdImpressions()
    {
        return sessionAdImpressions;
    }

    /** @return feeds already served in the session. */
    public int feedDepth()
    {
        return feedDepth;
    }

    /** @return whether the session has shown an ad (so the minimum gap applies across feeds). */
    public boolean hadAdInSession()
    {
        return sessionAdImpressions > 0;
    }

    /**
     * @param id a feature id ({@link #PREV_AD_MASK} .. {@link #IDLE_SECONDS}).
     * @return that state feature as a model input.
     */
    public double feature(final int id)
    {
        switch (id)
        {
            case PREV_AD_MASK: return prevAdMask;
            case POSTS_SINCE_LAST_AD: return postsSinceLastAd;
            case ADS_LAST_3_FEEDS: return adsLast3Feeds();
            case ADS_LAST_5_FEEDS: return adsLast5Feeds();
            case SESSION_AD_IMPRESSIONS: return sessionAdImpressions;
            case FEED_DEPTH: return feedDepth;
            case IDLE_SECONDS: return idleMillis / 1000.0;
            default: throw new IllegalArgumentException("state feature id " + id);
        }
    }
}
