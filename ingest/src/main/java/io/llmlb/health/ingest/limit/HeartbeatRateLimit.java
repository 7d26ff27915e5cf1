package io.llmlb.health.ingest.limit;

import io.llmlb.health.wire.EnvReader;
import java.time.Duration;

/**
 * How many heartbeats one node may send: a token bucket per node of {@code burst} heartbeats,
 * refilled at {@code perMinute}. One node token alone could otherwise fill the disk (two clients
 * sent 61 KB heartbeats at 6.5 MB/s). A node at the seed's fastest period (10 s, 6 a minute) uses a
 * fifth of the default rate, and its retries after a failure fit in the burst.
 *
 * @param perMinute {@code LLMLB_HEARTBEAT_RATE}: sustained heartbeats per minute and node (1–6,000, default 30)
 * @param burst {@code LLMLB_HEARTBEAT_BURST}: heartbeats a node may send at once (1–1,000, default 10)
 */
public record HeartbeatRateLimit(int perMinute, int burst) {

    public HeartbeatRateLimit {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be at least 1");
        }
    }

    /** The documented defaults: 30 a minute, bursts of 10. */
    public static HeartbeatRateLimit defaults() {
        return fromEnv(new EnvReader(java.util.Map.of()));
    }

    /** Reads the limit from the environment. */
    public static HeartbeatRateLimit fromEnv(EnvReader env) {
        return new HeartbeatRateLimit(env.intInRange("LLMLB_HEARTBEAT_RATE", 30, 1, 6000),
                env.intInRange("LLMLB_HEARTBEAT_BURST", 10, 1, 1000));
    }

    /** Time for one heartbeat's worth of allowance to come back. */
    Duration refillInterval() {
        return Duration.ofNanos(Duration.ofMinutes(1).toNanos() / perMinute);
    }

    /** For the start-up log. */
    public String describe() {
        return "heartbeat-rate=" + perMinute + "/min burst=" + burst;
    }
}
