package io.llmlb.health.processor.config;

import io.llmlb.health.wire.EnvReader;
import java.time.Duration;

/**
 * When the detector distrusts itself. If at one sweep at least {@code threshold} of the online
 * nodes (of one task, with at least {@code minFleet} online) have all missed their deadline, the
 * silence is far more likely ingest, the network path or Kafka failing than that many machines
 * dying in the same seconds; verdicts are held, for at most {@code maxHold}, after which they
 * are released (a real mass failure is reported late, never hidden).
 *
 * @param threshold {@code LLMLB_SUSPEND_THRESHOLD} percent of online nodes, default 50
 * @param minFleet {@code LLMLB_SUSPEND_MIN_FLEET}, default 10: smaller fleets are never held, so one
 *        node stopped in a fleet of one still goes offline after the timeout
 * @param maxHold {@code LLMLB_SUSPEND_MAX_HOLD} seconds, default 300
 */
public record SuspensionSettings(double threshold, int minFleet, Duration maxHold) {

    /** The defaults described above. */
    public static final SuspensionSettings DEFAULT = new SuspensionSettings(0.5, 10, Duration.ofMinutes(5));

    static SuspensionSettings fromEnv(EnvReader env) {
        return new SuspensionSettings(
                env.intInRange("LLMLB_SUSPEND_THRESHOLD", 50, 1, 100) / 100.0,
                env.intInRange("LLMLB_SUSPEND_MIN_FLEET", 10, 2, 1_000_000),
                env.seconds("LLMLB_SUSPEND_MAX_HOLD", 300, 0, 86_400));
    }

    /** Whether {@code expired} of {@code online} nodes look like the monitor's own failure. */
    public boolean looksLikeMonitorFailure(long expired, long online) {
        return online >= minFleet && expired > 0 && expired >= threshold * online;
    }
}
