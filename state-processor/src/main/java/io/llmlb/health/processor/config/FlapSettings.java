package io.llmlb.health.processor.config;

import io.llmlb.health.wire.EnvReader;
import java.time.Duration;

/**
 * When a node is flapping: it changed between online and offline more than {@code threshold}
 * times within {@code window}; it stops flapping once it kept its state for a whole window.
 *
 * @param threshold {@code LLMLB_FLAP_THRESHOLD}: flips allowed within the window (1..1000, default 4)
 * @param window {@code LLMLB_FLAP_WINDOW} seconds (10..86400, default 600)
 */
public record FlapSettings(int threshold, Duration window) {

    /** The defaults described above. */
    public static final FlapSettings DEFAULT = new FlapSettings(4, Duration.ofMinutes(10));

    public FlapSettings {
        if (threshold < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("flap threshold must be at least 1 and the window positive");
        }
    }

    static FlapSettings fromEnv(EnvReader env) {
        return new FlapSettings(env.intInRange("LLMLB_FLAP_THRESHOLD", 4, 1, 1000),
                env.seconds("LLMLB_FLAP_WINDOW", 600, 10, 86_400));
    }
}
