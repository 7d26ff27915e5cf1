package io.llmlb.health.query.config;

import io.llmlb.health.query.http.TrustedProxies;
import io.llmlb.health.wire.EnvReader;
import java.time.Duration;

/**
 * What one client (an address, a user, a holder of the enrollment key) may take of the query API.
 *
 * @param trustedProxies {@code LLMLB_TRUSTED_PROXIES}: proxies whose {@code X-Forwarded-For} names
 *        the client; default none
 * @param loginThreads {@code LLMLB_LOGIN_THREADS}: password checks at once, default 1 (1–16)
 * @param loginQueue {@code LLMLB_LOGIN_QUEUE}: password checks waiting at most, default 16 (0–1000);
 *        beyond, 503 with Retry-After
 * @param maxPendingEnrolled {@code LLMLB_MAX_PENDING_ENROLLED}: self-enrolled nodes awaiting
 *        approval at most, default 100 (1–100,000)
 * @param pendingEnrolledExpiry {@code LLMLB_PENDING_ENROLLED_EXPIRY}: seconds after which a
 *        self-enrolled node never approved is deleted, default 86,400 (60 s – 30 days)
 * @param eventStreamsPerUser {@code LLMLB_EVENT_STREAMS_PER_USER}: open {@code /v0/events} streams
 *        per user, default 8 (1–256)
 */
public record ClientLimits(TrustedProxies trustedProxies,
                           int loginThreads,
                           int loginQueue,
                           int maxPendingEnrolled,
                           Duration pendingEnrolledExpiry,
                           int eventStreamsPerUser) {

    static ClientLimits fromEnv(EnvReader env) {
        return new ClientLimits(TrustedProxies.parse(env.optional("LLMLB_TRUSTED_PROXIES")),
                env.intInRange("LLMLB_LOGIN_THREADS", 1, 1, 16),
                env.intInRange("LLMLB_LOGIN_QUEUE", 16, 0, 1000),
                env.intInRange("LLMLB_MAX_PENDING_ENROLLED", 100, 1, 100_000),
                env.seconds("LLMLB_PENDING_ENROLLED_EXPIRY", 86_400, 60, 30 * 86_400),
                env.intInRange("LLMLB_EVENT_STREAMS_PER_USER", 8, 1, 256));
    }

    /** For the start-up log line. */
    String describe() {
        return "trusted-proxies=" + trustedProxies + " login-threads=" + loginThreads + " login-queue=" + loginQueue
                + " max-pending-enrolled=" + maxPendingEnrolled + " pending-enrolled-expiry="
                + pendingEnrolledExpiry.toSeconds() + "s event-streams-per-user=" + eventStreamsPerUser;
    }
}
