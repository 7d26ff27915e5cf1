package io.llmlb.health.processor.topology;

import io.llmlb.health.processor.config.SuspensionSettings;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides at each sweep whether to hold the offline verdicts because the silence looks like the
 * monitor's own failure (see {@link SuspensionSettings}). Holding is bounded: after
 * {@code maxHold} the verdicts are released until the fleet looks normal again.
 */
final class MassSilenceGuard {

    /** What the sweep should do, and whether the guard just changed its mind. */
    enum Verdict {
        JUDGE, HOLD, JUST_SUSPENDED, JUST_RESUMED, HOLD_EXPIRED
    }

    private final SuspensionSettings settings;
    private Instant suspendedSince;
    private boolean holdExhausted;

    MassSilenceGuard(SuspensionSettings settings) {
        this.settings = settings;
    }

    Verdict evaluate(long expired, long online, Instant now) {
        if (!settings.looksLikeMonitorFailure(expired, online)) {
            holdExhausted = false;
            if (suspendedSince != null) {
                suspendedSince = null;
                return Verdict.JUST_RESUMED;
            }
            return Verdict.JUDGE;
        }
        if (holdExhausted) {
            return Verdict.JUDGE;
        }
        if (suspendedSince == null) {
            suspendedSince = now;
            return Verdict.JUST_SUSPENDED;
        }
        if (!Duration.between(suspendedSince, now).minus(settings.maxHold()).isNegative()) {
            suspendedSince = null;
            holdExhausted = true;
            return Verdict.HOLD_EXPIRED;
        }
        return Verdict.HOLD;
    }

    boolean isSuspended() {
        return suspendedSince != null;
    }

    /** When the current hold is released at the latest, or null when not holding. */
    Instant holdUntilAtMost() {
        return suspendedSince == null ? null : suspendedSince.plus(settings.maxHold());
    }
}
