package io.llmlb.health.query.http;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.query.auth.Caller;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Who holds the live event streams: at most {@code total} at once, at most {@code perUser} per user
 * ({@code LLMLB_EVENT_STREAMS_PER_USER}), and the last {@value #RESERVED_FOR_ADMINS} only for admins,
 * so that no viewer, nor all viewers together, can leave an admin without a live dashboard.
 */
final class StreamSlots {

    static final int RESERVED_FOR_ADMINS = 8;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final int total;
    private final int perUser;
    private final Map<String, Integer> openByUser = new HashMap<>();
    private int open;

    StreamSlots(int total, int perUser) {
        this.total = total;
        this.perUser = perUser;
    }

    /** A held slot; closing it frees it. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes a slot for {@code caller}.
     *
     * @throws ApiException 429 when the user holds {@code perUser} streams, 503 when the server holds
     *         all it may
     */
    synchronized Slot acquire(Caller caller) {
        int mine = openByUser.getOrDefault(caller.username(), 0);
        if (mine >= perUser) {
            throw ApiException.tooManyRequests("user " + caller.username() + " already has " + mine
                    + " live event streams open, the most one user may (LLMLB_EVENT_STREAMS_PER_USER)", RETRY_AFTER);
        }
        int limit = caller.isAdmin() ? total : total - RESERVED_FOR_ADMINS;
        if (open >= limit) {
            throw ApiException.unavailable("too many live connections (" + open + ")", RETRY_AFTER);
        }
        open++;
        openByUser.merge(caller.username(), 1, Integer::sum);
        return new Slot() {
            private boolean released;

            @Override
            public void close() {
                synchronized (StreamSlots.this) {
                    if (!released) {
                        released = true;
                        open--;
                        openByUser.computeIfPresent(caller.username(), (user, count) -> count == 1 ? null : count - 1);
                    }
                }
            }
        };
    }
}
