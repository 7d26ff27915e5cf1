package io.llmlb.health.http.server;

import io.llmlb.health.wire.EnvReader;
import java.time.Duration;
import java.util.Map;

/**
 * How much of the process one client may hold: every HTTP listener (ingest, query API, the
 * standalone's single port) accepts at most {@code maxConnections} connections at once, closes a
 * connection that sends nothing for {@code idleTimeout}, and closes one that takes longer than
 * {@code readTimeout} to send a request's headers, and again to send its body. Without these, idle
 * and slow clients kept connections (and file descriptors) open until the listener died.
 *
 * @param maxConnections {@code LLMLB_HTTP_MAX_CONNECTIONS}: open connections per listener (1–100,000,
 *                       default 1,000); beyond it new connections wait in the kernel's accept queue
 * @param idleTimeout {@code LLMLB_HTTP_IDLE_TIMEOUT}: seconds a connection may wait between requests
 *                    (1–3,600, default 90: longer than the agent's longest heartbeat period, 60 s)
 * @param readTimeout {@code LLMLB_HTTP_READ_TIMEOUT}: seconds a client has to send a request's headers,
 *                    and then its body (1–300, default 10)
 */
public record ServerLimits(int maxConnections, Duration idleTimeout, Duration readTimeout) {

    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 90;
    public static final int DEFAULT_READ_TIMEOUT_SECONDS = 10;

    public ServerLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The defaults, for servers that read no environment (tests, the benchmark's bare server). */
    public static ServerLimits defaults() {
        return fromEnv(Map.of());
    }

    /** Reads the three limits from the environment. */
    public static ServerLimits fromEnv(Map<String, String> environment) {
        return fromEnv(new EnvReader(environment));
    }

    /** Reads the three limits through {@code env}. */
    public static ServerLimits fromEnv(EnvReader env) {
        return new ServerLimits(
                env.intInRange("LLMLB_HTTP_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS, 1, 100_000),
                env.seconds("LLMLB_HTTP_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT_SECONDS, 1, 3600),
                env.seconds("LLMLB_HTTP_READ_TIMEOUT", DEFAULT_READ_TIMEOUT_SECONDS, 1, 300));
    }

    /** A short description for the start-up log. */
    public String describe() {
        return "max-connections=" + maxConnections + " idle-timeout=" + idleTimeout.toSeconds() + "s read-timeout="
                + readTimeout.toSeconds() + "s";
    }
}
