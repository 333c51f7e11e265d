package io.decide.engine.state;

/**
 * The stored value of one user in a {@link SessionStateStore}: a Chronicle Values interface, so the map keeps it as
 * a fixed 32-byte off-heap record and a native reference reads and writes it in place. Field meanings are those
 * of {@link SessionStateCursor}; only the store and its cursors use this type.
 */
public interface SessionStateValue
{
    /** @return epoch millis of the user's last recorded feed, 0 for a user never seen. */
    long getLastActivityMillis();

    /** @param millis epoch millis of the last recorded feed. */
    void setLastActivityMillis(long millis);

    /** @return ad counts of the last five feeds of the session, one byte each, most recent in the low byte. */
    long getAdHistory();

    /** @param history ad counts of the last five feeds, most recent in the low byte. */
    void setAdHistory(long history);

    /** @return the ad mask of the previous feed of the session. */
    int getPrevAdMask();

    /** @param mask the ad mask of the previous feed. */
    void setPrevAdMask(int mask);

    /** @return posts since the last ad of the session (posts of the session when it had no ad yet). */
    int getPostsSinceLastAd();

    /** @param posts posts since the last ad. */
    void setPostsSinceLastAd(int posts);

    /** @return ads shown in the session. */
    int getSessionAdImpressions();

    /** @param impressions ads shown in the session. */
    void setSessionAdImpressions(int impressions);

    /** @return feeds served in the session. */
    int getFeedDepth();

    /** @param depth feeds served in the session. */
    void setFeedDepth(int depth);
}
